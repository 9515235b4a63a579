// Shared by the sample tests: the project's inputs, one generated truth, and reading a written file back as cells.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import * as XLSX from "@e965/xlsx";
import iconv from "iconv-lite";
import { loadCodebook, loadIndicators, loadRoster } from "../../pipeline/codebook/load.ts";
import { parseCsvText } from "../../pipeline/io/csv.ts";
import { generateSample } from "../../pipeline/sample/generate.ts";
import type { FileFormat, SampleTruth } from "../../pipeline/sample/types.ts";

export const dataDir = fileURLToPath(new URL("../../data/", import.meta.url));
export const root = fileURLToPath(new URL("../../", import.meta.url));

export function inputs() {
  return {
    codebook: loadCodebook(dataDir + "codebook.json"),
    roster: loadRoster(dataDir + "roster.csv"),
    indicators: loadIndicators(dataDir + "indicators.json")
  };
}

let cached: { truth: SampleTruth; ms: number } | null = null;
/**
 * The default-seed truth, generated once per test file; ms is the CPU time it took (user + system), not the wall-clock
 * time, so that a budget on it holds on a busy machine as on an idle one.
 */
export function defaultTruth(): { truth: SampleTruth; ms: number } {
  if (!cached) {
    const t = process.cpuUsage();
    const truth = generateSample(inputs());
    const used = process.cpuUsage(t);
    cached = { truth, ms: (used.user + used.system) / 1000 };
  }
  return cached;
}

export type ReadCell = string | number | null;

/** A written survey file as rows of cells (header = rows[0], i.e. file row r is rows[r - 1]). CSV cells are strings. */
export function readBack(path: string, format: FileFormat): ReadCell[][] {
  const buf = readFileSync(path);
  if (format === "csv-gbk" || format === "csv-utf8bom") {
    const text = format === "csv-gbk" ? iconv.decode(buf, "gbk") : buf.toString("utf8").replace(/^\uFEFF/, "");
    return parseCsvText(text, ",");
  }
  const wb = XLSX.read(buf);
  return XLSX.utils.sheet_to_json<ReadCell[]>(wb.Sheets[wb.SheetNames[0]], {
    header: 1,
    raw: true,
    defval: null,
    blankrows: true
  });
}

/** A cell as a string for comparing across formats ("" for empty). */
export const str = (c: ReadCell | undefined) => (c === null || c === undefined ? "" : String(c));
