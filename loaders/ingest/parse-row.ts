// One export row → one typed respondent, or the reasons it is rejected (each with the column a steward can find).
// Cells are first decoded by export mode (option text, option number, score), then the whole record is validated
// with a zod schema derived from the codebook, so ranges, required answers and types are checked in one place.
import { z } from "zod";
import type { Codebook, Question, RosterUnit } from "../codebook/schema.ts";
import { formatPath } from "../codebook/load.ts";
import type { ColumnRole } from "./map-columns.ts";
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

export interface RowError {
  column: string;
  reason: string;
}

const SKIPPED = new Set(["", "-2", "-3", "(跳过)", "跳过", "(空)", "空", "null", "n/a"]);

export function isSkipped(cell: Cell): boolean {
  if (cell === null) return true;
  if (typeof cell === "number") return cell === -2 || cell === -3;
  return SKIPPED.has(String(cell).normalize("NFKC").trim().toLowerCase());
}

/** Splits `其他【请注明】〖亲友赠送的〗` into the option text and the fill-in. */
function splitFillIn(text: string): { label: string; fillIn?: string } {
  // Only a 〖…〗 suffix is 问卷星's fill-in; 【请注明】 is part of the option label itself.
  const wjx = /^(.*?)〖(.*)〗\s*$/su.exec(text);
  return wjx ? { label: wjx[1], fillIn: wjx[2] } : { label: text };
}

