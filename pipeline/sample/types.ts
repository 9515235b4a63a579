// The shapes of the simulated truth: what generateSample returns and writeSample renders.
import type { AssessmentScore } from "../codebook/schema.ts";

/** 问卷星's three export modes: 按选项文本, 按选项序号, 按分数. */
export type ExportMode = "text" | "number" | "score";
/** How a file is stored: BIFF8 .xls, .xlsx, CSV in GBK (CRLF), CSV in UTF-8 with a BOM (CRLF). */
export type FileFormat = "xls" | "xlsx" | "csv-gbk" | "csv-utf8bom";

export interface FilePlan {
  year: number;
  /** the file name as a steward receives it, e.g. 2019年市直机关党务干部问卷_按文本.xls */
  fileName: string;
  mode: ExportMode;
  format: FileFormat;
}

/** Why an answer is missing: "skipped" prints (跳过) / -3, "unanswered" prints an empty cell / -2. */
export type MissingKind = "skipped" | "unanswered";

/** A multiple-choice answer: the chosen option labels (in option order) and the other option's fill-in. */
export interface MultipleAnswer {
  labels: string[];
  other: string | null;
}

/**
 * A raw answer by question type: single → option label (the unit question: the roster name); likert → the raw score
 * (before reverse keying); multiple → MultipleAnswer; number → number; text → string; null when missing.
 */
export type RawAnswer = string | number | MultipleAnswer | null;

export interface SampleRespondent {
  /** `${year}-${n}` (n = 1.. in generation order; stable for a seed) */
  id: string;
  year: number;
  /** 序号 printed in the file */
  serial: number;
  /** the row in the file (header = row 1) */
  row: number;
  /** roster unit code */
  unit: string;
  /** roster unit category */
  category: string;
  /** attribute (codebook `attribute`) → the option label answered (unit → the roster name) */
  attributes: Record<string, string>;
  /** question code → raw answer */
  answers: Record<string, RawAnswer>;
  /** question code → why its answer is null (only for null answers) */
  missing: Record<string, MissingKind>;
  /** 提交答卷时间 as printed, e.g. "2019/10/12 9:31:05" */
  submittedAt: string;
  /** 所用时间 in seconds (printed "325秒") */
  durationSeconds: number;
  source: string;
  sourceDetail: string;
  /** e.g. "123.180.12.34(河北-石家庄)" */
  ip: string;
  flags: { speeder: boolean; straightliner: boolean };
  /** dimension code → the respondent's latent keyed mean (before item noise and rounding) */
  latent: Record<string, number>;
}

export type FlawKind =
  /** a unit name not in the roster (former name, short form) or, in number/score mode, an option number past the roster */
  | "unknown_unit"
  /** a Likert cell out of the scale: a number (6, 33…) in number/score mode */
  | "likert_out_of_range"
  /** a Likert cell with a label not on the scale (text mode) */
  | "invalid_option"
  /** a required question (the role) left empty */
  | "missing_required"
  /** a fully empty row (at the end of the file) */
  | "empty_row"
  /** a second row with the 序号 of an earlier row (an exact copy of it) */
  | "duplicate_id";

export interface SampleFlaw {
  file: string;
  year: number;
  /** row number as in the file, header = 1 */
  row: number;
  /** the column header exactly as written (with a trailing space if it has one); null for a whole-row flaw */
  column: string | null;
  kind: FlawKind;
  /** the offending cell value as written (null for an empty row) */
  value: string | number | null;
  /** for duplicate_id: the row it repeats */
  duplicateOf?: number;
  note: string;
}

/** An answer that names a unit or a person: a privacy problem to redact, not a row to quarantine. */
export interface SensitiveText {
  file: string;
  year: number;
  row: number;
  respondentId: string;
  question: string;
  column: string;
  kind: "unit_name" | "person_name";
  text: string;
}

/** A row as written to the file. */
export interface FileRow {
  /** row number in the file (header = 1) */
  row: number;
  /** 序号 printed, null for the empty row */
  serial: number | null;
  /** whose answers the row prints; null for the empty row */
  respondent: SampleRespondent | null;
  /** true when the row is a clean respondent of the wave (in `respondents`), false for flawed and duplicate rows */
  clean: boolean;
  /** a cell the flaw replaces: question code → the value written verbatim in that question's (first) column */
  override?: { question: string; value: string | number };
}

export interface SampleWave {
  year: number;
  file: FilePlan;
  /** the clean respondents (2019: exactly 565), in file order */
  respondents: SampleRespondent[];
  /** every data row of the file in order, including the flawed ones */
  rows: FileRow[];
  /** roster unit code → number of clean respondents */
  unitCounts: Record<string, number>;
}

/** A deliberately flawed row of assessment/scores.csv, which the assessment loader must quarantine. */
export type AssessmentFlawKind =
  /** a unit code not in the roster (a unit created or renamed after the roster was made) */
  | "unknown_unit"
  /** an indicator code not in indicators.json (last year's indicator set) */
  | "unknown_indicator"
  /** a score above the indicator's maxScore */
  | "score_above_max"
  /** an exact copy of an earlier row (same year, unit and indicator) */
  | "duplicate_row"
  /** a score that is not a number (typed with its unit: "91.5分") */
  | "non_numeric_score";

export interface AssessmentFlaw {
  kind: AssessmentFlawKind;
  /** row number as in the file, header = 1 */
  row: number;
  /** the clean row (index into SampleTruth.assessment) this row is written right after */
  after: number;
  /** the column a steward must fix */
  column: "unit" | "indicator" | "score";
  /** the cells as written: year, unit, indicator, score */
  cells: [number, string, string, number | string];
  /** for duplicate_row: the row it repeats */
  duplicateOf?: number;
  note: string;
}

export interface SampleTruth {
  seed: number;
  waves: SampleWave[];
  flaws: SampleFlaw[];
  sensitiveTexts: SensitiveText[];
  /** the clean assessment scores (every row the loader accepts), in file order */
  assessment: AssessmentScore[];
  /** the flawed rows written among them into assessment/scores.csv, in file order */
  assessmentFlaws: AssessmentFlaw[];
  /** unit code → latent strengths used for the assessment (z-scores) and whether the unit was made a 两张皮 case */
  unitProfiles: Record<string, { partyBuilding: number; business: number; twoSkins: boolean }>;
  /** question codes whose header gets a trailing space (as in the real 问卷星 file) */
  headerTrailingSpace: string[];
  /** roster unit names in roster order (the options of the unit question) */
  unitNames: string[];
}
