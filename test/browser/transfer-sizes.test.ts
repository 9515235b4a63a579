// What each page of the built site transfers on first load, measured in chromium against the local server
// (pipeline/site/transfer.ts): printed as a table and written to test-results/transfer-sizes.md.
// Asserted: every page loads from this origin only, the leaders' pages fetch no DuckDB-wasm, and the explore page does.
// The size budget of the leaders' pages (300 kB after gzip) is reported here and enforced by
// `npx tsx pipeline/cli/sizes.ts` (exit 1); set YIPANQI_ENFORCE_BUDGET=1 to make this test enforce it too.
import { mkdirSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { leaderPages } from "../../pipeline/site/print.ts";
import { measureTransfers, sitePages, transferTable, type PageTransfer } from "../../pipeline/site/transfer.ts";

const dist = inject("distDir");
const root = fileURLToPath(new URL("../..", import.meta.url));
const BUDGET_KB = 300;
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

  it.runIf(process.env.YIPANQI_ENFORCE_BUDGET === "1")(
    `stays under ${BUDGET_KB} kB (gzip) on the leaders' pages`,
    () => {
      const leaders = new Set(leaderPages());
      const over = rows
        .filter((r) => leaders.has(r.path) && r.gzip > BUDGET_KB * 1000)
        .map((r) => `${r.path} ${Math.round(r.gzip / 1000)} kB`);
      expect(over).toEqual([]);
    }
  );
});
