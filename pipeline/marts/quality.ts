// Data quality for stewards (数据质量): what was ingested (the store manifest with checksums), what was quarantined
// (file, row, column and the kind of problem — never the reason text, which quotes cells, nor the cells: those stay in
// the steward's quarantine CSV), which assessment rows were rejected, and per whole wave how many respondents the
// ingest flagged (speeders, straight-liners) and which items were skipped. Nothing here is counted per unit.
import type { QualityReport } from "../contracts/quality.ts";
import type { ReportStore } from "../db/report-store.ts";
import { runNamedQuery } from "../db/named-sql.ts";
import { MISSING_ANSWERS_ROW, QUALITY_FLAGS_ROW, QUARANTINE_ROW } from "../db/rows.ts";

/**
 * What went wrong with a row: the quarantine file's kind column (every kind the ingest writes, ROW_ERROR_KINDS in
 * pipeline/ingest/parse-row.ts, has its label here); for quarantine files written before that column, the pattern
 * of the reason text.
 */
/** For a kind that only the kind column gives (no reason written before it had one). */
const NEVER = /(?!)/u;

export const SURVEY_REASON_KINDS: { kind: string; label: string; pattern: RegExp }[] = [
  { kind: "unknown_unit", label: "单位不在名册中", pattern: /^单位“.*”不在名册中$/u },
  { kind: "invalid_likert", label: "量表答案无法识别", pattern: /^无法识别的量表答案/u },
  { kind: "out_of_range", label: "取值超出量表或选项范围", pattern: /^(超出量表范围|选项序号超出范围)/u },
  { kind: "unknown_option", label: "选项不在问卷中", pattern: /^未知选项/u },
  { kind: "missing_required", label: "必答题未作答", pattern: /^必答题未作答$/u },
  { kind: "duplicate", label: "序号重复或答卷重复导入", pattern: /^(序号 .* 重复|与已导入的 .* 重复)/u },
  { kind: "empty_row", label: "空行", pattern: /^空行/u },
  { kind: "not_number", label: "数值题不是数字", pattern: /^不是数字/u },
  { kind: "invalid_multiple", label: "多选展开列取值有误", pattern: /^多选展开列/u },
  { kind: "column_shift", label: "列错位", pattern: /列错位/u },
  {
    kind: "invalid_meta",
    label: "序号、时间或用时无法识别",
    pattern: /^(序号不是整数|无法识别的时间|不存在的日期|所用时间为负数|无法识别的所用时间)/u
  },
  { kind: "invalid_serial", label: "序号无法识别或超出范围", pattern: /^序号 .* 超出范围/u },
  { kind: "invalid_time", label: "提交时间无法识别或不存在", pattern: /^不存在的日期或时间/u },
  { kind: "invalid_duration", label: "所用时间无法识别", pattern: NEVER },
  { kind: "repeated_header", label: "重复的表头行", pattern: /重复的表头/u },
  { kind: "conflicting_columns", label: "同一题两列答案不同", pattern: /^与同一题的另一列/u },
  { kind: "text_too_long", label: "文字答案过长", pattern: /^文字答案超过/u },
  { kind: "invalid_value", label: "取值无效", pattern: NEVER },
  { kind: "merged_cell", label: "位于合并单元格内", pattern: /合并单元格/u },
  { kind: "formula_without_value", label: "公式没有保存计算结果", pattern: /公式但文件中没有保存计算结果/u },
  { kind: "excel_error", label: "Excel 错误值", pattern: /Excel 错误值/u },
  { kind: "quote_span", label: "引号未闭合，多行并成一行", pattern: /引号内有换行/u },
  { kind: "garbled_text", label: "乱码（无法解码的字节）", pattern: /乱码/u }
];

/** The same for assessment scores (pipeline/ingest/assessment.ts). */
export const ASSESSMENT_REASON_KINDS: { kind: string; label: string; pattern: RegExp }[] = [
  { kind: "unknown_unit", label: "单位代码不在名册中", pattern: /^单位代码 .* 不在名册中$/u },
  { kind: "unknown_indicator", label: "指标不在指标定义中", pattern: /^指标 .* 不在指标定义中$/u },
  { kind: "score_above_max", label: "得分超过满分", pattern: /超过满分/u },
  { kind: "duplicate_row", label: "重复行", pattern: /重复（同一年度、单位和指标）$/u },
  { kind: "not_number", label: "得分或年度不是数字", pattern: /不是数字$/u },
  { kind: "empty_cell", label: "必填列为空", pattern: /为空$/u }
];

const OTHER = { kind: "other", label: "其他" };

export function reasonKind(reason: string, kinds = SURVEY_REASON_KINDS): { kind: string; label: string } {
  const k = kinds.find((x) => x.pattern.test(reason));
  return k ? { kind: k.kind, label: k.label } : OTHER;
}

export type { QualityReport };

type QuarantineRow = QualityReport["quarantine"][number];

