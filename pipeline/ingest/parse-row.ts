// One export row → one typed respondent, or the reasons it is rejected (each with the column a steward can find).
// Cells are first decoded by export mode (option text, option number, score), then the whole record is validated
// with a zod schema derived from the codebook, so ranges, required answers and types are checked in one place.
// Speed (a 20,000-row part has about a million cells, a Likert column about five distinct texts): each column
// remembers what its raw cells decode to, and a row whose every answer already passed its question's part of the
// schema (and whose required answers and metadata fit) is not parsed again; results are the same either way.
import { z } from "zod";
import type { Codebook, Question, RosterUnit } from "../codebook/schema.ts";
import { formatPath } from "../codebook/load.ts";
import type { ColumnRole, MetaField } from "./map-columns.ts";
import { normalizeText } from "./map-columns.ts";
import type { Cell } from "./read-table.ts";

export type Answer =
  | { type: "likert"; value: number }
  | { type: "single"; option: number; label: string; other?: string }
  | { type: "unit"; unit: string }
  /** otherOption: the option whose fill-in (〖…〗) is `other`. */
  | { type: "multiple"; options: number[]; other?: string; otherOption?: number }
  | { type: "number"; value: number }
  | { type: "text"; value: string };

export interface Respondent {
  serial: number | null;
  submittedAt: string | null;
  durationSeconds: number | null;
  source: string | null;
  answers: Map<string, Answer>;
}

/**
 * What went wrong with a row, as a stable machine-readable code beside the Chinese reason: written to the quarantine
 * CSV (`kind` column) and to `npm run ingest --json`. Every kind has a Chinese label in pipeline/marts/quality.ts.
 */
export const ROW_ERROR_KINDS = [
  "unknown_unit",
  "invalid_likert",
  "out_of_range",
  "unknown_option",
  "missing_required",
  "duplicate",
  "empty_row",
  "repeated_header",
  "not_number",
  "invalid_multiple",
  "column_shift",
  "conflicting_columns",
  "invalid_serial",
  "invalid_time",
  "invalid_duration",
  "text_too_long",
  "invalid_value",
  "merged_cell",
  "formula_without_value",
  "excel_error",
  "quote_span",
  "garbled_text"
] as const;
export type RowErrorKind = (typeof ROW_ERROR_KINDS)[number];

export interface RowError {
  column: string;
  kind: RowErrorKind;
  reason: string;
}

/** The largest 序号 the store holds (its serial column is a 32-bit INTEGER): validation and store agree. */
export const MAX_SERIAL = 2147483647;

/**
 * Format characters (Unicode category Cf: U+200B zero width space, U+200C/D, U+2060 word joiner, U+FEFF, U+00AD soft
 * hyphen, bidi marks …) that text pasted from WeChat or a web page carries invisibly: folded like spaces.
 */
const INVISIBLE = /\p{Cf}/gu;
export function stripInvisible(s: string): string {
  return s.replace(INVISIBLE, "");
}

const SKIPPED = new Set(["", "-2", "-3", "(跳过)", "跳过", "(空)", "空", "null", "n/a"]);

export function isSkipped(cell: Cell): boolean {
  if (cell === null) return true;
  if (typeof cell === "number") return cell === -2 || cell === -3;
  // Printable ASCII without blanks is its own NFKC form and has nothing to trim: only the case is folded.
  if (typeof cell === "string" && isPrintableAscii(cell)) return SKIPPED.has(cell.toLowerCase());
  return SKIPPED.has(stripInvisible(String(cell).normalize("NFKC")).trim().toLowerCase());
}

function isPrintableAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x21 || c > 0x7e) return false;
  }
  return true;
}

/** Splits `其他【请注明】〖亲友赠送的〗` into the option text and the fill-in. */
function splitFillIn(text: string): { label: string; fillIn?: string } {
  // Only a 〖…〗 suffix is 问卷星's fill-in; 【请注明】 is part of the option label itself.
  const wjx = /^(.*?)〖(.*)〗\s*$/su.exec(text);
  return wjx ? { label: wjx[1], fillIn: wjx[2] } : { label: text };
}

