// 概览 (overview.json) and 趋势 (trends.json, trends-categories.json).
import { z } from "zod";
import { SectionTreeSchema } from "./common.ts";
import { DirectionSchema, hiddenRowsCarryNothing, ScaleLevelSchema } from "./scores.ts";

const num = z.number().nullable();
const hidden = (fields: string[]) => hiddenRowsCarryNothing<{ suppressed: boolean } & Record<string, unknown>>(fields);

export const OverviewScoreSchema = z
  .strictObject({
    code: z.string(),
    name: z.string(),
    direction: DirectionSchema,
    n: z.int().nullable(),
    index: num,
    indexLow: num,
    indexHigh: num,
    previousWave: z.int().nullable(),
    indexChange: num,
    /** The change test's own p, not adjusted for multiplicity. */
    changeP: num,
    /** The section page's verdict on the same figure (its family, Benjamini–Hochberg at 5%), not changeP < 0.05. */
    changeSignificant: z.boolean().nullable(),
    suppressed: z.boolean()
  })
  .superRefine(hidden(["n", "index", "indexLow", "indexHigh", "indexChange", "changeP", "changeSignificant"]));
export type OverviewScore = z.infer<typeof OverviewScoreSchema>;

export const OverviewRateSchema = z
  .strictObject({
    code: z.string(),
    name: z.string(),
    headcount: z.int(),
    n: z.int().nullable(),
    rate: num,
    suppressed: z.boolean()
  })
  .superRefine(hidden(["n", "rate"]));
export type OverviewRate = z.infer<typeof OverviewRateSchema>;

/** A series' level in one wave, as trends.json and the overview's chart publish it (one shape for both). */
const trendLevelShape = {
  wave: z.int(),
  /** The group's one count in this wave. */
  n: z.int().nullable(),
  index: num,
  low: num,
  high: num
};

/** One wave of a dimension on the overview's chart: exactly trends.json's figures for it (all respondents). */
export const OverviewTrendPointSchema = z
  .strictObject({ ...trendLevelShape, suppressed: z.boolean() })
  .superRefine(hidden(["n", "index", "low", "high"]));
export type OverviewTrendPoint = z.infer<typeof OverviewTrendPointSchema>;

export const OverviewSchema = z.strictObject({
  title: z.string(),
  refreshedAt: z.string(),
  minGroupSize: z.int().positive(),
  changeTest: z.string(),
  waves: z.array(z.int()),
  wave: z.int(),
  previousWave: z.int().nullable(),
  response: z.strictObject({
    all: OverviewRateSchema,
    previousAll: OverviewRateSchema.nullable(),
    categories: z.array(OverviewRateSchema)
  }),
  sections: z.array(OverviewScoreSchema),
  focus: z.strictObject({ code: z.string(), name: z.string(), direction: DirectionSchema }),
  /** The dimensions of the focus section, in codebook order, with the report's phrase for each (summary). */
  dimensions: z.array(z.strictObject({ ...OverviewScoreSchema.shape, summary: z.string().nullable() })),
  /**
   * The dimensions of the focus section over every wave (all respondents), in codebook order: the overview's chart.
   * The same values at the same precision and with the same suppression as their series in trends.json; no change
   * verdicts (the cards give the section page's).
   */
  trend: z.array(z.strictObject({ code: z.string(), name: z.string(), points: z.array(OverviewTrendPointSchema) })),
  /** The weakest sub-dimensions of the focus section, with the codebook's measures that address them. */
  weakest: z.array(
    z.strictObject({
      ...OverviewScoreSchema.shape,
      dimension: z.string(),
      dimensionName: z.string(),
      measures: z.array(z.strictObject({ code: z.string(), name: z.string(), part: z.string() }))
    })
  ),
  /**
   * The shown units whose focus-section index is worse than the rest of their unit category after the
   * Benjamini–Hochberg adjustment across every unit compared (pipeline/marts/unit-verdicts.ts), worst first; at most
   * a few are listed, unitComparison.worse counts them all. Empty when no unit passes.
   */
  lagging: z.array(
    z.strictObject({
      code: z.string(),
      name: z.string(),
      category: z.string(),
      n: z.int(),
      index: z.number(),
      indexLow: num,
      indexHigh: num,
      /** The p of unit − rest of its category, BH-adjusted across the units compared (DIGITS.p). */
      adjustedP: z.number().min(0).max(1),
      weakest: z.strictObject({ code: z.string(), name: z.string(), index: z.number() }).nullable()
    })
  ),
  /** Units shown in the latest wave (ranked at all). */
  rankedUnits: z.int(),
  /** How the units were compared, and how many: verdicts only, never the rest's figures (derivable by differencing). */
  unitComparison: z.strictObject({
    comparedWith: z.literal("unit_category"),
    test: z.string(),
    /** The false discovery rate held across the units compared. */
    fdr: z.number().gt(0).lt(1),
    /** Shown units with a rest of their category to compare with (the family of the adjustment). */
    compared: z.int().nonnegative(),
    /** Of those, worse and better than the rest of their category after the adjustment. */
    worse: z.int().nonnegative(),
    better: z.int().nonnegative()
  })
});
export type Overview = z.infer<typeof OverviewSchema>;
export type OverviewWeakSpot = Overview["weakest"][number];
export type OverviewLaggingUnit = Overview["lagging"][number];

export const TrendPointSchema = z
  .strictObject({
    ...trendLevelShape,
    /** Change of the index since the series' previous shown wave, its p and verdict. */
    change: num,
    /** The change test's own p, not adjusted for multiplicity. */
    p: num,
    /** Benjamini–Hochberg adjusted p ≤ 5% within the file's family: every change of its series. Not p < 0.05. */
    significant: z.boolean().nullable(),
    suppressed: z.boolean()
  })
  .superRefine(hidden(["n", "index", "low", "high", "change", "p", "significant"]));
export type TrendPoint = z.infer<typeof TrendPointSchema>;

export const TrendSeriesSchema = z.strictObject({
  section: z.string(),
  level: ScaleLevelSchema,
  code: z.string(),
  name: z.string(),
  dimension: z.string().nullable(),
  grouping: z.string(),
  group: z.string(),
  points: z.array(TrendPointSchema)
});
export type TrendSeries = z.infer<typeof TrendSeriesSchema>;

export const TrendsSchema = z.strictObject({
  title: z.string(),
  refreshedAt: z.string(),
  minGroupSize: z.int().positive(),
  changeTest: z.string(),
  waves: z.array(z.int()),
  sections: SectionTreeSchema,
  grouping: z.string(),
  groups: z.array(z.string()),
  series: z.array(TrendSeriesSchema)
});
export type Trends = z.infer<typeof TrendsSchema>;