/** Every reason a survey row was quarantined, by wave, file and row, and how many of each kind. */
async function surveyQuarantine(store: ReportStore): Promise<Pick<QualityReport, "quarantine" | "quarantineKinds">> {
  const waveOf = new Map(store.manifest.files.filter((f) => f.quarantine).map((f) => [f.quarantine!, f.wave]));
  const known = new Set(SURVEY_REASON_KINDS.map((k) => k.kind));
  const quarantine: QuarantineRow[] = (await runNamedQuery(store.conn, "quarantine_rows_by_file", QUARANTINE_ROW)).map(
    (r) => ({
      file: r.file,
      wave: waveOf.get(r.quarantine_file) ?? 0,
      row: r.row,
      column: r.column,
      kind: r.kind && known.has(r.kind) ? r.kind : reasonKind(r.reason).kind
    })
  );
  quarantine.sort((a, b) => a.wave - b.wave || (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || a.row - b.row);
  return { quarantine, quarantineKinds: quarantineKinds(quarantine) };
}

function quarantineKinds(quarantine: QuarantineRow[]): QualityReport["quarantineKinds"] {
  return [...SURVEY_REASON_KINDS, OTHER]
    .map(({ kind, label }) => {
      const of = quarantine.filter((q) => q.kind === kind);
      const byWave: Record<string, number> = {};
      for (const q of of) byWave[q.wave] = (byWave[q.wave] ?? 0) + 1;
      return { kind, label, reasons: of.length, rows: new Set(of.map((q) => `${q.file}|${q.row}`)).size, byWave };
    })
    .filter((k) => k.reasons > 0);
}

/** The assessment scores file's rejected rows (null without a scores file). */
async function assessmentQuarantine(store: ReportStore): Promise<QualityReport["assessment"]> {
  const { file } = await store.assessment();
  if (!file) return null;
  const kindOf = (reason: string) => reasonKind(reason, ASSESSMENT_REASON_KINDS).kind;
  return {
    file: file.file,
    rows: file.rows,
    accepted: file.accepted,
    quarantined: file.quarantined.length,
    errors: file.quarantined.map((e) => ({ row: e.row, column: e.column, kind: kindOf(e.reason) })),
    kinds: [...ASSESSMENT_REASON_KINDS, OTHER]
      .map(({ kind, label }) => ({
        kind,
        label,
        rows: file.quarantined.filter((e) => kindOf(e.reason) === kind).length
      }))
      .filter((k) => k.rows > 0)
  };
}

/** Per wave, the respondents the ingest flagged and the spread of 所用时间. */
async function qualityFlags(store: ReportStore): Promise<QualityReport["flags"]> {
  return (await runNamedQuery(store.conn, "quality_flags_by_wave", QUALITY_FLAGS_ROW)).map((f) => ({
    wave: f.wave,
    respondents: f.respondents,
    speeders: f.speeders,
    straightliners: f.straightliners,
    flagged: f.flagged,
    medianDuration: f.median_duration,
    p10Duration: f.p10_duration
  }));
}

/** Per wave and question, the respondents who left it unanswered. */
async function missingAnswers(store: ReportStore): Promise<QualityReport["missing"]> {
  return (await runNamedQuery(store.conn, "missing_answers_by_wave_question", MISSING_ANSWERS_ROW)).map((m) => ({
    wave: m.wave,
    question: m.question,
    respondents: m.respondents,
    missing: m.missing,
    share: m.respondents > 0 ? m.missing / m.respondents : 0
  }));
}

/** What was ingested: the store manifest's files, with their checksums. */
function ingestedFiles(store: ReportStore): QualityReport["files"] {
  return store.manifest.files.map((f) => ({
    name: f.name,
    sha256: f.sha256,
    wave: f.wave,
    kind: f.kind,
    format: f.format,
    encoding: f.encoding ?? null,
    rows: f.rows,
    accepted: f.accepted,
    quarantined: f.quarantined,
    ingestedAt: f.ingestedAt,
    codebookVersion: f.codebookVersion,
    warnings: f.warnings
  }));
}

/** The data-quality page: the store's files, its quarantine, the assessment's, the flags and the unanswered items. */
export async function qualityReport(store: ReportStore): Promise<QualityReport> {
  const { codebook } = store.index;
  const { quarantine, quarantineKinds } = await surveyQuarantine(store);
  const assessment = await assessmentQuarantine(store);
  const flags = await qualityFlags(store);
  const missing = await missingAnswers(store);
  return {
    codebook: { id: codebook.id, version: codebook.version, title: codebook.title },
    minGroupSize: codebook.minGroupSize,
    rules: { ...codebook.quality },
    refreshedAt: store.manifest.updatedAt,
    files: ingestedFiles(store),
    quarantine,
    quarantineKinds,
    assessment,
    flags,
    questions: codebook.questions.map((q) => ({ code: q.code, number: q.number ?? null, text: q.text, type: q.type })),
    missing
  };
}
