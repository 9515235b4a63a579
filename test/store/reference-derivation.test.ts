// What the store's reference tables are made from (pipeline/store/reference.ts · referenceDerivation) and the code
// hash it uses (pipeline/io/module-graph.ts): an ingest skips reading the codebook, roster, indicators and scores
// again only when none of them, and none of the code that reads them, changed.
import { copyFileSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadCodebook, loadRoster } from "../../pipeline/codebook/load.ts";
import { codeDigest, hashFiles, moduleGraph, SourceMemo } from "../../pipeline/io/module-graph.ts";
import { currentKey, KeyMemo } from "../../pipeline/refresh/loader-cache.ts";
import {
  ASSESSMENT_TABLES,
  CODEBOOK_TABLES,
  referenceCurrent,
  referenceDerivation,
  type ReferenceEntry,
  type ReferenceInputs
} from "../../pipeline/store/reference.ts";
import { MINI, tempDir, TEXT_HEADER, textModeRows, writeExport } from "../helpers/mini-exports.ts";
import { openDuckDB } from "../../pipeline/io/duckdb.ts";
import { runIngest } from "../../pipeline/store/ingest-batch.ts";
import { readManifest } from "../../pipeline/store/store.ts";

const DATA = join(import.meta.dirname, "../../data");

describe("the code a result depends on (module-graph.ts)", () => {
  it("follows relative imports transitively, and its hash changes with any module of the graph and no other", () => {
    const dir = tempDir("yipanqi-graph-");
    writeFileSync(join(dir, "a.ts"), 'import { b } from "./b.ts";\nimport "zod";\nexport const a = b;\n');
    writeFileSync(join(dir, "b.ts"), 'export { c as b } from "./c.ts";\n');
    writeFileSync(join(dir, "c.ts"), "export const c = 1;\n");
    writeFileSync(join(dir, "other.ts"), "export const other = 1;\n");
    expect([...moduleGraph(join(dir, "a.ts"))].map((f) => f.slice(dir.length + 1)).sort()).toEqual([
      "a.ts",
      "b.ts",
      "c.ts"
    ]);
    const before = codeDigest(dir, join(dir, "a.ts"));
    writeFileSync(join(dir, "other.ts"), "export const other = 2;\n");
    expect(codeDigest(dir, join(dir, "a.ts"))).toBe(before);
    writeFileSync(join(dir, "c.ts"), "export const c = 2;\n");
    expect(codeDigest(dir, join(dir, "a.ts"))).not.toBe(before);
  });

  it("gives every loader the same graph and hash with one memo shared by all their walks as with none", () => {
    // The loader cache walks every loader's graph with one SourceMemo: a module's imports or bytes memoized under the
    // wrong file, or kept from another module, would give some loader another graph or hash than its own.
    const root = join(import.meta.dirname, "../..");
    const loaders = readdirSync(join(root, "src/data"), { recursive: true, encoding: "utf8" })
      .filter((f) => f.endsWith(".ts"))
      .map((f) => join(root, "src/data", f));
    expect(loaders.length).toBeGreaterThan(10);
    const memo = new SourceMemo();
    for (const loader of loaders) {
      const graph = moduleGraph(loader, new Set(), memo);
      expect([...graph].sort()).toEqual([...moduleGraph(loader)].sort());
      expect(hashFiles(root, graph, memo)).toBe(codeDigest(root, loader));
    }
    expect(memo.imports.size).toBeGreaterThan(20);
    // The keys themselves: one KeyMemo for all loaders (as a check has) gives each the key a fresh one gives.
    const shared = new KeyMemo();
    for (const loader of loaders)
      expect(currentKey(root, { loader, params: [], inputs: [] }, shared)).toBe(
        currentKey(root, { loader, params: [], inputs: [] }, new KeyMemo())
      );
  });

  it("gives a loader another key after a module it imports changed, between two checks", () => {
    // Each check has its own memo: what one check read must not be what the next check hashes.
    const dir = tempDir("yipanqi-keys-");
    writeFileSync(join(dir, "loader.ts"), 'import { b } from "./b.ts";\nexport const a = b;\n');
    writeFileSync(join(dir, "b.ts"), "export const b = 1;\n");
    const run = { loader: join(dir, "loader.ts"), params: [], inputs: [] };
    const before = currentKey(dir, run, new KeyMemo());
    expect(currentKey(dir, run, new KeyMemo())).toBe(before);
    writeFileSync(join(dir, "b.ts"), "export const b = 2;\n");
    expect(currentKey(dir, run, new KeyMemo())).not.toBe(before);
  });
});

