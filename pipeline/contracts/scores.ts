// The rows of the section marts as every published file and page sees them (pipeline/marts/section.ts): scale scores
// and item distributions per wave and breakdown group. A hidden group keeps its row (presence says nothing) with
// every figure null. Figures are at the precision the pages print (precision.ts): no mean or SD on the raw scale,
// only the 0–100 index with its interval, so that no second moment can be rebuilt from a published file.
import { z } from "zod";

export const ScaleLevelSchema = z.enum(["section", "dimension", "subdimension"]);
export type ScaleLevel = z.infer<typeof ScaleLevelSchema>;

export const DirectionSchema = z.enum(["higher_is_better", "higher_is_worse"]);
export type Direction = z.infer<typeof DirectionSchema>;

const num = z.number().nullable();
const int = z.int().nullable();

/** Fields of a row that are statistics of its group: all null when the row is suppressed. */
export function hiddenRowsCarryNothing<T extends { suppressed: boolean }>(fields: readonly (keyof T & string)[]) {
  return (row: T, ctx: z.RefinementCtx) => {
    if (!row.suppressed) return;
    const leaked = fields.filter((f) => row[f] !== null && row[f] !== undefined);
    if (leaked.length) ctx.addIssue({ code: "custom", message: `a suppressed row carries ${leaked.join(", ")}` });
  };
}

export const ChangeFieldsSchema = z.strictObject({
  /** The same series' previous wave in which it is shown (null: none). */
  previousWave: int,
  /** Change of the 0–100 index since previousWave, with its 95% interval. */
  indexChange: num,
  changeLow: num,
  changeHigh: num,
  /** The change test's own two-sided p (pipeline/marts/wave-changes.ts), not adjusted for multiplicity. */
  changeP: num,
  /**
   * The verdict: the Benjamini–Hochberg adjusted p within the page's family of change tests is at most 5% (a section
   * page: every change of its scores file). Not p < 0.05: a change with changeP below 0.05 may be not significant.
   */
  changeSignificant: z.boolean().nullable()
});
export type ChangeFields = z.infer<typeof ChangeFieldsSchema>;

export const SCALE_SCORE_STATISTICS = [
  "n",
  "index",
  "indexLow",
  "indexHigh",
  "agreeShare",
  "agreeLow",
  "agreeHigh",
  "indexChange",
  "changeLow",
  "changeHigh",
  "changeP",
  "changeSignificant"
] as const;

/** A scale score cell without what a page file keeps elsewhere (names in the meta file; previousWave from the keys). */
export const ScaleScoreCellSchema = z
  .strictObject({
    wave: z.int(),
    grouping: z.string(),
    group: z.string(),
    level: ScaleLevelSchema,
    code: z.string(),
    /** The group's one published count: its respondents who count (the same on every scale and page). */
    n: int,
    /** 0–100: (mean − scale min) / (scale max − scale min) · 100, with its 95% t interval. */
    index: num,
    indexLow: num,
    indexHigh: num,
    /** Share of respondents whose scale score is at or above the scale's agreeFrom, with a Wilson interval. */
    agreeShare: num,
    agreeLow: num,
    agreeHigh: num,
    suppressed: z.boolean(),
    ...ChangeFieldsSchema.omit({ previousWave: true }).shape
  })
  .superRefine(hiddenRowsCarryNothing<{ suppressed: boolean } & Record<string, unknown>>(SCALE_SCORE_STATISTICS));

export const ScaleScoreRowSchema = z
  .strictObject({
    ...ScaleScoreCellSchema.shape,
    name: z.string(),
    /** The dimension a sub-dimension belongs to (a dimension's own code; null for the section). */
    dimension: z.string().nullable(),
    previousWave: z.int().nullable()
  })
  .superRefine(hiddenRowsCarryNothing<{ suppressed: boolean } & Record<string, unknown>>(SCALE_SCORE_STATISTICS));
export type ScaleScoreRow = z.infer<typeof ScaleScoreRowSchema>;

/** An item distribution cell as a page file holds it (the item's wording is in the meta file; n is the sum). */
export const ItemCellSchema = z
  .strictObject({
    wave: z.int(),
    grouping: z.string(),
    group: z.string(),
    code: z.string(),
    /** Respondents per raw score, scale min..max. */
    counts: z.array(z.int().nonnegative()).nullable(),
    suppressed: z.boolean()
  })
  .superRefine(hiddenRowsCarryNothing<{ suppressed: boolean } & Record<string, unknown>>(["counts"]));

export const ItemDistributionRowSchema = z
  .strictObject({
    wave: z.int(),
    grouping: z.string(),
    group: z.string(),
    code: z.string(),
    text: z.string(),
    dimension: z.string(),
    subdimension: z.string(),
    reverse: z.boolean(),
    /** Respondents who answered the item (the sum of counts). */
    n: int,
    counts: z.array(z.int().nonnegative()).nullable(),
    suppressed: z.boolean()
  })
  .superRefine(hiddenRowsCarryNothing<{ suppressed: boolean } & Record<string, unknown>>(["n", "counts"]));
export type ItemDistributionRow = z.infer<typeof ItemDistributionRowSchema>;