/** A cell's text as quoted in a reason: at most 40 characters, control characters shown as escapes. */
export function quoted(value: unknown): string {
  const text = String(value);
  const shown = text.length > 40 ? `${text.slice(0, 40)}…（共 ${text.length} 字）` : text;
  return `“${shown.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`)}”`;
}

function asInteger(cell: Cell): number | undefined {
  if (typeof cell === "number") return Number.isInteger(cell) ? cell : undefined;
  if (typeof cell === "string" && /^\s*[+-]?\d+\s*$/.test(cell.normalize("NFKC"))) return Number(cell.normalize("NFKC"));
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
  decode(cells: Cell[]): { respondent?: Respondent; errors: RowError[] };
}

export function createRowDecoder(ctx: RowContext): RowDecoder {
  const labelIndex = new Map<string, Map<string, number>>();
  const rosterByName = new Map(ctx.roster.flatMap((u) => [[normalizeText(u.name), u.code] as const, [normalizeText(u.code), u.code] as const]));
  for (const q of ctx.codebook.questions) {
    const labels = q.type === "likert" ? ctx.codebook.scales[q.scale].labels : q.type === "single" && q.options !== "roster" ? q.options.map((o) => o.label) : q.type === "multiple" ? q.options.map((o) => o.label) : [];
    labelIndex.set(q.code, new Map(labels.map((l, i) => [normalizeText(l), i + 1])));
  }
  const schema = respondentSchema(ctx.codebook, ctx.roster);
  const columnOf = new Map<string, string>();
  ctx.roles.forEach((role, i) => {
    if (role.kind === "question" || role.kind === "option") if (!columnOf.has(role.question.code)) columnOf.set(role.question.code, ctx.header[i]);
  });

  function optionByLabel(q: Question, text: string): { option: number; other?: string } | undefined {
    const index = labelIndex.get(q.code)!;
    const direct = index.get(normalizeText(text));
    if (direct !== undefined) return { option: direct };
    const { label, fillIn } = splitFillIn(text);
    const viaFill = index.get(normalizeText(label));
    if (viaFill !== undefined) return { option: viaFill, other: fillIn };
    return undefined;
  }

  function decodeQuestionCell(q: Question, cell: Cell, column: string, errors: RowError[]): Answer | undefined {
    if (isSkipped(cell)) return undefined;
    const text = typeof cell === "string" ? cell.trim() : String(cell);
    switch (q.type) {
      case "likert": {
        const byLabel = labelIndex.get(q.code)!.get(normalizeText(text));
        if (byLabel !== undefined) return { type: "likert", value: byLabel - 1 + ctx.codebook.scales[q.scale].min };
        const n = asInteger(cell);
        if (n !== undefined) return { type: "likert", value: n }; // range checked by the schema
        errors.push({ column, reason: `无法识别的量表答案${quoted(text)}` });
        return undefined;
      }
      case "single": {
        if (q.options === "roster") {
          const code = rosterByName.get(normalizeText(text));
          if (code) return { type: "unit", unit: code };
          const n = asInteger(cell);
          if (n !== undefined && n >= 1 && n <= ctx.roster.length) return { type: "unit", unit: ctx.roster[n - 1].code };
          errors.push({ column, reason: `单位${quoted(text)}不在名册中` });
          return undefined;
        }
        const match = optionByLabel(q, text);
        const n = match ? undefined : asInteger(cell);
        const option = match?.option ?? n;
        if (option === undefined) {
          errors.push({ column, reason: `未知选项${quoted(text)}` });
          return undefined;
        }
        const label = q.options[option - 1]?.label ?? "";
        return { type: "single", option, label, ...(match?.other ? { other: match.other } : {}) };
      }
      case "multiple": {
        const options: number[] = [];
        let other: { other: string; otherOption: number } | undefined;
        for (const part of text.split(/[┋|]/u).map((p) => p.trim()).filter(Boolean)) {
          const match = optionByLabel(q, part);
          if (!match) {
            errors.push({ column, reason: `未知选项${quoted(part)}` });
            continue;
          }
          options.push(match.option);
          if (match.other) other = { other: match.other, otherOption: match.option };
        }
        return { type: "multiple", options: [...new Set(options)].sort((a, b) => a - b), ...other };
      }
      case "number": {
        const value = typeof cell === "number" ? cell : Number(text.normalize("NFKC").replace(/[次个]$/u, ""));
        if (Number.isFinite(value) && text !== "") return { type: "number", value };
        errors.push({ column, reason: `不是数字：${quoted(text)}` });
        return undefined;
      }
      case "text":
        return { type: "text", value: text };
    }
  }

  return {
    decode(cells) {
      const errors: RowError[] = [];
      const answers = new Map<string, Answer>();
      const meta: Partial<Record<string, Cell>> = {};
      const chosen = new Map<string, { options: number[]; answered: boolean }>();
      ctx.roles.forEach((role, i) => {
        const cell = cells[i] ?? null;
        const column = ctx.header[i];
        if (role.kind === "meta") meta[role.field] = cell;
        else if (role.kind === "question") {
          const answer = decodeQuestionCell(role.question, cell, column, errors);
          if (answer) answers.set(role.question.code, answer);
        } else if (role.kind === "duplicate") {
          const first = cells[role.of] ?? null;
          const same = (isSkipped(cell) && isSkipped(first)) || normalizeText(String(cell ?? "")) === normalizeText(String(first ?? ""));
          if (!same)
            errors.push({ column, reason: `与同一题的另一列“${ctx.header[role.of].trim()}”答案不同（${quoted(first ?? "")} 与 ${quoted(cell ?? "")}），无法确定哪个是答案` });
        } else if (role.kind === "option") {
          const entry = chosen.get(role.question.code) ?? { options: [], answered: false };
          chosen.set(role.question.code, entry);
          if (isSkipped(cell)) return;
          const n = asInteger(cell);
          if (n === 1) entry.options.push(role.option);
          else if (n !== 0) errors.push({ column, reason: `多选展开列只能是 0 或 1，却是${quoted(String(cell))}` });
          entry.answered = true;
        }
      });
      for (const [code, entry] of chosen) if (entry.answered) answers.set(code, { type: "multiple", options: entry.options.sort((a, b) => a - b) });
      if (cells.length > ctx.header.length && cells.slice(ctx.header.length).some((c) => !isSkipped(c)))
        errors.push({ column: `第${ctx.header.length + 1}列起`, reason: `该行比表头多出 ${cells.length - ctx.header.length} 列（列错位）` });

      const serial = decodeSerial(meta.id ?? null, errors, headerOf(ctx, "id"));
      const submittedAt = decodeTimestamp(meta.submittedAt ?? null, ctx.date1904, errors, headerOf(ctx, "submittedAt"));
      const durationSeconds = decodeDuration(meta.duration ?? null, errors, headerOf(ctx, "duration"));
      const source = meta.source === undefined || meta.source === null ? null : String(meta.source).trim() || null;

      const record = { serial, submittedAt, durationSeconds, source, answers: Object.fromEntries(answers) };
      const result = schema.safeParse(record);
      if (!result.success)
        for (const issue of result.error.issues) {
          const [, code] = issue.path;
          const column = issue.path[0] === "answers" && typeof code === "string" ? columnOf.get(code) ?? code : formatPath(issue.path);
          const unanswered = issue.path[0] === "answers" && typeof code === "string" && !answers.has(code);
          if (!errors.some((e) => e.column === column)) errors.push({ column, reason: unanswered ? "必答题未作答" : issue.message });
        }
      if (errors.length) return { errors };
      return { respondent: { serial, submittedAt, durationSeconds, source, answers }, errors };
    }
  };
}

function headerOf(ctx: RowContext, field: string): string {
  const i = ctx.roles.findIndex((r) => r.kind === "meta" && r.field === field);
  return i >= 0 ? ctx.header[i] : field;
}

function decodeSerial(cell: Cell, errors: RowError[], column: string): number | null {
  if (cell === null || (typeof cell === "string" && cell.trim() === "")) return null;
  const n = asInteger(cell);
  if (n === undefined || n < 0) {
    errors.push({ column, reason: `序号不是整数：${quoted(String(cell))}` });
    return null;
  }
  return n;
}

/** Excel serial day (1900 or 1904 system) or text such as 2019/10/12 9:31:05 → ISO local time. */
export function decodeTimestamp(cell: Cell, date1904: boolean, errors: RowError[], column: string): string | null {
  if (cell === null || (typeof cell === "string" && cell.trim() === "")) return null;
  if (typeof cell === "number") {
    // Serial 25569 is 1970-01-01 in the 1900 system (which counts the nonexistent 1900-02-29); 1904 adds 1462 days.
    const days = cell + (date1904 ? 1462 : 0) - 25569;
    if (!(days > -25000 && days < 60000)) {
      errors.push({ column, reason: `无法识别的时间${quoted(cell)}` });
      return null;
    }
    return new Date(Math.round(days * 86400) * 1000).toISOString().slice(0, 19);
  }
  const m = /^\s*(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?\s*$/u.exec(String(cell).normalize("NFKC"));
  if (!m) {
    errors.push({ column, reason: `无法识别的时间${quoted(String(cell))}` });
    return null;
  }
  const [, y, mo, d, h = "0", mi = "0", s = "0"] = m;
  const pad = (v: string) => v.padStart(2, "0");
  const iso = `${y}-${pad(mo)}-${pad(d)}T${pad(h)}:${pad(mi)}:${pad(s)}`;
  if (Number.isNaN(Date.parse(iso + "Z"))) {
    errors.push({ column, reason: `不存在的日期${quoted(String(cell))}` });
    return null;
  }
  return iso;
}

/** 所用时间: 325秒, 5分20秒, 1时2分3秒, or a plain number of seconds. */
export function decodeDuration(cell: Cell, errors: RowError[], column: string): number | null {
  if (cell === null || (typeof cell === "string" && cell.trim() === "")) return null;
  if (typeof cell === "number") return cell >= 0 ? cell : (errors.push({ column, reason: `所用时间为负数：${cell}` }), null);
  const text = String(cell).normalize("NFKC").trim();
  const m = /^(?:(\d+)\s*(?:时|小时))?\s*(?:(\d+)\s*分(?:钟)?)?\s*(?:(\d+(?:\.\d+)?)\s*秒?)?$/u.exec(text);
  if (!m || text === "") {
    errors.push({ column, reason: `无法识别的所用时间${quoted(text)}` });
    return null;
  }
  return Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0);
}

/** The zod schema of a decoded respondent, derived from the codebook (ranges, option counts, required answers). */
export function respondentSchema(codebook: Codebook, roster: RosterUnit[]) {
  const unitCodes = roster.map((u) => u.code) as [string, ...string[]];
  const shape: Record<string, z.ZodType> = {};
  for (const q of codebook.questions) {
    let answer: z.ZodType;
    switch (q.type) {
      case "likert": {
        const { min, max } = codebook.scales[q.scale];
        answer = z.object({ type: z.literal("likert"), value: z.int().min(min, `超出量表范围 ${min}–${max}`).max(max, `超出量表范围 ${min}–${max}`) });
        break;
      }
      case "single":
        answer =
          q.options === "roster"
            ? z.object({ type: z.literal("unit"), unit: unitCodes.length ? z.enum(unitCodes) : z.string() })
            : z.object({
                type: z.literal("single"),
                option: z.int().min(1, `选项序号超出范围 1–${q.options.length}`).max(q.options.length, `选项序号超出范围 1–${q.options.length}`),
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
          value: z.number().min(q.min ?? -Infinity, `小于允许的最小值 ${q.min}`).max(q.max ?? Infinity, `大于允许的最大值 ${q.max}`)
        });
        break;
      case "text":
        answer = z.object({ type: z.literal("text"), value: z.string().max(10000, "文字答案超过 10000 字") });
        break;
    }
    shape[q.code] = q.required ? answer : answer.optional();
  }
  return z.object({
    serial: z.int().nonnegative().nullable(),
    submittedAt: z.string().nullable(),
    durationSeconds: z.number().nonnegative().nullable(),
    source: z.string().nullable(),
    answers: z.object(shape)
  });
}