/** A cell's text as quoted in a reason: at most 40 characters, control and invisible characters shown as escapes. */
export function quoted(value: unknown): string {
  const text = String(value);
  const shown = text.length > 40 ? `${text.slice(0, 40)}…（共 ${text.length} 字）` : text;
  return `“${shown.replace(/[\u0000-\u001f\u007f]|\p{Cf}/gu, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`)}”`;
}

const INTEGER = /^\s*[+-]?\d+\s*$/;

function asInteger(cell: Cell): number | undefined {
  if (typeof cell === "number") return Number.isInteger(cell) ? cell : undefined;
  if (typeof cell === "string") {
    const text = stripInvisible(cell.normalize("NFKC"));
    if (INTEGER.test(text)) return Number(text);
  }
  return undefined;
}

export interface RowContext {
  codebook: Codebook;
  roster: RosterUnit[];
  roles: ColumnRole[];
  header: string[];
  date1904: boolean;
}

/** Lookup tables built once per file, not per row. */
export interface RowDecoder {
  /**
   * submittedAt: what decodeTimestamp already gave for this row's cell in column `submittedAtColumn` (with the
   * file's date1904), so that it is not decoded twice; a null is decoded again (for its reason, if it has one).
   */
  decode(cells: Cell[], submittedAt?: string | null): { respondent?: Respondent; errors: RowError[] };
  /** The column submission times are read from, or -1. */
  readonly submittedAtColumn: number;
}

/**
 * Both on by default; turning either off gives exactly the same results, only slower (the tests compare the two).
 * - memo: remember, per column, what a raw cell decodes to (the answer, or the reasons it is rejected).
 * - skipValidated: skip the whole-record zod parse of a row that provably passes it (every answer passed its own
 *   question's schema, every required question is answered, the metadata fits); any other row is parsed as always.
 */
export interface RowDecoderOptions {
  memo?: boolean;
  skipValidated?: boolean;
}

/** What one raw cell of a question column decodes to. Shared by every row with that cell: never mutated. */
interface DecodedCell {
  answer: Answer | undefined;
  /** Reasons the cell is rejected (the column is the cell's own). */
  reasons: readonly { kind: RowErrorKind; reason: string }[] | undefined;
  /** The answer (if any) passes its question's schema, so it cannot be the cause of a schema issue. */
  valid: boolean;
}

// Memo bounds: free-text columns have as many distinct cells as rows, so a column stops remembering new cells after
// MEMO_PER_COLUMN (a roster column after its units, twice over), the decoder after MEMO_TOTAL, and long cells never.
const MEMO_PER_COLUMN = 4096;
const MEMO_TOTAL = 65536;
const MEMO_MAX_LENGTH = 100;

/** What a column is, in a column's plan. */
const Kind = { Other: 0, Meta: 1, Question: 2, Duplicate: 3, Option: 4 } as const;
type Kind = (typeof Kind)[keyof typeof Kind];

interface ColumnPlan {
  kind: Kind;
  column: string;
  /** Question: the question; Option: its group (one per question with 0/1 columns) and option number. */
  question?: Question;
  cache?: Map<Cell, DecodedCell>;
  cap: number;
  group: number;
  option: number;
  /** Duplicate: the column compared with. */
  of: number;
}

/** A cached answer is shared between respondents: frozen, so that a consumer mutating one fails loudly. */
function freezeAnswer(answer: Answer): Answer {
  if (answer.type === "multiple") Object.freeze(answer.options);
  return Object.freeze(answer);
}

/** What createRowDecoder builds once per file and every row reads (and the memo budget, which rows spend). */
interface DecoderState {
  ctx: RowContext;
  /** Per question code: normalized option (or scale) label → its 1-based position. */
  labelIndex: Map<string, Map<string, number>>;
  /** Normalized unit name or code → unit code. */
  rosterByName: Map<string, string>;
  schema: z.ZodType;
  answerSchemas: Readonly<Record<string, z.ZodType>>;
  required: string[];
  skipValidated: boolean;
  /** Per question code, the first column that answers it (named in the reasons of schema issues). */
  columnOf: Map<string, string>;
  plans: ColumnPlan[];
  /** The question code of each group of 0/1 option columns, and whether every answer the group can give passes. */
  optionGroups: string[];
  groupValid: boolean[];
  meta: MetaColumns;
  memoBudget: number;
}

/** The column each metadata field is read from (-1: none) and the header named in its reasons. */
interface MetaColumns {
  id: number;
  submittedAt: number;
  duration: number;
  source: number;
  idHeader: string;
  submittedAtHeader: string;
  durationHeader: string;
}

export function createRowDecoder(ctx: RowContext, options: RowDecoderOptions = {}): RowDecoder {
  const { schema, answerSchemas, required } = recordSchema(ctx.codebook, ctx.roster);
  // A code that is a property of every object (constructor, toString …) reads as present to the schema even when
  // unanswered: rows of such a codebook are always parsed.
  const skipValidated =
    (options.skipValidated ?? true) && !Object.keys(answerSchemas).some((code) => code in Object.prototype);
  const { plans, optionGroups } = planColumns(ctx, options.memo ?? true);
  const state: DecoderState = {
    ctx,
    labelIndex: labelIndexOf(ctx.codebook),
    rosterByName: new Map(
      ctx.roster.flatMap((u) => [[normalizeText(u.name), u.code] as const, [normalizeText(u.code), u.code] as const])
    ),
    schema,
    answerSchemas,
    required,
    skipValidated,
    columnOf: firstColumnOfQuestions(ctx),
    plans,
    optionGroups,
    groupValid: [],
    meta: metaColumns(ctx),
    memoBudget: MEMO_TOTAL
  };
  // An answer from 0/1 columns holds only its columns' option numbers: if all of them pass, every such answer does.
  state.groupValid = optionGroups.map((code) => {
    const all = ctx.roles.flatMap((r) => (r.kind === "option" && r.question.code === code ? [r.option] : []));
    return skipValidated && answerValid(state, code, multipleAnswer(all));
  });
  return {
    submittedAtColumn: state.meta.submittedAt,
    decode: (cells, submittedAt) => decodeRow(state, cells, submittedAt)
  };
}

/** Per question code, its option (or scale) labels normalized, each with its 1-based position. */
function labelIndexOf(codebook: Codebook): Map<string, Map<string, number>> {
  const labelIndex = new Map<string, Map<string, number>>();
  for (const q of codebook.questions) {
    const labels =
      q.type === "likert"
        ? codebook.scales[q.scale].labels
        : q.type === "single" && q.options !== "roster"
          ? q.options.map((o) => o.label)
          : q.type === "multiple"
            ? q.options.map((o) => o.label)
            : [];
    labelIndex.set(q.code, new Map(labels.map((l, i) => [normalizeText(l), i + 1])));
  }
  return labelIndex;
}

function firstColumnOfQuestions(ctx: RowContext): Map<string, string> {
  const columnOf = new Map<string, string>();
  ctx.roles.forEach((role, i) => {
    if (role.kind === "question" || role.kind === "option")
      if (!columnOf.has(role.question.code)) columnOf.set(role.question.code, ctx.header[i]);
  });
  return columnOf;
}

/** The plan of each column, made once: what it is, and its memo; and the question of each group of 0/1 columns. */
function planColumns(ctx: RowContext, useMemo: boolean): { plans: ColumnPlan[]; optionGroups: string[] } {
  const optionGroups: string[] = [];
  const plans = ctx.roles.map((role, i): ColumnPlan => {
    const plan: ColumnPlan = { kind: Kind.Other as Kind, column: ctx.header[i], cap: 0, group: -1, option: 0, of: -1 };
    if (role.kind === "meta") plan.kind = Kind.Meta;
    else if (role.kind === "question") {
      plan.kind = Kind.Question;
      plan.question = role.question;
      if (useMemo) {
        plan.cache = new Map();
        plan.cap =
          role.question.type === "single" && role.question.options === "roster"
            ? Math.max(MEMO_PER_COLUMN, 2 * ctx.roster.length)
            : MEMO_PER_COLUMN;
      }
    } else if (role.kind === "duplicate") {
      plan.kind = Kind.Duplicate;
      plan.of = role.of;
    } else if (role.kind === "option") {
      plan.kind = Kind.Option;
      plan.option = role.option;
      plan.group = optionGroups.indexOf(role.question.code);
      if (plan.group < 0) plan.group = optionGroups.push(role.question.code) - 1;
    }
    return plan;
  });
  return { plans, optionGroups };
}

/** The metadata columns: the last column of each field is read (as before), the first one named in reasons. */
function metaColumns(ctx: RowContext): MetaColumns {
  const lastMeta = (field: MetaField) => {
    for (let i = ctx.roles.length - 1; i >= 0; i--) {
      const r = ctx.roles[i];
      if (r.kind === "meta" && r.field === field) return i;
    }
    return -1;
  };
  return {
    id: lastMeta("id"),
    submittedAt: lastMeta("submittedAt"),
    duration: lastMeta("duration"),
    source: lastMeta("source"),
    idHeader: headerOf(ctx, "id"),
    submittedAtHeader: headerOf(ctx, "submittedAt"),
    durationHeader: headerOf(ctx, "duration")
  };
}

/** One row: its answers, its metadata, then the record schema unless the row provably passes it. */
function decodeRow(
  state: DecoderState,
  cells: Cell[],
  submittedAtDecoded: string | null | undefined
): { respondent?: Respondent; errors: RowError[] } {
  const errors: RowError[] = [];
  const answers = new Map<string, Answer>();
  const allValid = readAnswers(state, cells, answers, errors);
  const headerWidth = state.ctx.header.length;
  if (cells.length > headerWidth && cells.slice(headerWidth).some((c) => !isSkipped(c)))
    errors.push({
      column: `第${headerWidth + 1}列起`,
      kind: "column_shift",
      reason: `该行比表头多出 ${cells.length - headerWidth} 列（列错位）`
    });
  const { serial, submittedAt, durationSeconds, source } = readMetadata(state, cells, submittedAtDecoded, errors);
  // The record passes the schema for sure when every answer passed its own question's schema, every required
  // question is answered and the metadata fits: then parsing it could add no reason, and it is not parsed.
  let passes =
    allValid &&
    (serial === null || (Number.isSafeInteger(serial) && serial >= 0 && serial <= MAX_SERIAL)) &&
    (durationSeconds === null || (Number.isFinite(durationSeconds) && durationSeconds >= 0));
  if (passes) for (let k = 0; k < state.required.length; k++) if (!answers.has(state.required[k])) passes = false;
  if (!passes) {
    const record = { serial, submittedAt, durationSeconds, source, answers: Object.fromEntries(answers) };
    addSchemaIssues(state, record, answers, errors);
  }
  if (errors.length) return { errors };
  return { respondent: { serial, submittedAt, durationSeconds, source, answers }, errors };
}

/**
 * The answers of a row's question and 0/1 option columns, in column order (0/1 groups last), and the reasons of its
 * cells; compares duplicate columns. False when some answer may fail the record schema (or skipping is off).
 */
function readAnswers(state: DecoderState, cells: Cell[], answers: Map<string, Answer>, errors: RowError[]): boolean {
  let allValid = state.skipValidated;
  let chosen: ChosenOptions[] | undefined;
  const plans = state.plans;
  for (let i = 0; i < plans.length; i++) {
    const plan = plans[i];
    switch (plan.kind) {
      case Kind.Question: {
        const cell = cells[i] ?? null;
        if (cell === null) break; // skipped
        const decoded = decodedCellOf(state, plan, cell);
        const reasons = decoded.reasons;
        if (reasons !== undefined)
          for (let k = 0; k < reasons.length; k++)
            errors.push({ column: plan.column, kind: reasons[k].kind, reason: reasons[k].reason });
        if (decoded.answer) {
          answers.set(plan.question!.code, decoded.answer);
          if (!decoded.valid) allValid = false;
        }
        break;
      }
      case Kind.Duplicate:
        compareDuplicateColumn(state.ctx, plan, cells[i] ?? null, cells[plan.of] ?? null, errors);
        break;
      case Kind.Option:
        chosen ??= state.optionGroups.map(() => ({ options: [], answered: false }));
        readOptionColumn(plan, cells[i] ?? null, chosen[plan.group], errors);
        break;
    }
  }
  if (chosen !== undefined)
    for (let g = 0; g < chosen.length; g++)
      if (chosen[g].answered) {
        answers.set(state.optionGroups[g], multipleAnswer(chosen[g].options));
        if (!state.groupValid[g]) allValid = false;
      }
  return allValid;
}

/** What a row's 0/1 columns of one multiple-choice question say: the options marked 1, and whether any is filled. */
interface ChosenOptions {
  options: number[];
  answered: boolean;
}

/** A cell of a question column decoded, from the column's memo when it is there (or can be kept there). */
function decodedCellOf(state: DecoderState, plan: ColumnPlan, cell: Cell): DecodedCell {
  const cache = plan.cache;
  // Long texts are not kept; -0 is not either, as a Map key it is the same as 0 (and decodes differently).
  if (cache === undefined || (typeof cell === "string" ? cell.length > MEMO_MAX_LENGTH : Object.is(cell, -0)))
    return decodeCell(state, plan.question!, cell);
  let decoded = cache.get(cell);
  if (decoded === undefined) {
    decoded = decodeCell(state, plan.question!, cell);
    if (cache.size < plan.cap && state.memoBudget > 0) {
      state.memoBudget--;
      if (decoded.answer) decoded.answer = freezeAnswer(decoded.answer);
      if (decoded.reasons) Object.freeze(decoded.reasons);
      cache.set(cell, decoded);
    }
  }
  return decoded;
}

/** A second column of what another column answers must say the same, or neither can be trusted. */
function compareDuplicateColumn(ctx: RowContext, plan: ColumnPlan, cell: Cell, first: Cell, errors: RowError[]): void {
  const same =
    (isSkipped(cell) && isSkipped(first)) || normalizeText(String(cell ?? "")) === normalizeText(String(first ?? ""));
  if (!same)
    errors.push({
      column: plan.column,
      kind: "conflicting_columns",
      reason: `与同一题的另一列“${ctx.header[plan.of].trim()}”答案不同（${quoted(first ?? "")} 与 ${quoted(cell ?? "")}），无法确定哪个是答案`
    });
}

/** One 0/1 column of an expanded multiple choice (number and score modes): 1 chooses its option, 0 does not. */
function readOptionColumn(plan: ColumnPlan, cell: Cell, entry: ChosenOptions, errors: RowError[]): void {
  if (isSkipped(cell)) return;
  const n = asInteger(cell);
  if (n === 1) entry.options.push(plan.option);
  else if (n !== 0)
    errors.push({
      column: plan.column,
      kind: "invalid_multiple",
      reason: `多选展开列只能是 0 或 1，却是${quoted(String(cell))}`
    });
  entry.answered = true;
}

/** The row's metadata (序号, submission time, duration, source), with the reasons of the cells that do not decode. */
function readMetadata(
  state: DecoderState,
  cells: Cell[],
  submittedAtDecoded: string | null | undefined,
  errors: RowError[]
): Pick<Respondent, "serial" | "submittedAt" | "durationSeconds" | "source"> {
  const meta = state.meta;
  const sourceCell = cellAt(cells, meta.source);
  const serial = decodeSerial(cellAt(cells, meta.id), errors, meta.idHeader);
  const submittedAt =
    submittedAtDecoded ??
    decodeTimestamp(cellAt(cells, meta.submittedAt), state.ctx.date1904, errors, meta.submittedAtHeader);
  const durationSeconds = decodeDuration(cellAt(cells, meta.duration), errors, meta.durationHeader);
  const source = sourceCell === null ? null : String(sourceCell).trim() || null;
  return { serial, submittedAt, durationSeconds, source };
}

/** The cell in column `i` (-1: the file has no such column), null when the row is shorter. */
function cellAt(cells: Cell[], i: number): Cell {
  return i < 0 ? null : (cells[i] ?? null);
}

/** Parses the record with the schema; each issue becomes a reason, unless its column already has one. */
function addSchemaIssues(
  state: DecoderState,
  record: Record<string, unknown>,
  answers: Map<string, Answer>,
  errors: RowError[]
): void {
  const result = state.schema.safeParse(record);
  if (result.success) return;
  for (const issue of result.error.issues) {
    const [, code] = issue.path;
    const column =
      issue.path[0] === "answers" && typeof code === "string"
        ? (state.columnOf.get(code) ?? code)
        : formatPath(issue.path);
    const unanswered = issue.path[0] === "answers" && typeof code === "string" && !answers.has(code);
    if (!errors.some((e) => e.column === column))
      errors.push({
        column,
        kind: unanswered ? "missing_required" : issueKind(issue, state.ctx.codebook),
        reason: unanswered ? "必答题未作答" : issue.message
      });
  }
}

/** One cell of a question column, decoded afresh. */
function decodeCell(state: DecoderState, q: Question, cell: Cell): DecodedCell {
  const found: CellReason[] = [];
  const answer = decodeQuestionCell(state, q, cell, found);
  return {
    answer,
    reasons: found.length ? found : undefined,
    valid: state.skipValidated && answerValid(state, q.code, answer)
  };
}

/** Whether a decoded answer passes its question's schema, exactly as the record schema would check it. */
function answerValid(state: DecoderState, code: string, answer: Answer | undefined): boolean {
  if (answer === undefined) return true;
  const answerSchema = state.answerSchemas[code];
  return answerSchema !== undefined && answerSchema.safeParse(answer).success;
}

/** Why a cell is rejected; the column is added by the row (a decoded cell is shared by every row with that cell). */
interface CellReason {
  kind: RowErrorKind;
  reason: string;
}

/** A question's cell → its answer (option text, option number or score), or undefined with the reasons why not. */
function decodeQuestionCell(state: DecoderState, q: Question, cell: Cell, reasons: CellReason[]): Answer | undefined {
  if (isSkipped(cell)) return undefined;
  const text = typeof cell === "string" ? cell.trim() : String(cell);
  switch (q.type) {
    case "likert":
      return decodeLikert(state, q, cell, text, reasons);
    case "single":
      return q.options === "roster"
        ? decodeUnit(state, cell, text, reasons)
        : decodeSingle(state, q, q.options, cell, text, reasons);
    case "multiple":
      return decodeMultipleText(state, q, text, reasons);
    case "number": {
      const value =
        typeof cell === "number" ? cell : Number(stripInvisible(text.normalize("NFKC")).replace(/[次个]$/u, ""));
      if (Number.isFinite(value) && text !== "") return { type: "number", value };
      reasons.push({ kind: "not_number", reason: `不是数字：${quoted(text)}` });
      return undefined;
    }
    case "text":
      return { type: "text", value: text };
  }
}

type QuestionOf<T extends Question["type"]> = Extract<Question, { type: T }>;

/** A scale label (its position on the scale) or a score (the range is checked by the schema). */
function decodeLikert(
  state: DecoderState,
  q: QuestionOf<"likert">,
  cell: Cell,
  text: string,
  reasons: CellReason[]
): Answer | undefined {
  const byLabel = state.labelIndex.get(q.code)!.get(normalizeText(text));
  if (byLabel !== undefined) return { type: "likert", value: byLabel - 1 + state.ctx.codebook.scales[q.scale].min };
  const n = asInteger(cell);
  if (n !== undefined) return { type: "likert", value: n }; // range checked by the schema
  reasons.push({ kind: "invalid_likert", reason: `无法识别的量表答案${quoted(text)}` });
  return undefined;
}

/** A roster question: a unit's name or code, or its 1-based number in the roster. */
function decodeUnit(state: DecoderState, cell: Cell, text: string, reasons: CellReason[]): Answer | undefined {
  const code = state.rosterByName.get(normalizeText(text));
  if (code) return { type: "unit", unit: code };
  const n = asInteger(cell);
  const roster = state.ctx.roster;
  if (n !== undefined && n >= 1 && n <= roster.length) return { type: "unit", unit: roster[n - 1].code };
  reasons.push({ kind: "unknown_unit", reason: `单位${quoted(text)}不在名册中` });
  return undefined;
}

/** A single choice: an option's text (with its fill-in, if any) or its number (the range is checked by the schema). */
function decodeSingle(
  state: DecoderState,
  q: Question,
  options: { label: string }[],
  cell: Cell,
  text: string,
  reasons: CellReason[]
): Answer | undefined {
  const match = optionByLabel(state, q, text);
  const n = match ? undefined : asInteger(cell);
  const option = match?.option ?? n;
  if (option === undefined) {
    reasons.push({ kind: "unknown_option", reason: `未知选项${quoted(text)}` });
    return undefined;
  }
  const label = options[option - 1]?.label ?? "";
  return { type: "single", option, label, ...(match?.other ? { other: match.other } : {}) };
}

/** A multiple choice in text mode: option texts joined by ┋ (or |); an unknown one is a reason, the others count. */
function decodeMultipleText(state: DecoderState, q: Question, text: string, reasons: CellReason[]): Answer {
  const options: number[] = [];
  let other: { other: string; otherOption: number } | undefined;
  for (const part of text
    .split(/[┋|]/u)
    .map((p) => p.trim())
    .filter(Boolean)) {
    const match = optionByLabel(state, q, part);
    if (!match) {
      reasons.push({ kind: "unknown_option", reason: `未知选项${quoted(part)}` });
      continue;
    }
    options.push(match.option);
    if (match.other) other = { other: match.other, otherOption: match.option };
  }
  return multipleAnswer(options, other);
}

/**
 * A multiple-choice answer, whichever way the export wrote it: the option texts of one cell (text mode,
 * decodeMultipleText) or the 0/1 columns marked 1 (number and score modes, readAnswers). Made here only, so that both
 * give the same answer for the same choices: options ascending, each once. Sorts `options` in place.
 */
function multipleAnswer(options: number[], other?: { other: string; otherOption: number }): Answer {
  options.sort((a, b) => a - b);
  let unique = 0;
  for (let k = 0; k < options.length; k++)
    if (unique === 0 || options[k] !== options[unique - 1]) options[unique++] = options[k];
  options.length = unique;
  return { type: "multiple", options, ...other };
}

/** An option found by its text, or by its text without a 〖…〗 fill-in (then the fill-in is `other`). */
function optionByLabel(state: DecoderState, q: Question, text: string): { option: number; other?: string } | undefined {
  const index = state.labelIndex.get(q.code)!;
  const direct = index.get(normalizeText(text));
  if (direct !== undefined) return { option: direct };
  const { label, fillIn } = splitFillIn(text);
  const viaFill = index.get(normalizeText(label));
  if (viaFill !== undefined) return { option: viaFill, other: fillIn };
  return undefined;
}

function headerOf(ctx: RowContext, field: string): string {
  const i = ctx.roles.findIndex((r) => r.kind === "meta" && r.field === field);
  return i >= 0 ? ctx.header[i] : field;
}

/** The kind of a schema issue that is not an unanswered required question. */
function issueKind(issue: z.core.$ZodIssue, codebook: Codebook): RowErrorKind {
  const [where, code] = issue.path;
  if (where === "serial") return "invalid_serial";
  if (where === "durationSeconds") return "invalid_duration";
  if (where === "submittedAt") return "invalid_time";
  if (issue.code === "too_big" || issue.code === "too_small") {
    const q = codebook.questions.find((x) => x.code === code);
    return q?.type === "text" ? "text_too_long" : "out_of_range";
  }
  return "invalid_value";
}

function decodeSerial(cell: Cell, errors: RowError[], column: string): number | null {
  if (cell === null || (typeof cell === "string" && stripInvisible(cell).trim() === "")) return null;
  const n = asInteger(cell);
  if (n === undefined || n < 0) {
    errors.push({ column, kind: "invalid_serial", reason: `序号不是整数：${quoted(String(cell))}` });
    return null;
  }
  if (n > MAX_SERIAL) {
    errors.push({
      column,
      kind: "invalid_serial",
      reason: `序号 ${String(cell).trim()} 超出范围 0–${MAX_SERIAL}（问卷星的序号不会这么大，多半是误填的编号）`
    });
    return null;
  }
  return n;
}

const TIMESTAMP = /^\s*(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?\s*$/u;
const pad2 = (v: string) => v.padStart(2, "0");

/** Excel serial day (1900 or 1904 system) or text such as 2019/10/12 9:31:05 → ISO local time. */
export function decodeTimestamp(cell: Cell, date1904: boolean, errors: RowError[], column: string): string | null {
  if (cell === null || (typeof cell === "string" && stripInvisible(cell).trim() === "")) return null;
  if (typeof cell === "number") {
    // Serial 25569 is 1970-01-01 in the 1900 system (which counts the nonexistent 1900-02-29); 1904 adds 1462 days.
    const days = cell + (date1904 ? 1462 : 0) - 25569;
    if (!(days > -25000 && days < 60000)) {
      errors.push({ column, kind: "invalid_time", reason: `无法识别的时间${quoted(cell)}` });
      return null;
    }
    return new Date(Math.round(days * 86400) * 1000).toISOString().slice(0, 19);
  }
  const m = TIMESTAMP.exec(stripInvisible(String(cell).normalize("NFKC")));
  if (!m) {
    errors.push({ column, kind: "invalid_time", reason: `无法识别的时间${quoted(String(cell))}` });
    return null;
  }
  // Checked field by field: Date.parse rolls 2月30日 over into March and takes 24:00:00 as the next midnight.
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4] ?? "0", m[5] ?? "0", m[6] ?? "0"].map(
    Number
  );
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59 || second > 59) {
    errors.push({ column, kind: "invalid_time", reason: `不存在的日期或时间${quoted(String(cell).trim())}` });
    return null;
  }
  return `${m[1]}-${pad2(m[2])}-${pad2(m[3])}T${pad2(m[4] ?? "0")}:${pad2(m[5] ?? "0")}:${pad2(m[6] ?? "0")}`;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

const DURATION = /^(?:(\d+)\s*(?:时|小时))?\s*(?:(\d+)\s*分(?:钟)?)?\s*(?:(\d+(?:\.\d+)?)\s*秒?)?$/u;

/** 所用时间: 325秒, 5分20秒, 1时2分3秒, or a plain number of seconds. */
export function decodeDuration(cell: Cell, errors: RowError[], column: string): number | null {
  if (cell === null || (typeof cell === "string" && stripInvisible(cell).trim() === "")) return null;
  if (typeof cell === "number")
    return cell >= 0
      ? cell
      : (errors.push({ column, kind: "invalid_duration", reason: `所用时间为负数：${cell}` }), null);
  const text = stripInvisible(String(cell).normalize("NFKC")).trim();
  const m = DURATION.exec(text);
  if (!m || text === "") {
    errors.push({ column, kind: "invalid_duration", reason: `无法识别的所用时间${quoted(text)}` });
    return null;
  }
  return Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0);
}

/** The record schema, with the schema of each question's answer in it and the codes of the required questions. */
function recordSchema(codebook: Codebook, roster: RosterUnit[]) {
  const unitCodes = roster.map((u) => u.code) as [string, ...string[]];
  const shape: Record<string, z.ZodType> = {};
  const isRequired = new Map<string, boolean>();
  for (const q of codebook.questions) {
    let answer: z.ZodType;
    switch (q.type) {
      case "likert": {
        const { min, max } = codebook.scales[q.scale];
        answer = z.object({
          type: z.literal("likert"),
          value: z.int().min(min, `超出量表范围 ${min}–${max}`).max(max, `超出量表范围 ${min}–${max}`)
        });
        break;
      }
      case "single":
        answer =
          q.options === "roster"
            ? z.object({ type: z.literal("unit"), unit: unitCodes.length ? z.enum(unitCodes) : z.string() })
            : z.object({
                type: z.literal("single"),
                option: z
                  .int()
                  .min(1, `选项序号超出范围 1–${q.options.length}`)
                  .max(q.options.length, `选项序号超出范围 1–${q.options.length}`),
                label: z.string(),
                other: z.string().optional()
              });
        break;
      case "multiple":
        answer = z.object({
          type: z.literal("multiple"),
          options: z.array(z.int().min(1).max(q.options.length)),
          other: z.string().optional(),
          otherOption: z.int().optional()
        });
        break;
      case "number":
        answer = z.object({
          type: z.literal("number"),
          value: z
            .number()
            .min(q.min ?? -Infinity, `小于允许的最小值 ${q.min}`)
            .max(q.max ?? Infinity, `大于允许的最大值 ${q.max}`)
        });
        break;
      case "text":
        answer = z.object({ type: z.literal("text"), value: z.string().max(10000, "文字答案超过 10000 字") });
        break;
    }
    shape[q.code] = q.required ? answer : answer.optional();
    isRequired.set(q.code, !!q.required);
  }
  const schema = z.object({
    serial: z.int().nonnegative().max(MAX_SERIAL, `序号超出范围 0–${MAX_SERIAL}`).nullable(),
    submittedAt: z.string().nullable(),
    durationSeconds: z.number().nonnegative().nullable(),
    source: z.string().nullable(),
    answers: z.object(shape)
  });
  const answerSchemas: Readonly<Record<string, z.ZodType>> = shape;
  return { schema, answerSchemas, required: [...isRequired].flatMap(([code, required]) => (required ? [code] : [])) };
}
