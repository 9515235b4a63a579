// Writing the simulated truth as a data steward receives it: one 问卷星 export per wave (three export modes, four file
// formats) in <outDir>/surveys/, and the assessment scores in <outDir>/assessment/scores.csv. A manifest
// (<outDir>/surveys/.sample-manifest.json) records what the generator wrote, so that it never overwrites anyone else's file.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import * as XLSX from "@e965/xlsx";
import iconv from "iconv-lite";
import type { Codebook } from "../codebook/schema.ts";
import { loadCodebook, loadIndicators, loadRoster } from "../codebook/load.ts";
import { columnOf, renderRow, surveyColumns, type Cell, type Column, type RenderContext } from "./columns.ts";
import { assessmentFileRows, generateSample } from "./generate.ts";
import { DEFAULT_SEED } from "./population.ts";
import type { ExportMode, FileFormat, SampleTruth, SampleWave } from "./types.ts";

export const SURVEYS_DIR = "surveys";
export const ASSESSMENT_DIR = "assessment";
export const SCORES_FILE = "scores.csv";
export const MANIFEST_FILE = ".sample-manifest.json";
export const SURVEY_EXTENSIONS = [".csv", ".xls", ".xlsx"] as const;

export interface WrittenFile {
  /** absolute (or as given) path */
  path: string;
  /** path relative to outDir, with / separators */
  relPath: string;
  kind: "survey" | "assessment";
  /** survey files only */
  year?: number;
  mode?: ExportMode;
  format: FileFormat | "csv-utf8";
  /** data rows written (without the header) */
  rows: number;
  bytes: number;
  sha256: string;
}

interface Manifest {
  generator: "pipeline/sample";
  seed: number;
  files: { path: string; sha256: string }[];
}

// ---------------------------------------------------------------------------------------------------------------------
// the three export modes: header + data rows as cells

function sheetRows(truth: SampleTruth, wave: SampleWave, codebook: Codebook, mode: ExportMode): Cell[][] {
  const columns: Column[] = surveyColumns(codebook, mode, new Set(truth.headerTrailingSpace));
  const ctx: RenderContext = { codebook, unitNames: truth.unitNames, mode };
  const out: Cell[][] = [columns.map((c) => c.header)];
  for (const row of wave.rows) {
    if (!row.respondent || row.serial === null) {
      out.push(columns.map(() => "")); // a fully empty row: every cell an empty string
      continue;
    }
    const cells = renderRow(columns, row.respondent, row.serial, ctx);
    if (row.override) {
      const i = columnOf(columns, row.override.question);
      cells[i] = row.override.value === "" ? null : row.override.value;
    }
    out.push(cells);
  }
  return out;
}

/** 按选项文本: option labels, multiple choice joined with ┋, skipped = (跳过). */
export function textModeRows(truth: SampleTruth, wave: SampleWave, codebook: Codebook): Cell[][] {
  return sheetRows(truth, wave, codebook, "text");
}

/** 按选项序号: option numbers, multiple choice as 0/1 columns 第N题(选项), skipped = -3, not shown = -2. */
export function numberModeRows(truth: SampleTruth, wave: SampleWave, codebook: Codebook): Cell[][] {
  return sheetRows(truth, wave, codebook, "number");
}

/** 按分数: like 按选项序号, but Likert cells hold the scale score, and a 总分 column closes the row. */
export function scoreModeRows(truth: SampleTruth, wave: SampleWave, codebook: Codebook): Cell[][] {
  return sheetRows(truth, wave, codebook, "score");
}

const MODE_ROWS: Record<ExportMode, (truth: SampleTruth, wave: SampleWave, codebook: Codebook) => Cell[][]> = {
  text: textModeRows,
  number: numberModeRows,
  score: scoreModeRows
};

// ---------------------------------------------------------------------------------------------------------------------
// the four file formats

function workbook(rows: Cell[][], year: number): XLSX.WorkBook {
  const ws = XLSX.utils.aoa_to_sheet(rows);
  ws["!cols"] = rows[0].map((h, i) => ({
    wch: i < 6 ? [5, 18, 8, 8, 8, 26][i] : Math.min(40, Math.max(8, String(h).length * 2))
  }));
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(wb, ws, "Sheet1");
  // fixed properties, so that the same truth gives the same workbook
  wb.Props = { Author: "问卷星", CreatedDate: new Date(Date.UTC(year, 10, 1)) };
  return wb;
}

