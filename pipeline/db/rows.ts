// The rows of every named query (pipeline/db/sql/<name>.sql), as zod schemas: runNamedQuery parses each row with its
// query's schema. Columns are listed in the SQL's order (a parsed row keeps the schema's key order) and every schema
// is strict: a column added to or dropped from the SQL fails loudly rather than passing through unseen.
// Values are what queryRows (io/duckdb.ts) makes of DuckDB's: INTEGER → number (an integer), DOUBLE → number,
// VARCHAR → string, NULL → null. Parsing checks and never converts: a parsed row holds the very values of the SQL's.
// The query cache relies on it (query-cache.ts keeps a result as parsed and does not parse it again): no transform,
// default or coercion here, and no import but zod (the cache's key covers this file's text).
import { z } from "zod";

/** INTEGER (and the counts the SQL casts to it). */
const integer = z.int();
/**
 * DOUBLE: any number, NaN and ±Infinity included (a correlation without variance is NaN; a result read back from
 * the query cache's JSON has null instead, so such columns are nullable).
 */
const double = z.custom<number>((v) => typeof v === "number", { message: "expected a number (DOUBLE)" });

export const ASSESSMENT_QUADRANT_ROW = z.strictObject({
  year: integer,
  unit: z.string(),
  party_building: double,
  business: double,
  party_building_median: double,
  business_median: double,
  party_building_percentile: double,
  business_percentile: double
});

export const ASSESSMENT_SCORE_ROW = z.strictObject({
  year: integer,
  unit: z.string(),
  indicator: z.string(),
  score: double
});

export const ASSESSMENT_TOTAL_ROW = z.strictObject({
  year: integer,
  unit: z.string(),
  name: z.string(),
  category: z.string(),
  /** NULL when the unit has no indicator of the domain scored that year. */
  party_building: double.nullable(),
  business: double.nullable(),
  process_weight_share: double.nullable(),
  party_building_indicators: integer,
  business_indicators: integer
});

export const CHOICE_COUNT_ROW = z.strictObject({ wave: integer, option: integer, count: integer, n: integer });

export const GROUP_SIZE_ROW = z.strictObject({
  wave: integer,
  grouping: z.string(),
  /** NULL: the respondents who did not answer the attribute. */
  group: z.string().nullable(),
  counted: integer,
  floor: integer
});

export const GROUPING_GROUP_ROW = z.strictObject({ grouping: z.string(), group: z.string(), group_order: integer });

export const INDICATOR_SCORE_SUMMARY_ROW = z.strictObject({
  year: integer,
  indicator: z.string(),
  n: integer,
  mean: double,
  /** NULL when a single unit scored the indicator. */
  sd: double.nullable(),
  min: double,
  q1: double,
  median: double,
  q3: double,
  max: double
});

export const INDICATOR_WEIGHT_ROW = z.strictObject({
  domain: z.string(),
  kind: z.string(),
  indicators: integer,
  weight: double,
  share: double
});

export const ITEM_DISTRIBUTION_ROW = z.strictObject({
  wave: integer,
  grouping: z.string(),
  group: z.string(),
  group_order: integer,
  question: z.string(),
  score: integer,
  n: integer
});

export const MISSING_ANSWERS_ROW = z.strictObject({
  wave: integer,
  question: z.string(),
  position: integer,
  respondents: integer,
  answered: integer,
  missing: integer
});

export const QUALITY_FLAGS_ROW = z.strictObject({
  wave: integer,
  respondents: integer,
  speeders: integer,
  straightliners: integer,
  flagged: integer,
  /** NULL when no respondent of the wave has a 所用时间. */
  median_duration: double.nullable(),
  p10_duration: double.nullable()
});

export const QUARANTINE_ROW = z.strictObject({
  file: z.string(),
  row: integer,
  column: z.string(),
  /** NULL in quarantine files written before the kind column. */
  kind: z.string().nullable(),
  reason: z.string(),
  quarantine_file: z.string()
});

export const SCALE_CORRELATION_ROW = z.strictObject({
  kind: z.enum(["respondents", "pairwise", "listwise"]),
  wave: integer,
  outcome: z.string().nullable(),
  x: z.string().nullable(),
  y: z.string().nullable(),
  n: integer,
  /** NaN without variance (null once read back from the query cache); NULL in 'respondents' rows. */
  r: double.nullable()
});

/** The sums of scale_scores_by_wave_* that give a scale's mean and its standard error (pipeline/stats/ratio.ts). */
const scaleSums = {
  n: integer,
  sum_s: double,
  sum_m: double,
  sum_ss: double,
  sum_mm: double,
  sum_sm: double
};

export const SCALE_SCORE_GROUP_ROW = z.strictObject({
  wave: integer,
  grouping: z.string(),
  group: z.string(),
  group_order: integer,
  level: z.enum(["section", "dimension", "subdimension"]),
  code: z.string(),
  ...scaleSums,
  n_agree: integer
});

export const SCALE_SCORE_UNIT_ROW = z.strictObject({
  wave: integer,
  unit: z.string(),
  level: z.enum(["section", "dimension"]),
  code: z.string(),
  ...scaleSums
});

export const SUBDIMENSION_SCORE_ROW = z.strictObject({
  wave: integer,
  unit: z.string(),
  category: z.string(),
  n: integer,
  mean: double
});

/** Every named query that returns rows, with its schema (the scripts that create views return none). */
export const NAMED_QUERY_ROWS = {
  assessment_quadrants_by_year_unit: ASSESSMENT_QUADRANT_ROW,
  assessment_scores_by_year_unit_indicator: ASSESSMENT_SCORE_ROW,
  assessment_totals_by_year_unit: ASSESSMENT_TOTAL_ROW,
  choice_counts_by_wave: CHOICE_COUNT_ROW,
  group_sizes_by_wave: GROUP_SIZE_ROW,
  groups_by_grouping: GROUPING_GROUP_ROW,
  indicator_score_summary_by_year: INDICATOR_SCORE_SUMMARY_ROW,
  indicator_weights_by_domain_kind: INDICATOR_WEIGHT_ROW,
  item_distribution_by_wave_group: ITEM_DISTRIBUTION_ROW,
  missing_answers_by_wave_question: MISSING_ANSWERS_ROW,
  quality_flags_by_wave: QUALITY_FLAGS_ROW,
  quarantine_rows_by_file: QUARANTINE_ROW,
  scale_correlations_by_wave: SCALE_CORRELATION_ROW,
  scale_scores_by_wave_group: SCALE_SCORE_GROUP_ROW,
  scale_scores_by_wave_unit: SCALE_SCORE_UNIT_ROW,
  subdimension_scores_by_wave_unit: SUBDIMENSION_SCORE_ROW
} as const;

export type NamedQuery = keyof typeof NAMED_QUERY_ROWS;
