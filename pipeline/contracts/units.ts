// The unit files: each roster unit's page (units/<code>.json) and the units index (units-index.json).
// Every roster unit has every wave, shown or hidden; a shown unit-wave publishes one count (its respondents who count).
import { z } from "zod";
import { ChangeFieldsSchema, DirectionSchema, hiddenRowsCarryNothing } from "./scores.ts";

const num = z.number().nullable();

/** A unit's section or dimension score in one wave (pipeline/marts/units.ts · unitScaleScores). */
export const UnitScoreRowSchema = z
  .object({
    wave: z.int(),
    unit: z.string(),
    category: z.string(),
    section: z.string(),
    level: z.enum(["section", "dimension"]),
    code: z.string(),
    name: z.string(),
    /** The unit's one count in this wave (the same as its response count). */
    n: z.int().nullable(),
    index: num,
    indexLow: num,
    indexHigh: num,
    suppressed: z.boolean()
  })
  // The change without its interval: no page shows a unit's (marts/wave-changes.ts · changePsOf).
  .extend(ChangeFieldsSchema.omit({ changeLow: true, changeHigh: true }).shape)
  .superRefine(
    hiddenRowsCarryNothing<{ suppressed: boolean } & Record<string, unknown>>([
      "n",
      "index",
      "indexLow",
      "indexHigh",
      "indexChange",
      "changeP",
      "changeSignificant"
    ])
  );
export type UnitScoreRow = z.infer<typeof UnitScoreRowSchema>;

/** One count and rate per wave (of a unit, a category or all). */
export const ResponsesSchema = z.array(
  z
    .object({ wave: z.int(), n: z.int().nonnegative().nullable(), rate: num, suppressed: z.boolean() })
    .superRefine(hiddenRowsCarryNothing<{ suppressed: boolean } & Record<string, unknown>>(["n", "rate"]))
);

export const UnitPagePointSchema = z
  .object({
    wave: z.int(),
    index: num,
    /** The 95% t interval of the index. */
    low: num,
    high: num,
    /**
     * Change of the index since the unit's previous shown wave, and whether it is significant: Benjamini–Hochberg
     * adjusted p ≤ 5% within the unit page's family (every change the page shows).
     */
    change: num,
    significant: z.boolean().nullable(),
    suppressed: z.boolean(),
    /** The same scale's index for the unit's category and for all respondents (null when hidden). */
    category: num,
    all: num,
    /**
     * The unit against the rest of its category (marts/unit-verdicts.ts: Welch, Benjamini–Hochberg across the units
     * compared that wave): worse or better in the scale's sense, not_different, or null when not compared (hidden,
     * too few answers, or a scale the overview does not compare). Only the verdict: the rest's index is never published.
     */
    versusCategory: z.enum(["worse", "better", "not_different"]).nullable()
  })
  .superRefine(
    hiddenRowsCarryNothing<{ suppressed: boolean } & Record<string, unknown>>([
      "index",
      "low",
      "high",
      "change",
      "significant"
    ])
  );

export const UnitPageSchema = z.object({
  unit: z.object({ code: z.string(), name: z.string(), category: z.string(), headcount: z.int().nonnegative() }),
  waves: z.array(z.int()),
  minGroupSize: z.int().positive(),
  changeTest: z.string(),
  refreshedAt: z.string(),
  /** The unit's one count and rate per wave. */
  responses: ResponsesSchema,
  /** Every section, and the dimensions of the focus section (原因剖析). */
  scales: z.array(
    z.object({
      level: z.enum(["section", "dimension"]),
      code: z.string(),
      name: z.string(),
      section: z.string(),
      direction: DirectionSchema,
      points: z.array(UnitPagePointSchema)
    })
  ),
  /** Assessment totals are scores of the unit, not of respondents: no suppression applies. */
  assessment: z.array(
    z.object({
      year: z.int(),
      partyBuilding: num,
      business: num,
      processWeightShare: num,
      categoryPartyBuilding: num,
      categoryBusiness: num
    })
  )
});
export type UnitPage = z.infer<typeof UnitPageSchema>;
export type UnitPagePoint = z.infer<typeof UnitPagePointSchema>;
export type UnitPageScale = UnitPage["scales"][number];

/**
 * A unit's focus-section index (原因剖析) in the latest wave, exactly as its page publishes it (units/<code>.json): the
 * index, its change since the unit's previous published wave and the page's verdict on that change. A unit hidden in
 * the latest wave has suppressed: true and no number.
 */
export const UnitDirectoryLatestSchema = z
  .object({
    wave: z.int(),
    index: num,
    change: num,
    significant: z.boolean().nullable(),
    /** The wave the change is measured from (the unit's previous published wave), or null. */
    previousWave: z.int().nullable(),
    suppressed: z.boolean()
  })
  .superRefine(
    hiddenRowsCarryNothing<{ suppressed: boolean } & Record<string, unknown>>([
      "index",
      "change",
      "significant",
      "previousWave"
    ])
  );
export type UnitDirectoryLatest = z.infer<typeof UnitDirectoryLatestSchema>;

export const UnitDirectorySchema = z.object({
  waves: z.array(z.int()),
  /** The section whose index the list shows (原因剖析, as the unit pages show it). */
  focus: z.object({ code: z.string(), name: z.string(), direction: DirectionSchema }),
  minGroupSize: z.int().positive(),
  refreshedAt: z.string(),
  all: z.object({ headcount: z.int().nonnegative(), responses: ResponsesSchema }),
  categories: z.array(
    z.object({
      name: z.string(),
      headcount: z.int().nonnegative(),
      responses: ResponsesSchema,
      units: z.array(
        z.object({
          code: z.string(),
          name: z.string(),
          category: z.string(),
          headcount: z.int().nonnegative(),
          responses: ResponsesSchema,
          latest: UnitDirectoryLatestSchema
        })
      ),
      /** Per wave, the units the pattern hides, together (本类其他单位); empty in a wave that hides none. */
      others: z.array(
        z.object({
          wave: z.int(),
          units: z.int().nonnegative(),
          headcount: z.int().nonnegative(),
          n: z.int().nonnegative().nullable(),
          rate: num
        })
      )
    })
  )
});
export type UnitDirectory = z.infer<typeof UnitDirectorySchema>;
