// npm run pdf's printing (pipeline/site/print.ts) on the built dist/: the causes page comes out as an A4 PDF with its
// charts drawn (the page rendered without errors), and the printed layout has no sidebar and no chart wider than
// the sheet.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, inject, it } from "vitest";
import { A4_CONTENT_WIDTH_PX, countPdfPages, leaderPages, printPages } from "../../pipeline/site/print.ts";
import { tempDir } from "../helpers/mini-exports.ts";
import { openSession } from "./browser.ts";
import { serveStatic } from "./server.ts";

const dist = inject("distDir");

describe("printing to PDF", () => {
  it("lists the leaders' pages in report order, one per cause", () => {
    const pages = leaderPages();
    expect(pages.slice(0, 4)).toEqual(["/", "/achievements", "/problems", "/causes"]);
    expect(pages.filter((p) => p.startsWith("/causes/"))).toHaveLength(3);
    expect(pages.slice(-3)).toEqual(["/measures", "/trends", "/methods"]);
  });

  it("prints /causes to an A4 PDF without errors", async () => {
    const out = tempDir("yipanqi-pdf-");
    const [printed] = await printPages(dist, ["/causes"], out);
    expect(printed.problems).toEqual([]);
    expect(printed.file).toBe(join(out, "01-原因剖析.pdf"));
    const pdf = readFileSync(printed.file!);
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
    expect(printed.sheets).toBe(countPdfPages(pdf));
    expect(printed.sheets).toBeGreaterThanOrEqual(2);
    // A4 portrait in points: 595.28 × 841.89 (chromium writes the MediaBox of every sheet).
    const boxes = [...pdf.toString("latin1").matchAll(/\/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]/g)].map((m) => [
      Number(m[1]),
      Number(m[2])
    ]);
    expect(boxes.length).toBeGreaterThanOrEqual(printed.sheets);
    for (const [w, h] of boxes) {
      expect(w).toBeCloseTo(595.28, 0);
      expect(h).toBeCloseTo(841.89, 0);
    }
  });

  it("lays the page out for print: no sidebar, no input form, every chart within the sheet's width", async () => {
    const server = await serveStatic(dist);
    const session = await openSession(server.origin, { width: A4_CONTENT_WIDTH_PX, height: 1100 });
    try {
      await session.page.emulateMedia({ media: "print" });
      await session.page.goto(`${server.origin}/causes`, { waitUntil: "networkidle" });
      await session.page.waitForFunction(
        () => document.querySelectorAll("observablehq-loading").length === 0 && document.querySelector(".score-bars")
      );
      const layout = await session.page.evaluate(() => ({
        sidebar: getComputedStyle(document.querySelector("#observablehq-sidebar")!).display,
        forms: [...document.querySelectorAll("form")].filter(
          (f) => getComputedStyle(f).display !== "none" && f.getBoundingClientRect().height > 0
        ).length,
        widest: Math.max(...[...document.querySelectorAll("svg")].map((s) => s.getBoundingClientRect().right)),
        page: document.documentElement.clientWidth
      }));
      expect(layout.sidebar).toBe("none");
      expect(layout.forms).toBe(0);
      expect(layout.widest).toBeLessThanOrEqual(layout.page + 1);
      expect(session.pageErrors).toEqual([]);
    } finally {
      await session.close();
      await server.close();
    }
  });
});
