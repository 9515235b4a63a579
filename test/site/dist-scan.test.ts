// The dist scan (test/helpers/dist-scan.ts) can fail: planted respondent ids, IPs, submission times, open-text answers,
// small cells and respondent-level fields are each found, in JSON, Arrow, CSV, HTML and JS; clean files pass; and a
// page whose module graph reaches DuckDB-wasm is caught.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { toArrowStream } from "../../pipeline/publish/arrow.ts";
import { duckdbOnPage, isoSecond, moduleGraph, scanDist, scanFile, type ScanRules } from "../helpers/dist-scan.ts";
import { tempDir } from "../helpers/mini-exports.ts";
import { defaultTruth } from "../sample/helpers.ts";

const truth = defaultTruth().truth;
const respondents = truth.waves.flatMap((w) => w.respondents);
const openTexts = respondents.flatMap((r) => (typeof r.answers.suggestions === "string" ? [r.answers.suggestions] : []));
const rules: ScanRules = {
  minGroupSize: 5,
  openTexts,
  ips: respondents.map((r) => r.ip),
  submissionTimes: respondents.map((r) => r.submittedAt)
};
const bytes = (s: string) => new TextEncoder().encode(s);
const kinds = (file: string, content: string | Uint8Array) =>
  scanFile(file, typeof content === "string" ? bytes(content) : content, rules).map((f) => f.kind);

const fixture = (name: string) => readFileSync(new URL(`../fixtures/site/${name}`, import.meta.url));

describe("scanFile", () => {
  it("passes the published shapes: suppressed rows with null statistics, large groups, refresh times", () => {
    for (const name of ["causes-meta.json", "causes-scores.json", "causes-items.json"]) expect(scanFile(name, fixture(name), rules)).toEqual([]);
    const rows = JSON.stringify([
      { wave: 2019, group: "全体", n: 565, mean: 3.1, suppressed: false },
      { wave: 2019, group: "小单位", n: null, mean: null, counts: null, suppressed: true }
    ]);
    expect(kinds("data/ok.json", rows)).toEqual([]);
    expect(kinds("data/meta.json", JSON.stringify({ refreshedAt: "2026-11-27T01:27:08.276Z", sha256: "b8e1bc7fdbabeadb326a2f6f7615dfd4169ccfa8c3787bf8ae68767374813f8e" }))).toEqual([]);
  });

  it("finds a respondent id as the store writes it", () => {
    expect(kinds("data/leak.json", JSON.stringify([{ id: "b8e1bc7fdbab-17", n: 40 }]))).toContain("respondent_id");
    expect(kinds("page.html", "<p>b8e1bc7fdbab-1</p>")).toEqual(["respondent_id"]);
    expect(kinds("_node/lib.js", "x=5395239384953e-18,y=1.30517578125e-15")).toEqual([]); // float literals in code
    expect(scanFile("page.html", bytes("<p>12345678901e-3</p>"), { ...rules, idPrefixes: ["12345678901e"] }).map((f) => f.kind)).toEqual(["respondent_id"]);
  });

  it("finds IP addresses: any in data, the respondents' own in code", () => {
    const ip = respondents[3].ip.match(/[\d.]+/)![0];
    expect(kinds("data/x.csv", `unit,addr\nU001,10.1.2.3\n`)).toContain("ip");
    expect(kinds("_node/lib.js", `const v="1.2.3.4";`)).toEqual([]); // a version-like literal in code is not personal
    expect(kinds("_node/lib.js", `const v="${ip}";`)).toEqual(["ip"]);
  });

  it("finds submission times, as exported and in ISO form", () => {
    const r = respondents[10];
    expect(kinds("page.html", `<td>${r.submittedAt}</td>`)).toEqual(["timestamp"]);
    expect(kinds("data/t.json", JSON.stringify({ at: isoSecond(r.submittedAt).replace(" ", "T") + ".000Z" }))).toEqual(["timestamp"]);
    expect(kinds("data/t.json", JSON.stringify({ at: "2019/10/12 9:31:05" }))).toEqual(["timestamp"]);
  });

  it("finds open-text answers from the seeded truth", () => {
    const text = openTexts.find((t) => t.length >= 8)!;
    expect(kinds("_import/page.js", `export const quote = ${JSON.stringify(text)};`)).toEqual(["open_text"]);
    expect(kinds("data/x.csv", `comment\n"${text}"\n`)).toContain("open_text");
  });

  it("finds a small cell: n under the minimum and not suppressed, or suppressed with numbers left in", () => {
    expect(kinds("data/s.json", JSON.stringify({ rows: [{ group: "甲", n: 3, mean: 2.5, suppressed: false }] }))).toEqual(["small_cell"]);
    expect(kinds("data/s.json", JSON.stringify([{ group: "甲", n: 4, mean: 2.5 }]))).toEqual(["small_cell"]);
    expect(kinds("data/s.json", JSON.stringify([{ group: "甲", n: null, agreeShare: 0.4, suppressed: true }]))).toEqual(["small_cell"]);
    expect(kinds("data/s.csv", "group,n,rate,suppressed\n甲,2,0.5,false\n")).toEqual(["small_cell"]);
  });

  it("decodes Arrow files and checks their rows and columns", () => {
    const arrow = (rows: Record<string, unknown>[], columns: { name: string; type: "utf8" | "int32" | "float64" | "bool" }[]) =>
      toArrowStream({ name: "t", description: "", columns: columns.map((c) => ({ ...c, description: "" })), rows });
    const cols = [
      { name: "group_name", type: "utf8" as const },
      { name: "n", type: "int32" as const },
      { name: "mean", type: "float64" as const },
      { name: "suppressed", type: "bool" as const }
    ];
    expect(kinds("data/a.arrow", arrow([{ group_name: "甲", n: 40, mean: 3.2, suppressed: false }, { group_name: "乙", n: null, mean: null, suppressed: true }], cols))).toEqual([]);
    expect(kinds("data/a.arrow", arrow([{ group_name: "甲", n: 2, mean: 3.2, suppressed: false }], cols))).toEqual(["small_cell"]);
    const leak = arrow([{ respondent_id: "b8e1bc7fdbab-3", n: 40 }], [{ name: "respondent_id", type: "utf8" }, { name: "n", type: "int32" }]);
    expect(kinds("data/a.arrow", leak).sort()).toEqual(["field", "respondent_id"]);
  });
});

