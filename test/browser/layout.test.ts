// Every page of the built site at a desktop window (1440×900) and a phone's (390×844), in chromium: no console error,
// no page error, no request to another origin, and no sideways scrolling (the document no wider than the window).
// A failure names the page, the width and, for a page too wide, the outermost elements that stick out past the
// window's right edge. Pages: every page of the build (pipeline/site/transfer.ts sitePages: one unit page stands for
// all), plus the page of a unit shown in the latest wave and of a unit hidden in every wave (units-index.json).
import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { waitForRender } from "../../pipeline/site/chromium.ts";
import { sitePages } from "../../pipeline/site/transfer.ts";
import { openSession, type Session } from "./browser.ts";
import { serveStatic, type StaticServer } from "./server.ts";

const dist = inject("distDir");

interface UnitsIndex {
  waves: number[];
  categories: { units: { code: string; responses: { wave: number; suppressed: boolean }[] }[] }[];
}

/** The units-index.json the units page registers (its hashed name is in the page). */
async function unitsIndex(): Promise<UnitsIndex | null> {
  const html = await readFile(`${dist}/units/index.html`, "utf8").catch(() => "");
  const m = html.match(/registerFile\("\.\.\/data\/units-index\.json", \{[^}]*"path":"\.\.\/(_file\/[^"]+)"/);
  return m ? (JSON.parse(await readFile(`${dist}/${m[1]}`, "utf8")) as UnitsIndex) : null;
}

let server: StaticServer;
let pages: string[];

beforeAll(async () => {
  pages = sitePages(dist);
  const index = await unitsIndex();
  if (index) {
    const units = index.categories.flatMap((c) => c.units);
    const latest = index.waves[index.waves.length - 1];
    const shown = units.find((u) => u.responses.some((r) => r.wave === latest && !r.suppressed));
    const hidden = units.find((u) => u.responses.every((r) => r.suppressed));
    for (const u of [shown, hidden]) if (u && !pages.includes(`/units/${u.code}`)) pages.push(`/units/${u.code}`);
  }
  server = await serveStatic(dist);
});

afterAll(async () => {
  await server?.close();
});

const windows = [
  { name: "desktop", width: 1440, height: 900 },
  { name: "phone", width: 390, height: 844 }
];

describe.each(windows)("every page at $width×$height ($name)", ({ width, height }) => {
  let session: Session;

  beforeAll(async () => {
    session = await openSession(server.origin, { width, height });
  });

  afterAll(async () => {
    await session?.close();
  });

  it("renders without errors and never scrolls sideways", async () => {
    expect(pages.length).toBeGreaterThanOrEqual(12);
    const failures: string[] = [];
    for (const path of pages) {
      const { page, consoleErrors, pageErrors, outsideRequests } = session;
      const before = { console: consoleErrors.length, page: pageErrors.length, outside: outsideRequests.length };
      const response = await page.goto(`${server.origin}${path}`, { waitUntil: "load", timeout: 120_000 });
      if (!response || response.status() !== 200) failures.push(`${path}: HTTP ${response?.status() ?? "无响应"}`);
      const cellErrors = await waitForRender(page, 120_000);
      const layout = await page.evaluate(() => {
        const root = document.documentElement;
        const right = root.clientWidth;
        // The outermost elements past the right edge that no scrolling box of their own contains.
        const scrolls = (e: Element) => /auto|scroll|hidden|clip/.test(getComputedStyle(e).overflowX);
        const contained = (e: Element) => {
          for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) if (scrolls(a)) return true;
          return false;
        };
        const sticking = [...document.querySelectorAll("body *")].filter((e) => {
          const box = e.getBoundingClientRect();
          return box.width > 0 && box.right > right + 1 && !contained(e);
        });
        const outermost = sticking.filter((e) => !sticking.includes(e.parentElement!));
        const describe = (e: Element) =>
          `<${e.tagName.toLowerCase()}${e.id ? `#${e.id}` : ""}${[...e.classList].map((c) => `.${c}`).join("")}> ` +
          `right ${Math.round(e.getBoundingClientRect().right)} px`;
        return { scrollWidth: root.scrollWidth, clientWidth: right, offenders: outermost.slice(0, 5).map(describe) };
      });
      const problems = [
        ...cellErrors.map((e) => `cell error: ${e}`),
        ...consoleErrors.slice(before.console).map((e) => `console error: ${e}`),
        ...pageErrors.slice(before.page).map((e) => `page error: ${e.split("\n")[0]}`),
        ...outsideRequests.slice(before.outside).map((u) => `request to another origin: ${u}`)
      ];
      if (layout.scrollWidth > layout.clientWidth)
        problems.push(
          `scrolls sideways: ${layout.scrollWidth} px wide in a ${layout.clientWidth} px window; ${layout.offenders.join("; ") || "no single element"}`
        );
      failures.push(...problems.map((p) => `${path} at ${width} px: ${p}`));
    }
    expect(failures).toEqual([]);
  }, 1_800_000);
});
