// Reading and validating the data files that describe a survey: codebook, roster, assessment indicators.
// Every error names the file, the path inside it (zod's path, e.g. questions[12].scale) and what is wrong.
import { readFileSync } from "node:fs";
import { z } from "zod";
import {
  CodebookSchema,
  IndicatorsSchema,
  RosterUnitSchema,
  type Codebook,
  type Indicators,
  type LikertQuestion,
  type RosterUnit,
  type Scale
} from "./schema.ts";
import { parseCsvText } from "../io/csv.ts";
import { recordInput } from "../io/trace.ts";

export class DataFileError extends Error {
  constructor(
    readonly file: string,
    readonly problems: { path: string; message: string }[]
  ) {
    super(`${file}: ${problems.map((p) => (p.path ? `${p.path}: ${p.message}` : p.message)).join("; ")}`);
    this.name = "DataFileError";
  }
}

/** Formats a zod path the way a person reads it: questions[12].scale.max */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (out, key) => (typeof key === "number" ? `${out}[${key}]` : out ? `${out}.${String(key)}` : String(key)),
    ""
  );
}

function issuesOf(error: z.ZodError) {
  return error.issues.map((i) => ({ path: formatPath(i.path), message: i.message }));
}

function readJson(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
    recordInput(file);
  } catch (e) {
    throw new DataFileError(file, [
      { path: "", message: `cannot read the file (${(e as NodeJS.ErrnoException).code ?? e})` }
    ]);
  }
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch (e) {
    throw new DataFileError(file, [{ path: "", message: `not valid JSON: ${(e as Error).message}` }]);
  }
}

export function parseCodebook(value: unknown, file = "<codebook>"): Codebook {
  const result = CodebookSchema.safeParse(value);
  if (!result.success) throw new DataFileError(file, issuesOf(result.error));
  return result.data;
}

export function loadCodebook(file: string): Codebook {
  return parseCodebook(readJson(file), file);
}

export function loadIndicators(file: string): Indicators {
  const result = IndicatorsSchema.safeParse(readJson(file));
  if (!result.success) throw new DataFileError(file, issuesOf(result.error));
  const seen = new Set<string>();
  const dup = result.data.indicators.findIndex((i) => (seen.has(i.code) ? true : (seen.add(i.code), false)));
  if (dup >= 0)
    throw new DataFileError(file, [{ path: `indicators[${dup}].code`, message: "duplicate indicator code" }]);
  return result.data;
}

/** The roster is a CSV (code,name,category,headcount) a steward edits in a spreadsheet. Rows are numbered as in the file (header = 1). */
export function loadRoster(file: string): RosterUnit[] {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
    recordInput(file);
  } catch (e) {
    throw new DataFileError(file, [
      { path: "", message: `cannot read the file (${(e as NodeJS.ErrnoException).code ?? e})` }
    ]);
  }
  const [header, ...rows] = parseCsvText(text.replace(/^\uFEFF/, ""));
  const problems: { path: string; message: string }[] = [];
  const units: RosterUnit[] = [];
  const codes = new Set<string>();
  const names = new Set<string>();
  for (const need of ["code", "name", "category", "headcount"])
    if (!header?.includes(need)) problems.push({ path: "row 1", message: `missing column ${need}` });
  if (problems.length) throw new DataFileError(file, problems);
  rows.forEach((cells, i) => {
    if (cells.every((c) => c.trim() === "")) return;
    const record = Object.fromEntries(header.map((h, j) => [h, (cells[j] ?? "").trim()]));
    const result = RosterUnitSchema.safeParse(record);
    if (!result.success) {
      for (const issue of result.error.issues)
        problems.push({ path: `row ${i + 2}, column ${formatPath(issue.path)}`, message: issue.message });
      return;
    }
    if (codes.has(result.data.code))
      problems.push({ path: `row ${i + 2}, column code`, message: `duplicate unit code ${result.data.code}` });
    if (names.has(result.data.name))
      problems.push({ path: `row ${i + 2}, column name`, message: `duplicate unit name ${result.data.name}` });
    codes.add(result.data.code);
    names.add(result.data.name);
    units.push(result.data);
  });
  if (problems.length) throw new DataFileError(file, problems);
  return units;
}

/** Lookups derived from a codebook, so that no caller walks the tree itself. */
export interface CodebookIndex {
  codebook: Codebook;
  likert: LikertQuestion[];
  scaleOf(question: LikertQuestion): Scale;
  /** sub-dimension code → its dimension and section */
  subdimension: Map<
    string,
    { code: string; name: string; dimension: string; dimensionName: string; section: string; sectionName: string }
  >;
  attributes: { attribute: string; question: string; text: string }[];
}

export function indexCodebook(codebook: Codebook): CodebookIndex {
  const subdimension: CodebookIndex["subdimension"] = new Map();
  for (const s of codebook.sections)
    for (const d of s.dimensions)
      for (const sd of d.subdimensions)
        subdimension.set(sd.code, {
          code: sd.code,
          name: sd.name,
          dimension: d.code,
          dimensionName: d.name,
          section: s.code,
          sectionName: s.name
        });
  const likert = codebook.questions.filter((q): q is LikertQuestion => q.type === "likert");
  const attributes = codebook.questions.flatMap((q) =>
    q.attribute ? [{ attribute: q.attribute, question: q.code, text: q.text }] : []
  );
  return { codebook, likert, scaleOf: (q) => codebook.scales[q.scale], subdimension, attributes };
}
