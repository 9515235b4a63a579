// 探索: the tables analysts query in the browser (explore/*.arrow, Arrow IPC streams) and their guide
// (explore/tables.json). Each row schema is the table's columns; the Arrow writer takes its column list from the
// mart's spec and the publish gate parses every row with these.
import { z } from "zod";
import { hiddenRowsCarryNothing } from "./scores.ts";

const num = z.number().nullable();
const hidden = (fields: string[]) => hiddenRowsCarryNothing<{ suppressed: boolean } & Record<string, unknown>>(fields);

export const ExploreScaleScoreSchema = z
  .strictObject({
    section: z.string(),
    section_name: z.string(),
    direction: z.enum(["higher_is_better", "higher_is_worse"]),
    wave: z.int(),
    breakdown: z.string(),
    breakdown_name: z.string(),
    group_name: z.string(),
    level: z.enum(["section", "dimension", "subdimension"]),
    code: z.string(),
    name: z.string(),
    dimension: z.string().nullable(),
    n: z.int().nullable(),
    index: num,
    index_low: num,
    index_high: num,
    agree_share: num,
    agree_low: num,
    agree_high: num,
    previous_wave: z.int().nullable(),
    index_change: num,
    change_low: num,
    change_high: num,
    change_p: num,
    change_significant: z.boolean().nullable(),
    suppressed: z.boolean()
  })
  .superRefine(
    hidden([
      "n",
      "index",
      "index_low",
      "index_high",
      "agree_share",
      "agree_low",
      "agree_high",
      "index_change",
      "change_low",
      "change_high",
      "change_p",
      "change_significant"
    ])
  );

export const ExploreItemDistributionSchema = z
  .strictObject({
    section: z.string(),
    wave: z.int(),
    breakdown: z.string(),
    breakdown_name: z.string(),
    group_name: z.string(),
    dimension: z.string(),
    subdimension: z.string(),
    code: z.string(),
    text: z.string(),
    reverse: z.boolean(),
    n: z.int().nullable(),
    score: z.int(),
    label: z.string(),
    count: z.int().nullable(),
    share: num,
    suppressed: z.boolean()
  })
  .superRefine(hidden(["n", "count", "share"]));

export const ExploreResponseRateSchema = z
  .strictObject({
    wave: z.int(),
    level: z.enum(["all", "unit_category", "unit", "unit_pool"]),
    code: z.string(),
    name: z.string(),
    category: z.string().nullable(),
    headcount: z.int(),
    n: z.int().nullable(),
    rate: num,
    suppressed: z.boolean()
  })
  .superRefine(hidden(["n", "rate"]));

/** Assessment totals are unit-level scores (not respondents'): no group-size rule applies. */
export const ExploreAssessmentTotalSchema = z.strictObject({
  year: z.int(),
  unit: z.string(),
  name: z.string(),
  category: z.string(),
  party_building: num,
  business: num,
  process_weight_share: num,
  party_building_indicators: z.int(),
  business_indicators: z.int()
});

export const ArrowColumnSchema = z.strictObject({
  name: z.string(),
  type: z.enum(["utf8", "int32", "float64", "bool"]),
  description: z.string()
});

export const ExploreCatalogSchema = z.strictObject({
  minGroupSize: z.int().positive(),
  waves: z.array(z.int()),
  refreshedAt: z.string(),
  tables: z.array(
    z.strictObject({ name: z.string(), description: z.string(), rows: z.int(), columns: z.array(ArrowColumnSchema) })
  )
});

// What an Arrow loader writes (publish/arrow.ts turns it into an IPC stream).
export type ArrowColumnType = "utf8" | "int32" | "float64" | "bool";

export interface ArrowColumn {
  name: string;
  type: ArrowColumnType;
  /** What the column holds, in Chinese, for the explore page's guide to the tables. */
  description: string;
}

export interface ArrowTableSpec<T extends Record<string, unknown> = Record<string, unknown>> {
  /** The table's name in DuckDB on the explore page. */
  name: string;
  /** One sentence, in Chinese: what one row is. */
  description: string;
  columns: ArrowColumn[];
  rows: T[];
}
