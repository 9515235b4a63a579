// Assessment scores (考核): one CSV row per year, unit and indicator. Every row is validated against the roster and
// the indicator definitions; a bad row is quarantined with its file, row, column and reason, never dropped in silence.
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { AssessmentScoreSchema, type AssessmentScore, type Indicator, type RosterUnit } from "../codebook/schema.ts";
import { formatPath } from "../codebook/load.ts";
import { parseCsvText } from "../io/csv.ts";
import { decodeText } from "../io/decode.ts";
import { NestedMap3 } from "../io/nested-map.ts";
import { recordInput } from "../io/trace.ts";

export interface AssessmentRowError {
  file: string;
  row: number;
  column: string;
  reason: string;
}

export interface AssessmentFile {
  file: string;
  rows: number;
  scores: AssessmentScore[];
  quarantined: AssessmentRowError[];
}

const COLUMNS = ["year", "unit", "indicator", "score"] as const;
const COLUMN_NAMES: Record<(typeof COLUMNS)[number], string> = {
  year: "年度",
  unit: "单位代码",
  indicator: "指标代码",
  score: "得分"
};

export function loadAssessmentScores(file: string, roster: RosterUnit[], indicators: Indicator[]): AssessmentFile {
  const name = basename(file);
  const { text } = decodeText(readFileSync(file));
  recordInput(file);
  const [header = [], ...body] = parseCsvText(text);
  const missing = COLUMNS.filter((c) => !header.map((h) => h.trim()).includes(c));
  if (missing.length) throw new Error(`${name}: 缺少列 ${missing.join("、")}（需要 year,unit,indicator,score）`);
  const known: KnownCodes = {
    units: new Set(roster.map((u) => u.code)),
    indicators: new Map(indicators.map((i) => [i.code, i]))
  };
  // The first row of each unit, indicator and year, in maps nested by part (no key string per row).
  const seen = new NestedMap3<number>();
  const scores: AssessmentScore[] = [];
  const quarantined: AssessmentRowError[] = [];
  const names = header.map((h) => h.trim());
  let rows = 0;
  // Plain loops, no closure per row: a province's file has hundreds of thousands of rows, read on every refresh.
  for (let i = 0; i < body.length; i++) {
    const cells = body[i];
    if (isBlank(cells)) continue;
    rows++;
    const row = i + 2;
    const checked = checkScore(recordOf(names, cells), known);
    if ("reason" in checked) {
      quarantined.push({ file: name, row, ...checked });
      continue;
    }
    const s = checked.score;
    const first = seen.get(s.unit, s.indicator, s.year);
    if (first !== undefined) {
      quarantined.push({
        file: name,
        row,
        column: "indicator",
        reason: `与第 ${first} 行重复（同一年度、单位和指标）`
      });
      continue;
    }
    seen.set(row, s.unit, s.indicator, s.year);
    scores.push(s);
  }
  return { file: name, rows, scores, quarantined };
}

function isBlank(cells: string[]): boolean {
  for (const cell of cells) if (cell.trim() !== "") return false;
  return true;
}

/** A row's cells by the header's (trimmed) names; a missing cell is "". */
function recordOf(names: string[], cells: string[]): Record<string, string> {
  const record: Record<string, string> = {};
  for (let j = 0; j < names.length; j++) record[names[j]] = (cells[j] ?? "").trim();
  return record;
}

interface KnownCodes {
  units: Set<string>;
  indicators: Map<string, Indicator>;
}

/**
 * One row's score, or the column and reason it is quarantined for (a module function, not a closure per row: tsx
 * names every closure it makes, and a province's scores file has hundreds of thousands of rows).
 */
function checkScore(
  record: Record<string, string>,
  known: KnownCodes
): { score: AssessmentScore } | { column: string; reason: string } {
  // An empty cell is a missing value, not a zero (zod's coercion would read "" as 0); a score with its unit
  // ("91.5分") or a year in words is not a number: both are named in Chinese before the schema's generic message.
  const empty = COLUMNS.find((c) => record[c] === "");
  if (empty) return { column: empty, reason: `${COLUMN_NAMES[empty]}为空` };
  for (const c of ["year", "score"] as const)
    if (!Number.isFinite(Number(record[c]))) return { column: c, reason: `${COLUMN_NAMES[c]}“${record[c]}”不是数字` };
  const parsed = AssessmentScoreSchema.safeParse(record);
  if (!parsed.success)
    return { column: formatPath(parsed.error.issues[0].path), reason: parsed.error.issues[0].message };
  const s = parsed.data;
  if (!known.units.has(s.unit)) return { column: "unit", reason: `单位代码 ${s.unit} 不在名册中` };
  const indicator = known.indicators.get(s.indicator);
  if (!indicator) return { column: "indicator", reason: `指标 ${s.indicator} 不在指标定义中` };
  if (s.score > indicator.maxScore)
    return { column: "score", reason: `得分 ${s.score} 超过满分 ${indicator.maxScore}` };
  return { score: s };
}