export function encodeXls(rows: Cell[][], year: number): Buffer {
  return XLSX.write(workbook(rows, year), { bookType: "biff8", type: "buffer" }) as Buffer;
}

export function encodeXlsx(rows: Cell[][], year: number): Buffer {
  return XLSX.write(workbook(rows, year), { bookType: "xlsx", type: "buffer", compression: true }) as Buffer;
}

function csvField(c: Cell): string {
  const s = c === null ? "" : String(c);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvText(rows: Cell[][], eol = "\r\n"): string {
  return rows.map((r) => r.map(csvField).join(",")).join(eol) + eol;
}

/** CSV in GBK with CRLF, as Excel on a Chinese Windows saves it. Throws if a character has no GBK code. */
export function encodeCsvGbk(rows: Cell[][]): Buffer {
  const text = csvText(rows);
  const bytes = iconv.encode(text, "gbk");
  if (iconv.decode(bytes, "gbk") !== text) {
    const bad = [...text].find((ch) => iconv.decode(iconv.encode(ch, "gbk"), "gbk") !== ch);
    throw new Error(`the text holds a character GBK cannot encode: ${JSON.stringify(bad)}`);
  }
  return bytes;
}

/** CSV in UTF-8 with a byte order mark and CRLF. */
export function encodeCsvUtf8Bom(rows: Cell[][]): Buffer {
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(csvText(rows), "utf8")]);
}

export function encodeFile(rows: Cell[][], format: FileFormat, year: number): Buffer {
  switch (format) {
    case "xls":
      return encodeXls(rows, year);
    case "xlsx":
      return encodeXlsx(rows, year);
    case "csv-gbk":
      return encodeCsvGbk(rows);
    case "csv-utf8bom":
      return encodeCsvUtf8Bom(rows);
  }
}

/** The assessment scores as UTF-8 CSV: year,unit,indicator,score, with the truth's deliberately flawed rows among them. */
export function scoresCsv(truth: SampleTruth): string {
  return csvText([["year", "unit", "indicator", "score"], ...assessmentFileRows(truth)], "\n");
}

// ---------------------------------------------------------------------------------------------------------------------
// writing, and knowing what is ours

const sha256 = (b: Buffer | string) => createHash("sha256").update(b).digest("hex");
const rel = (outDir: string, p: string) => relative(outDir, p).split("\\").join("/");

function readManifest(outDir: string): Manifest | null {
  const file = join(outDir, SURVEYS_DIR, MANIFEST_FILE);
  if (!existsSync(file)) return null;
  try {
    const m = JSON.parse(readFileSync(file, "utf8")) as Manifest;
    return Array.isArray(m.files) ? m : null;
  } catch {
    return null;
  }
}

/**
 * Files the generator did not write (or that changed since): every file in <outDir>/surveys (dot files aside) and
 * <outDir>/assessment/scores.csv that the manifest does not list with the same content. Paths relative to outDir.
 */
export function foreignFiles(outDir: string): string[] {
  const manifest = readManifest(outDir);
  const ours = new Map((manifest?.files ?? []).map((f) => [f.path, f.sha256]));
  const candidates: string[] = [];
  const surveys = join(outDir, SURVEYS_DIR);
  if (existsSync(surveys))
    for (const name of readdirSync(surveys).sort()) {
      const p = join(surveys, name);
      if (!name.startsWith(".") && statSync(p).isFile()) candidates.push(p);
    }
  const scores = join(outDir, ASSESSMENT_DIR, SCORES_FILE);
  if (existsSync(scores)) candidates.push(scores);
  return candidates.map((p) => rel(outDir, p)).filter((r) => ours.get(r) !== sha256(readFileSync(join(outDir, r))));
}

export interface WriteOptions {
  /** write assessment/scores.csv too (default true) */
  assessment?: boolean;
}