describe("scanDist and the module graph", () => {
  const dist = tempDir("yipanqi-scan-");
  const put = (path: string, content: string | Uint8Array) => {
    mkdirSync(dirname(join(dist, path)), { recursive: true });
    writeFileSync(join(dist, path), content);
  };
  put("index.html", `<link rel="modulepreload" href="./_observablehq/client.js"><script type="module">import {define} from "./_observablehq/client.js";
define({id: "1", body: async () => { const {x} = await import("./_import/components/a.js"); return x; }});</script>`);
  put("_observablehq/client.js", `const lazy = () => import("../_npm/@duckdb/duckdb-wasm@1.29.0/_esm.js"); export function define() {}`);
  put("_import/components/a.js", `import {y} from "../../_node/lib@1.0.0/index.js"; export const x = y;`);
  put("_node/lib@1.0.0/index.js", `export const y = 1;`);
  put("explore.html", `<script type="module">const d = await import("./_node/@duckdb/duckdb-wasm@1.32.0/index.js");</script>`);
  put("_node/@duckdb/duckdb-wasm@1.32.0/index.js", `export const db = 1;`);
  put("leader.html", `<script type="module">await import("./_import/components/b.js");</script>`);
  put("_import/components/b.js", `export * from "../../_node/@duckdb/duckdb-wasm@1.32.0/index.js";`);
  put("_file/data/scores.json", JSON.stringify([{ n: 3, mean: 1, suppressed: false }]));
  put("_file/data/fine.json", JSON.stringify([{ n: 30, mean: 1, suppressed: false }]));

  it("walks every scanned file and reports where", () => {
    const { files, findings } = scanDist(dist, rules);
    expect(files).toContain("_file/data/fine.json");
    expect(findings).toEqual([{ file: "_file/data/scores.json", kind: "small_cell", detail: "[0]: n = 3 < 5, not suppressed" }]);
  });

  it("follows imports from a page through its components to node_modules", () => {
    const graph = moduleGraph(dist, "index.html").map((r) => r.path);
    expect(graph).toEqual(expect.arrayContaining(["_observablehq/client.js", "_import/components/a.js", "_node/lib@1.0.0/index.js"]));
  });

  it("sees DuckDB-wasm on the page that loads it, even through a component, but not a lazy import that points nowhere", () => {
    expect(duckdbOnPage(dist, "index.html")).toEqual([]);
    expect(duckdbOnPage(dist, "explore.html").length).toBeGreaterThan(0);
    expect(duckdbOnPage(dist, "leader.html")).toEqual(["_node/@duckdb/duckdb-wasm@1.32.0/index.js (from _import/components/b.js)"]);
  });
});
