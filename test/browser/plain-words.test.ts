// The leaders' pages carry words, not test statistics: after a page has rendered in chromium, its visible text
// (document.body.innerText, tooltips and hidden elements excluded) holds none of the tokens of a statistics report —
// Welch, FPC, p, r, β, R², 显著, 置信区间 — and a failure names the page and the token with the text around it. How the
// figures are computed and tested is the business of 方法说明 (/methods), which is not scanned.
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { waitForRender } from "../../pipeline/site/chromium.ts";
import { openSession, type Session } from "./browser.ts";
import { serveStatic, type StaticServer } from "./server.ts";

const dist = inject("distDir");

const LEADER_PAGES = [
  "/",
  "/achievements",
  "/problems",
  "/causes",
  "/causes/cognition",
  "/causes/capacity",
  "/causes/mechanisms",
  "/measures",
  "/trends",
  // Read by leaders too, though not printed as the report: the unit list, a unit's page, the assessment.
  "/units/",
  "/units/U001",
  "/assessment"
];

/** Each token with how it is found: a Latin letter only when it stands alone (not inside a word or a file name). */
const JARGON: { token: string; pattern: RegExp }[] = [
  { token: "Welch", pattern: /welch/i },
  { token: "FPC", pattern: /\bfpc\b/i },
  { token: "p", pattern: /(?<![A-Za-z0-9_.])[pP](?![A-Za-z0-9_])/ },
  { token: "r", pattern: /(?<![A-Za-z0-9_.])r(?![A-Za-z0-9_])/ },
  { token: "β", pattern: /β/ },
  { token: "R²", pattern: /R²|R\^2|\bR2\b/ },
  { token: "显著", pattern: /显著/ },
  { token: "置信区间", pattern: /置信区间/ }
];

/** Every jargon token in a text, with 12 characters either side. */
function jargonIn(text: string): string[] {
  const found: string[] = [];
  for (const { token, pattern } of JARGON) {
    const global = new RegExp(pattern.source, pattern.flags.includes("g") ? pattern.flags : `${pattern.flags}g`);
    for (const m of text.matchAll(global))
      found.push(
        `${token}: …${text.slice(Math.max(0, m.index - 12), m.index + m[0].length + 12).replace(/\s+/g, " ")}…`
      );
  }
  return found;
}

describe("the jargon scan", () => {
  it("finds the tokens of a statistics report and passes plain words", () => {
    expect(jargonIn("差异显著（p<0.001）").map((s) => s.split(":")[0])).toEqual(["p", "显著"]);
    expect(jargonIn("Welch 检验，FPC 校正，r = 0.42，β = 0.3，R² = 12%").map((s) => s.split(":")[0])).toEqual([
      "Welch",
      "FPC",
      "r",
      "β",
      "R²"
    ]);
    expect(jargonIn("变化不明显；关联较强；下载 CSV、PNG 或 SVG；2025年；指数 72.7")).toEqual([]);
  });
});

describe("leaders' pages in chromium", () => {
  let server: StaticServer;
  let session: Session;

  beforeAll(async () => {
    server = await serveStatic(dist);
    session = await openSession(server.origin, { width: 1440, height: 900 });
  });

  afterAll(async () => {
    await session?.close();
    await server?.close();
  });

  it.each(LEADER_PAGES)("%s shows no test statistics in its visible text", async (path) => {
    await session.page.goto(`${server.origin}${path}`, { waitUntil: "load" });
    expect(await waitForRender(session.page)).toEqual([]);
    const text = await session.page.evaluate(() => document.body.innerText);
    expect(text.length).toBeGreaterThan(200);
    expect(jargonIn(text), `jargon on ${path}`).toEqual([]);
  });
});
