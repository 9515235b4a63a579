// Prints pages of a built site to A4 PDFs with chromium, as a leader's browser would print them (the site's
// @media print rules: no sidebar, no inputs, charts kept whole; a running head and foot on every sheet), one PDF per
// page.
// The browser window is exactly as wide as the printable width of an A4 sheet (210 mm − 2 × 14 mm margins, as in
// src/style.css @page), and in print media, so that every resize() chart is drawn at the width it is printed at.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { loadCodebook } from "../codebook/load.ts";
import { paths } from "../io/config.ts";
import { openBrowser, waitForRender } from "./chromium.ts";
import { serveStatic } from "./serve.ts";

/** 182 mm at 96 px per inch. */
export const A4_CONTENT_WIDTH_PX = Math.round((182 / 25.4) * 96);

export interface PrintedPage {
  path: string;
  title: string;
  /** The PDF written (absent when the page could not be printed). */
  file: string | null;
  /** A4 sheets in the PDF. */
  sheets: number;
  bytes: number;
  /** Console or page errors, failed cells, requests to another origin: the PDF may be incomplete. */
  problems: string[];
}

/**
 * The leaders' pages, in the order of the report: overview, achievements, problems, causes and one page per cause
 * (the codebook's cause dimensions, as in observablehq.config.ts), measures, trends.
 */
export function leaderPages(): string[] {
  let causes: string[] = [];
  try {
    causes = loadCodebook(paths().codebook).sections.find((s) => s.code === "causes")?.dimensions.map((d) => d.code) ?? [];
  } catch {
    // no codebook: the per-cause pages are left out
  }
  return ["/", "/achievements", "/problems", "/causes", ...causes.map((c) => `/causes/${c}`), "/measures", "/trends", "/methods"];
}

/** Sheets in a PDF written by chromium: its page objects. */
export function countPdfPages(pdf: Uint8Array): number {
  return (Buffer.from(pdf).toString("latin1").match(/\/Type\s*\/Page(?![a-zA-Z])/g) ?? []).length;
}

/** A file name from a page title: no path separators or characters Windows refuses. */
function fileTitle(title: string): string {
  return title.replace(/\s*·\s*/g, "-").replace(/[\\/:*?"<>|\s]+/g, "_").slice(0, 60) || "页面";
}

/**
 * Prints each page path (e.g. "/causes") of the site in `dist` to `outDir/NN-<title>.pdf`, replacing the PDFs a
 * previous run left there. Returns what was printed, page by page, in order.
 */
export async function printPages(
  dist: string,
  pagePaths: string[],
  outDir: string,
  { onPage = (_p: PrintedPage) => {} }: { onPage?: (p: PrintedPage) => void } = {}
): Promise<PrintedPage[]> {
  mkdirSync(outDir, { recursive: true });
  for (const f of readdirSync(outDir)) if (/^\d\d-.*\.pdf$/.test(f)) rmSync(join(outDir, f));
  const server = await serveStatic(dist);
  const session = await openBrowser(server.origin, { width: A4_CONTENT_WIDTH_PX, height: 1100 });
  const printed: PrintedPage[] = [];
  try {
    const { page } = session;
    await page.emulateMedia({ media: "print" });
    for (const [i, path] of pagePaths.entries()) {
      const seen = session.problems.length;
      const problems: string[] = [];
      let title = path;
      let file: string | null = null;
      let sheets = 0;
      let bytes = 0;
      try {
        const response = await page.goto(`${server.origin}${path}`, { waitUntil: "load", timeout: 60_000 });
        if (!response || response.status() !== 200) throw new Error(`页面不存在（HTTP ${response?.status() ?? "无响应"}）`);
        for (const e of await waitForRender(page)) problems.push(`单元格出错：${e}`);
        // The page's heading names the file (the per-cause pages share one <title>); the home page's heading is the
        // site's title, so it goes by its <title> (概览).
        const heading = path === "/" ? null : await page.locator("h1").first().textContent({ timeout: 1000 }).catch(() => null);
        title = (heading ?? (await page.title()).split(" | ")[0]).trim() || path;
        // The running head and foot (site and page title, data date, 第 N 页 / 共 M 页) are the page's own CSS
        // @page margin boxes (src/style.css), as when a leader prints from the browser; chromium's header and footer
        // templates stay off so that nothing is printed twice.
        const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
        file = join(outDir, `${String(i + 1).padStart(2, "0")}-${fileTitle(title)}.pdf`);
        writeFileSync(file, pdf);
        sheets = countPdfPages(pdf);
        bytes = pdf.length;
      } catch (e) {
        problems.push((e as Error).message.split("\n")[0]);
      }
      problems.push(...session.problems.slice(seen));
      const result = { path, title, file, sheets, bytes, problems };
      printed.push(result);
      onPage(result);
    }
  } finally {
    await session.close();
    await server.close();
  }
  return printed;
}