describe("what the reference tables are made from (referenceDerivation)", () => {
  function inputs(): ReferenceInputs {
    const dir = tempDir("yipanqi-derivation-");
    mkdirSync(join(dir, "assessment"));
    for (const f of ["codebook.json", "roster.csv", "indicators.json"]) copyFileSync(join(DATA, f), join(dir, f));
    writeFileSync(join(dir, "assessment", "scores.csv"), "year,unit,indicator,score\n");
    return {
      codebook: loadCodebook(join(dir, "codebook.json")),
      roster: loadRoster(join(dir, "roster.csv")),
      codebookFile: join(dir, "codebook.json"),
      rosterFile: join(dir, "roster.csv"),
      indicatorsFile: join(dir, "indicators.json"),
      scoresFile: join(dir, "assessment", "scores.csv")
    };
  }

  it("is the same for the same inputs, and changes with each file's content and with the codebook as loaded", () => {
    const a = inputs();
    const b = inputs(); // the same contents in another folder
    const base = referenceDerivation(a);
    expect(referenceDerivation(b)).toBe(base);
    for (const file of ["codebookFile", "rosterFile", "indicatorsFile", "scoresFile"] as const) {
      const c = inputs();
      writeFileSync(c[file], "\n", { flag: "a" });
      expect(referenceDerivation(c), file).not.toBe(base);
    }
    const d = inputs();
    d.codebook = { ...d.codebook, minGroupSize: d.codebook.minGroupSize + 1 };
    expect(referenceDerivation(d)).not.toBe(base);
    const e = inputs();
    writeFileSync(e.scoresFile, ""); // an empty file is a file: not the same as none
    const f = inputs();
    f.scoresFile = join(f.scoresFile, "..", "absent.csv");
    expect(referenceDerivation(e)).not.toBe(referenceDerivation(f));
    // a file that cannot be read (here a folder) is a state of its own, not an error: the ingest says why, as before
    const g = inputs();
    g.indicatorsFile = join(g.indicatorsFile, "..");
    expect(referenceDerivation(g)).not.toBe(base);
  });

  it("covers the code that makes the tables: the module graph of reference.ts reaches every reader", () => {
    const pipeline = join(import.meta.dirname, "../../pipeline");
    const graph = [...moduleGraph(join(pipeline, "store/reference.ts"))].map((f) => f.slice(pipeline.length + 1));
    expect(graph).toEqual(
      expect.arrayContaining([
        "store/reference.ts",
        "codebook/load.ts",
        "codebook/schema.ts",
        "ingest/assessment.ts",
        "io/csv.ts",
        "io/decode.ts",
        "io/nested-map.ts"
      ])
    );
  });

  it("counts as current only when the manifest lists every table, each made from it", () => {
    const names = [...CODEBOOK_TABLES, ...ASSESSMENT_TABLES];
    const entry = (name: string, derivedFrom?: string): ReferenceEntry => ({
      name,
      path: `reference/${name}/0000000000000000.parquet`,
      sha256: "0".repeat(64),
      rows: 1,
      source: null,
      derivedFrom
    });
    const d = "a".repeat(64);
    expect(
      referenceCurrent(
        names.map((n) => entry(n, d)),
        d
      )
    ).toBe(true);
    expect(
      referenceCurrent(
        names.map((n) => entry(n, d)),
        "b".repeat(64)
      )
    ).toBe(false);
    expect(
      referenceCurrent(
        names.slice(1).map((n) => entry(n, d)),
        d
      )
    ).toBe(false); // a table missing
    expect(
      referenceCurrent(
        names.map((n, i) => entry(n, i ? d : undefined)),
        d
      )
    ).toBe(false); // an older store
  });
});

describe("an ingest whose indicators file cannot be read", () => {
  it("commits the survey files, leaves the assessment tables out and says why, every time", async () => {
    const dir = tempDir("yipanqi-unreadable-");
    const store = join(dir, "store");
    const codebook = loadCodebook(MINI.codebook);
    const roster = loadRoster(MINI.roster);
    const reference = {
      codebookFile: MINI.codebook,
      rosterFile: MINI.roster,
      indicatorsFile: dir, // a folder: reading it fails (EISDIR)
      scoresFile: join(dir, "scores.csv")
    };
    const files = [writeExport(dir, "2019年问卷_按文本", TEXT_HEADER, textModeRows().rows, "csv-utf8")];
    for (const round of [1, 2]) {
      const report = await runIngest(await openDuckDB(), { files, codebook, roster, store, reference });
      expect(report.reference.problems, `round ${round}`).toEqual([
        expect.stringMatching(/指标定义或考核得分无法读取/)
      ]);
      expect(readManifest(store).files).toHaveLength(1);
      expect(readManifest(store).reference.map((r) => r.name)).toEqual([...CODEBOOK_TABLES]);
    }
  });
});