/** Writes every wave's export to <outDir>/surveys and the scores to <outDir>/assessment/scores.csv; returns what it wrote. */
export function writeSample(
  truth: SampleTruth,
  codebook: Codebook,
  outDir: string,
  options: WriteOptions = {}
): WrittenFile[] {
  const surveys = join(outDir, SURVEYS_DIR);
  mkdirSync(surveys, { recursive: true });
  const written: WrittenFile[] = [];
  for (const wave of truth.waves) {
    const rows = MODE_ROWS[wave.file.mode](truth, wave, codebook);
    const bytes = encodeFile(rows, wave.file.format, wave.year);
    const path = join(surveys, wave.file.fileName);
    writeFileSync(path, bytes);
    written.push({
      path,
      relPath: rel(outDir, path),
      kind: "survey",
      year: wave.year,
      mode: wave.file.mode,
      format: wave.file.format,
      rows: rows.length - 1,
      bytes: bytes.length,
      sha256: sha256(bytes)
    });
  }
  if (options.assessment ?? true) {
    mkdirSync(join(outDir, ASSESSMENT_DIR), { recursive: true });
    const path = join(outDir, ASSESSMENT_DIR, SCORES_FILE);
    const bytes = Buffer.from(scoresCsv(truth), "utf8");
    writeFileSync(path, bytes);
    written.push({
      path,
      relPath: rel(outDir, path),
      kind: "assessment",
      format: "csv-utf8",
      rows: truth.assessment.length + truth.assessmentFlaws.length,
      bytes: bytes.length,
      sha256: sha256(bytes)
    });
  }
  // the manifest: what we wrote now, plus earlier entries that are still there unchanged
  const now = new Map(written.map((w) => [w.relPath, w.sha256]));
  const kept = (readManifest(outDir)?.files ?? []).filter((f) => {
    if (now.has(f.path)) return false;
    const p = join(outDir, f.path);
    return existsSync(p) && sha256(readFileSync(p)) === f.sha256;
  });
  const manifest: Manifest = {
    generator: "pipeline/sample",
    seed: truth.seed,
    files: [...kept, ...[...now].map(([path, sha]) => ({ path, sha256: sha }))].sort((a, b) =>
      a.path.localeCompare(b.path)
    )
  };
  writeFileSync(join(surveys, MANIFEST_FILE), JSON.stringify(manifest, null, 2) + "\n");
  return written;
}

/**
 * The SHA-256 checksums of the files the generator wrote into a surveys folder and its sibling assessment folder, as
 * its record in that folder lists them (empty when it wrote nothing there): how a build knows it shows the sample.
 */
export function sampleChecksums(surveysDir: string): Set<string> {
  const file = join(surveysDir, MANIFEST_FILE);
  if (!existsSync(file)) return new Set();
  try {
    const m = JSON.parse(readFileSync(file, "utf8")) as Partial<Manifest>;
    return new Set(
      m.generator === "pipeline/sample" && Array.isArray(m.files) ? m.files.map((f) => String(f.sha256)) : []
    );
  } catch {
    return new Set();
  }
}

/** Whether a folder holds at least one survey export (.csv/.xls/.xlsx). */
export function hasSurveyFiles(dir: string): boolean {
  if (!existsSync(dir)) return false;
  return readdirSync(dir).some((n) => !n.startsWith(".") && SURVEY_EXTENSIONS.some((e) => n.toLowerCase().endsWith(e)));
}

/**
 * First run: if <dataDir>/surveys holds no .csv/.xls/.xlsx file, generates the sample from <dataDir>/codebook.json,
 * roster.csv and indicators.json (default seed) and writes it. assessment/scores.csv is written only when it is absent
 * or the generator's own. Returns the files written, or [] when there was data already.
 */
export function ensureSampleData(dataDir: string, seed = DEFAULT_SEED): WrittenFile[] {
  if (hasSurveyFiles(join(dataDir, SURVEYS_DIR))) return [];
  const codebook = loadCodebook(join(dataDir, "codebook.json"));
  const roster = loadRoster(join(dataDir, "roster.csv"));
  const indicators = loadIndicators(join(dataDir, "indicators.json"));
  const truth = generateSample({ codebook, roster, indicators, seed });
  const scoresRel = `${ASSESSMENT_DIR}/${SCORES_FILE}`;
  const assessment =
    !existsSync(join(dataDir, ASSESSMENT_DIR, SCORES_FILE)) || !foreignFiles(dataDir).includes(scoresRel);
  return writeSample(truth, codebook, dataDir, { assessment });
}
