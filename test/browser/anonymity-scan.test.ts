// The whole built site (every .json, .arrow, .html, .js and .csv under dist) holds no respondent-level data and no
// cell about fewer than minGroupSize respondents, and only the explore page loads DuckDB-wasm.
// The known answers come from the seeded truth the build was made from (global-setup writes the default-seed sample):
// every respondent's IP, submission time and open-text answer, and the store's respondent id prefixes.
// The scan itself is shown to fail on planted data in test/site/dist-scan.test.ts.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, inject, it } from "vitest";
import { loadCodebook, loadIndicators, loadRoster } from "../../pipeline/codebook/load.ts";
import { generateSample } from "../../pipeline/sample/generate.ts";
import type { MultipleAnswer } from "../../pipeline/sample/types.ts";
import { duckdbOnPage, listFiles, pagesOf, scanDist, type ScanRules } from "../helpers/dist-scan.ts";

const dist = inject("distDir");
const dataDir = inject("dataDir");

function rulesFromTruth(): ScanRules {
  const codebook = loadCodebook(join(dataDir, "codebook.json"));
  const truth = generateSample({
    codebook,
    roster: loadRoster(join(dataDir, "roster.csv")),
    indicators: loadIndicators(join(dataDir, "indicators.json"))
  });
  // Every row written to the exports, the quarantined ones included.
  const respondents = truth.waves.flatMap((w) => w.rows.flatMap((r) => (r.respondent ? [r.respondent] : [])));
  const textQuestions = new Set(codebook.questions.filter((q) => q.type === "text").map((q) => q.code));
  const openTexts = respondents.flatMap((r) =>
    Object.entries(r.answers).flatMap(([q, a]) =>
      textQuestions.has(q) && typeof a === "string"
        ? [a]
        : a && typeof a === "object" && (a as MultipleAnswer).other
          ? [(a as MultipleAnswer).other!]
          : []
    )
  );
  const manifest = join(dataDir, "store", "manifest.json");
  const shas: string[] = existsSync(manifest)
    ? JSON.parse(readFileSync(manifest, "utf8")).files.map((f: { sha256: string }) => f.sha256)
    : [];
  return {
    minGroupSize: codebook.minGroupSize,
    openTexts: [...openTexts, ...truth.sensitiveTexts.map((s) => s.text)],
    ips: respondents.map((r) => r.ip),
    submissionTimes: respondents.map((r) => r.submittedAt),
    idPrefixes: shas.map((s) => s.slice(0, 12))
  };
}

describe("dist/ holds aggregates only", () => {
  const rules = rulesFromTruth();
  const { files, findings } = scanDist(dist, rules);

  it("scans every data file and page of the build", () => {
    expect([...rules.openTexts!].length).toBeGreaterThan(100); // the truth has open-text answers to look for
    expect(files.filter((f) => f.endsWith(".html")).length).toBeGreaterThan(5);
    expect(files.filter((f) => f.endsWith(".json")).length).toBeGreaterThan(3);
    // The explore page's Arrow tables are decoded and checked row by row too.
    expect(files.filter((f) => f.endsWith(".arrow")).length).toBeGreaterThanOrEqual(4);
    const unscanned = listFiles(dist).filter((f) => /\.(parquet|sqlite|db|xlsx?|zip|tar|gz|tgz|tsv)$/i.test(f));
    expect(unscanned, "data files in a format the scan cannot read").toEqual([]);
  });

  it("has no respondent id, IP address, submission time, open-text answer or respondent-level field", () => {
    expect(findings.filter((f) => f.kind !== "small_cell")).toEqual([]);
  });

  it("publishes no cell about fewer respondents than the minimum group size", () => {
    expect(findings.filter((f) => f.kind === "small_cell")).toEqual([]);
  });
});

describe("DuckDB-wasm", () => {
  const pages = pagesOf(dist);

  it("is loaded by the explore page", () => {
    expect(pages).toContain("explore.html");
    expect(duckdbOnPage(dist, "explore.html").some((r) => r.startsWith("_node/@duckdb/duckdb-wasm@"))).toBe(true);
  });

  it("is neither named nor reachable in the module graph of any other page", () => {
    const others = pages.filter((p) => p !== "explore.html");
    expect(others.length).toBeGreaterThan(5);
    const found = others.flatMap((p) => duckdbOnPage(dist, p).map((r) => `${p}: ${r}`));
    expect(found).toEqual([]);
  });
});
