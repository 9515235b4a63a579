// Export header → codebook question. Real 问卷星 headers are `12、question text` (sometimes with trailing spaces or
// full-width punctuation), expanded multiple-choice columns `第12题(option)`, and metadata columns (序号, 所用时间 …).
import type { Codebook, Question } from "../codebook/schema.ts";

export type MetaField = "id" | "submittedAt" | "duration" | "source" | "sourceDetail" | "ip" | "totalScore";

export type ColumnRole =
  | { kind: "meta"; field: MetaField }
  | { kind: "question"; question: Question; matchedBy: "text" | "number" | "code" }
  /** One 0/1 column of an expanded multiple choice (number and score modes); option is 1-based. */
  | { kind: "option"; question: Question; option: number }
  | { kind: "unknown"; reason: string }
  /** A second column for what column `of` already answers (same question, option or metadata): compared, not read. */
  | { kind: "duplicate"; of: number };

export interface ColumnMap {
  roles: ColumnRole[];
  /** Codebook questions no column answers. */
  missing: Question[];
  warnings: string[];
}

/**
 * Folds the differences real exports have: full-width forms (NFKC), spaces and line breaks (Alt+Enter in a header
 * cell), invisible format characters (U+200B, U+2060, U+FEFF … pasted from WeChat or a web page), quotes, trailing
 * colons and question marks.
 */
export function normalizeText(s: string): string {
  if (isPlainAscii(s)) return s.toLowerCase();
  return s
    .normalize("NFKC")
    .replace(/[\s\u3000\p{Cf}]+/gu, "")
    .replace(/[“”"'‘’]/g, "")
    .replace(/[:：?？.。]+$/u, "")
    .toLowerCase();
}

/**
 * Printable ASCII without blanks, quotes, colons, question marks or full stops: its own NFKC form, with nothing the
 * folds below remove, so only its case is folded (the common cell: a 序号, a number, a code).
 */
function isPlainAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x21 || c > 0x7e || c === 0x22 || c === 0x27 || c === 0x2e || c === 0x3a || c === 0x3f) return false;
  }
  return true;
}

// s: a header cell may hold a line break (Alt+Enter in Excel), which `.` must match.
const QUESTION_HEADER = /^\s*(\d+)\s*[、.．]\s*(.*?)\s*$/su;
const OPTION_HEADER = /^\s*第\s*(\d+)\s*题\s*[(（](.*)[)）]\s*$/su;

/** A header as the patterns read it: NFKC, invisible format characters removed. */
const headerForm = (header: string) => header.normalize("NFKC").replace(/\p{Cf}/gu, "");

export function parseQuestionHeader(header: string): { number: number; text: string } | undefined {
  const m = QUESTION_HEADER.exec(headerForm(header));
  return m ? { number: Number(m[1]), text: m[2] } : undefined;
}

function optionLabels(q: Question, rosterNames: string[]): string[] {
  if (q.type === "single") return q.options === "roster" ? rosterNames : q.options.map((o) => o.label);
  if (q.type === "multiple") return q.options.map((o) => o.label);
  return [];
}

export function mapColumns(header: string[], codebook: Codebook, rosterNames: string[]): ColumnMap {
  // Two questions may share a text (e.g. two "其他" follow-ups): the header's number then picks between them.
  const byText = new Map<string, Question[]>();
  for (const q of codebook.questions)
    byText.set(normalizeText(q.text), [...(byText.get(normalizeText(q.text)) ?? []), q]);
  const byNumber = new Map(codebook.questions.flatMap((q) => (q.number === undefined ? [] : [[q.number, q] as const])));
  const byAlias = new Map(
    codebook.questions.flatMap((q) => [q.code, ...q.aliases].map((a) => [normalizeText(a), q] as const))
  );
  const meta = new Map<string, MetaField>();
  for (const [field, names] of Object.entries(codebook.exportColumns) as [MetaField, string[]][])
    for (const name of names) meta.set(normalizeText(name), field);

  const warnings: string[] = [];
  const used = new Set<string>();
  const mapped = header.map((raw): ColumnRole => {
    const h = raw ?? "";
    const norm = normalizeText(h);
    if (norm === "") return { kind: "unknown", reason: "空表头" };
    const metaField = meta.get(norm);
    if (metaField) return { kind: "meta", field: metaField };

    const opt = OPTION_HEADER.exec(headerForm(h));
    if (opt) {
      const q = byNumber.get(Number(opt[1]));
      if (!q || q.type !== "multiple") return { kind: "unknown", reason: `码本中没有第${opt[1]}题（多选题）` };
      const label = normalizeText(opt[2]);
      const index = optionLabels(q, rosterNames).findIndex((l) => normalizeText(l) === label);
      if (index < 0) return { kind: "unknown", reason: `第${opt[1]}题没有选项“${opt[2]}”` };
      used.add(q.code);
      return { kind: "option", question: q, option: index + 1 };
    }

    const parsed = parseQuestionHeader(h);
    if (parsed) {
      const candidates = byText.get(normalizeText(parsed.text)) ?? [];
      const textMatch =
        candidates.find((q) => q.number === parsed.number) ??
        candidates.find((q) => !used.has(q.code)) ??
        candidates[0];
      if (textMatch) {
        if (textMatch.number !== undefined && textMatch.number !== parsed.number)
          warnings.push(`“${h.trim()}”按题目文字对应码本第${textMatch.number}题（${textMatch.code}），题号不同`);
        used.add(textMatch.code);
        return { kind: "question", question: textMatch, matchedBy: "text" };
      }
      const numberMatch = byNumber.get(parsed.number);
      if (numberMatch && !used.has(numberMatch.code)) {
        warnings.push(`“${h.trim()}”按题号对应码本 ${numberMatch.code}“${numberMatch.text}”，但题目文字不同，请核对`);
        used.add(numberMatch.code);
        return { kind: "question", question: numberMatch, matchedBy: "number" };
      }
      return { kind: "unknown", reason: "码本中没有这道题" };
    }
    const alias = byAlias.get(norm) ?? byText.get(norm)?.[0];
    if (alias) {
      used.add(alias.code);
      return { kind: "question", question: alias, matchedBy: "code" };
    }
    return { kind: "unknown", reason: "码本中没有这道题" };
  });
  // A header with the same question (or option, or 序号 …) twice: the first column is read, the second is compared
  // with it row by row, so neither is ignored in silence and a row whose two answers differ is quarantined.
  const firstColumn = new Map<string, number>();
  const roles = mapped.map((role, i): ColumnRole => {
    const key =
      role.kind === "meta"
        ? `meta:${role.field}`
        : role.kind === "question"
          ? `q:${role.question.code}`
          : role.kind === "option"
            ? `o:${role.question.code}:${role.option}`
            : undefined;
    if (key === undefined) return role;
    const first = firstColumn.get(key);
    if (first === undefined) {
      firstColumn.set(key, i);
      return role;
    }
    warnings.push(
      `第 ${i + 1} 列“${header[i].trim()}”与第 ${first + 1} 列“${header[first].trim()}”是同一列内容（表头重复）：两列答案一致的行照常导入，不一致的行隔离`
    );
    return { kind: "duplicate", of: first };
  });
  const missing = codebook.questions.filter((q) => !used.has(q.code));
  return { roles, missing, warnings };
}
