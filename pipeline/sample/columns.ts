// The column layout of a 问卷星 export and how one respondent's answer prints in each mode. Pure: shared by the
// generator (which needs the exact headers for its flaw list) and the writer.
import type { Codebook, Question } from "../codebook/schema.ts";
import type { ExportMode, MultipleAnswer, SampleRespondent } from "./types.ts";

export type Cell = string | number | null;

export type MetaField = "id" | "submittedAt" | "duration" | "source" | "sourceDetail" | "ip";

export type Column =
  | { kind: "meta"; header: string; field: MetaField }
  | { kind: "question"; header: string; question: Question }
  /** number/score mode: one 0/1 column per option of a multiple-choice question */
  | { kind: "option"; header: string; question: Question; optionIndex: number }
  /** score mode: the sum of the Likert scores */
  | { kind: "total"; header: string };

/** What 问卷星 prints for a skipped question in text mode, and the codes of number/score mode. */
export const SKIPPED_TEXT = "(跳过)";
export const SKIPPED_CODE = -3;
export const UNANSWERED_CODE = -2;
export const MULTI_SEPARATOR = "┋";
export const SCORE_TOTAL_HEADER = "总分";

export function questionNumber(codebook: Codebook, q: Question): number {
  return q.number ?? codebook.questions.indexOf(q) + 1;
}

/** `12、question text`, with a trailing space for some questions (the real export has them). */
export function questionHeader(codebook: Codebook, q: Question, trailing: ReadonlySet<string>): string {
  return `${questionNumber(codebook, q)}、${q.text}${trailing.has(q.code) ? " " : ""}`;
}

export function optionLabels(q: Question, unitNames: readonly string[]): { label: string; other: boolean }[] {
  if (q.type === "single" || q.type === "multiple") {
    if (q.options === "roster") return unitNames.map((label) => ({ label, other: false }));
    return q.options.map((o) => ({ label: o.label, other: o.other }));
  }
  return [];
}

export function surveyColumns(codebook: Codebook, mode: ExportMode, trailing: ReadonlySet<string>): Column[] {
  const ec = codebook.exportColumns;
  const meta: Column[] = [
    { kind: "meta", field: "id", header: ec.id[0] },
    { kind: "meta", field: "submittedAt", header: ec.submittedAt[0] },
    { kind: "meta", field: "duration", header: ec.duration[0] },
    { kind: "meta", field: "source", header: ec.source[0] },
    { kind: "meta", field: "sourceDetail", header: ec.sourceDetail[0] },
    { kind: "meta", field: "ip", header: ec.ip[0] }
  ];
  const questions: Column[] = codebook.questions.flatMap((q): Column[] => {
    if (q.type === "multiple" && mode !== "text")
      return q.options.map((o, optionIndex) => ({
        kind: "option",
        header: `第${questionNumber(codebook, q)}题(${o.label})`,
        question: q,
        optionIndex
      }));
    return [{ kind: "question", header: questionHeader(codebook, q, trailing), question: q }];
  });
  const total: Column[] = mode === "score" ? [{ kind: "total", header: SCORE_TOTAL_HEADER }] : [];
  return [...meta, ...questions, ...total];
}

function metaCell(field: MetaField, r: SampleRespondent, serial: number): Cell {
  switch (field) {
    case "id":
      return serial;
    case "submittedAt":
      return r.submittedAt;
    case "duration":
      return `${r.durationSeconds}秒`;
    case "source":
      return r.source;
    case "sourceDetail":
      return r.sourceDetail;
    case "ip":
      return r.ip;
  }
}

/** Option text mode: labels; multiple joined with ┋, the other option as 其他【请注明】〖fill-in〗. */
export function textCell(q: Question, r: SampleRespondent, codebook: Codebook): Cell {
  const a = r.answers[q.code];
  if (a === null || a === undefined) return r.missing[q.code] === "skipped" ? SKIPPED_TEXT : null;
  switch (q.type) {
    case "likert": {
      const scale = codebook.scales[q.scale];
      return scale.labels[(a as number) - scale.min];
    }
    case "multiple": {
      const m = a as MultipleAnswer;
      const others = new Set(q.options.filter((o) => o.other).map((o) => o.label));
      return m.labels.map((l) => (others.has(l) && m.other !== null ? `${l}〖${m.other}〗` : l)).join(MULTI_SEPARATOR);
    }
    default:
      return String(a);
  }
}

/** Option number mode (score = false) and score mode (score = true): codes; Likert as option number or as score. */
export function codedCell(
  q: Question,
  r: SampleRespondent,
  codebook: Codebook,
  unitNames: readonly string[],
  score: boolean,
  optionIndex?: number
): Cell {
  const a = r.answers[q.code];
  if (a === null || a === undefined) {
    if (q.type === "text") return null;
    return r.missing[q.code] === "skipped" ? SKIPPED_CODE : UNANSWERED_CODE;
  }
  switch (q.type) {
    case "likert": {
      const scale = codebook.scales[q.scale];
      return score ? (a as number) : (a as number) - scale.min + 1;
    }
    case "single": {
      const i = optionLabels(q, unitNames).findIndex((o) => o.label === a);
      return i + 1;
    }
    case "multiple": {
      const label = q.options[optionIndex ?? 0].label;
      return (a as MultipleAnswer).labels.includes(label) ? 1 : 0;
    }
    case "number":
      return a as number;
    case "text":
      return a as string;
  }
}

export interface RenderContext {
  codebook: Codebook;
  unitNames: readonly string[];
  mode: ExportMode;
}

/** One respondent as a row of cells in the given columns. */
export function renderRow(columns: readonly Column[], r: SampleRespondent, serial: number, ctx: RenderContext): Cell[] {
  return columns.map((c) => {
    switch (c.kind) {
      case "meta":
        return metaCell(c.field, r, serial);
      case "question":
        return ctx.mode === "text"
          ? textCell(c.question, r, ctx.codebook)
          : codedCell(c.question, r, ctx.codebook, ctx.unitNames, ctx.mode === "score");
      case "option":
        return codedCell(c.question, r, ctx.codebook, ctx.unitNames, ctx.mode === "score", c.optionIndex);
      case "total":
        return ctx.codebook.questions.reduce((sum, q) => {
          const a = r.answers[q.code];
          return q.type === "likert" && typeof a === "number" ? sum + a : sum;
        }, 0);
    }
  });
}

/** The index of the (first) column of a question. */
export function columnOf(columns: readonly Column[], questionCode: string): number {
  return columns.findIndex((c) => (c.kind === "question" || c.kind === "option") && c.question.code === questionCode);
}
