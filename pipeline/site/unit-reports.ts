// The unit report beside Framework. Framework builds the unit page once, as a template (src/units/[unit].md at
// UNIT_TEMPLATE_PATH) that reads its unit from its own address and fetches that unit's data file; this step, run by
// `npm run build` (pipeline/cli/site.ts) and the refresh (pipeline/refresh/refresh.ts) right after `observable build`
// and before the disclosure audit, gives every roster unit
// - its data file, _file/data/units/<code>.json: pipeline/marts/units.ts · unitPages computed once over the store and
//   written through the unit contract (publish.ts · publishedJson), the same bytes the archive loader
//   src/data/units.tar.ts gives the preview. Unhashed (the page finds it by the unit's code), under _file/data/ so that
//   the audit reads it with every other published file (audit.ts · publishedDataFiles: path units/<code>.json);
// - its address, units/<code>.html: a hard link to the built template (a copy where the file system refuses links).
//   Same folder as the template, so its relative asset URLs hold.
// At 5,000 units this replaces Framework parsing and rendering 5,000 pages (docs/scale.md, "The unit report at
// province scale").
import { copyFileSync, existsSync, linkSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ReportStore } from "../db/report-store.ts";

/** The one path Framework builds the unit report at (observablehq.config.ts dynamicPaths); no unit code starts with _. */
export const UNIT_TEMPLATE_PATH = "/units/_template";

/** Where a unit's data file goes in a build, relative to the build folder (the page's ../_file/data/units/<code>.json). */
export const UNIT_DATA_DIR = "_file/data/units";

export interface UnitReportsWritten {
  units: number;
  /** Bytes of all the units' data files. */
  bytes: number;
  /** How the pages were made: hard links, or copies where linking failed. */
  linked: number;
  copied: number;
}

/**
 * The unit pages' JSON texts, checked against the unit contract: [code, text], one per roster unit. From `store` when
 * given (the one pass's: data-pass.ts), else from a store opened here and closed after.
 */
export async function unitReportFiles(store?: ReportStore): Promise<[string, string][]> {
  // Loaded here, not at the top: observablehq.config.ts imports this module for UNIT_TEMPLATE_PATH and should not
  // load DuckDB to read a constant.
  const { openReportStore } = await import("../db/report-store.ts");
  const { FOCUS_SECTION, unitPages } = await import("../marts/units.ts");
  const { publishedJson } = await import("../publish/publish.ts");
  const { closeDuckDB } = await import("../io/duckdb.ts");
  const opened = store ?? (await openReportStore());
  try {
    const pages = await unitPages(opened, FOCUS_SECTION);
    const codes = new Set(pages.map((p) => p.unit.code));
    const missing = opened.roster.filter((u) => !codes.has(u.code)).map((u) => u.code);
    if (missing.length || codes.size !== pages.length)
      throw new Error(`单位页面与名册不一致：缺少 ${missing.join("、") || "（无）"}，或有重复的单位代码`);
    return pages.map((page) => [page.unit.code, publishedJson("units/[unit].json", page)]);
  } finally {
    if (!store) closeDuckDB(opened.conn); // the database too, not only the connection: its buffers go with it
  }
}

/**
 * Links (or, where the file system cannot, copies) a file of a build to another address; true when linked. A build's
 * files are never changed once written, so sharing them is safe (the unit pages here, a data swap's files: data-swap.ts).
 */
export function linkOrCopy(template: string, target: string): boolean {
  try {
    linkSync(template, target);
    return true;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== "EXDEV" && code !== "EPERM" && code !== "ENOTSUP" && code !== "EMLINK") throw e;
    copyFileSync(template, target);
    return false;
  }
}

/**
 * Writes every roster unit's data file and page into a finished build of `buildDir`, then removes the template's own
 * address (it names no unit). Throws when the build has no template or a unit's address is already taken.
 */
export async function writeUnitReports(
  buildDir: string,
  files?: [string, string][]
): Promise<UnitReportsWritten> {
  const template = join(buildDir, `${UNIT_TEMPLATE_PATH.slice(1)}.html`);
  if (!existsSync(template))
    throw new Error(`构建结果中没有单位页面模板 ${template}：observablehq.config.ts 的 dynamicPaths 应包含 ${UNIT_TEMPLATE_PATH}`);
  const reports = files ?? (await unitReportFiles());
  const dataDir = join(buildDir, UNIT_DATA_DIR);
  mkdirSync(dataDir, { recursive: true });
  const written: UnitReportsWritten = { units: 0, bytes: 0, linked: 0, copied: 0 };
  for (const [code, text] of reports) {
    const page = join(buildDir, "units", `${code}.html`);
    if (existsSync(page)) throw new Error(`单位代码 ${code} 与站点上已有的页面 units/${code}.html 重名，请在名册中改用其他代码`);
    writeFileSync(join(dataDir, `${code}.json`), text);
    if (linkOrCopy(template, page)) written.linked++;
    else written.copied++;
    written.units++;
    written.bytes += Buffer.byteLength(text);
  }
  rmSync(template);
  return written;
}
