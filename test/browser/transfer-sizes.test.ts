// What each page of the built site transfers on first load, measured in chromium against the local server
// (pipeline/site/transfer.ts): printed as a table and written to test-results/transfer-sizes.md.
// Asserted: every page loads from this origin only, the leaders' pages fetch no DuckDB-wasm, and the explore page does;
// and every leader's page (npm run pdf's list) stays within its budget of 250 kB on the wire (gzip), as
// `npm run sizes` also checks (exit 1). A failure names the page and its size.
import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { leaderPages } from "../../pipeline/site/print.ts";
import { measureTransfers, sitePages, transferTable, type PageTransfer } from "../../pipeline/site/transfer.ts";

const dist = inject("distDir");
const root = fileURLToPath(new URL("../..", import.meta.url));
const BUDGET_KB = 250;
let rows: PageTransfer[];

beforeAll(async () => {
  rows = await measureTransfers(dist, sitePages(dist));
  const table = transferTable(rows);
  console.log(
    `\n首次加载的传输量（kB = 1000 字节；文件合计为未压缩大小；实际传输为服务器 gzip 压缩后发送的字节）\n${table}\n`
  );
  mkdirSync(`${root}test-results`, { recursive: true });
  writeFileSync(`${root}test-results/transfer-sizes.md`, `${table}\n`);
}, 600_000);

describe("first-load transfer", () => {
  it("is measured for every page, with nothing requested from another origin", () => {
    expect(rows.map((r) => r.path)).toEqual(expect.arrayContaining(["/", "/causes", "/explore"]));
    for (const r of rows) {
      expect(r.total, r.path).toBeGreaterThan(0);
      expect(r.bytes.html, r.path).toBeGreaterThan(0);
      expect(
        r.problems.filter((p) => p.startsWith("request to another origin")),
        r.path
      ).toEqual([]);
    }
  });

  it("includes DuckDB-wasm only on the explore page", () => {
    const explore = rows.find((r) => r.path === "/explore")!;
    expect(explore.bytes.wasm).toBeGreaterThan(10_000_000);
    expect(rows.filter((r) => r.path !== "/explore" && r.bytes.wasm > 0).map((r) => r.path)).toEqual([]);
  });

  it(`stays under ${BUDGET_KB} kB (gzip) on the leaders' pages`, () => {
    const leaders = leaderPages();
    expect(rows.map((r) => r.path)).toEqual(expect.arrayContaining(leaders));
    const over = rows
      .filter((r) => leaders.includes(r.path) && r.gzip > BUDGET_KB * 1000)
      .map((r) => `${r.path} ${Math.round(r.gzip / 1000)} kB`);
    expect(over).toEqual([]);
  });

  it("ships Plot as one module, without d3's thirty modules (pipeline/site/plot-bundle.ts)", () => {
    const modules = readdirSync(join(dist, "_node"));
    expect(modules).toContain("@observablehq");
    expect(readdirSync(join(dist, "_node/@observablehq")).filter((m) => m.startsWith("plot@"))).toHaveLength(1);
    expect(modules.filter((m) => /^d3(-[a-z]+)?@/.test(m))).toEqual([]);
  });
});
