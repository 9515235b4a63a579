// The named queries that declare `-- reads: reference tables only` (pipeline/db/named-sql.ts · readsReferenceOnly)
// do not record the store's manifest as read, so the data files made from them alone are kept after a new wave
// (pipeline/refresh/data-pass.ts). That is only right if they read no survey: each is run here on a DuckDB that has
// the codebook's, roster's and assessment's tables and no survey at all.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { indexCodebook, loadCodebook, loadRoster } from "../../pipeline/codebook/load.ts";
import { readsReferenceOnly, runNamedQuery, sqlText } from "../../pipeline/db/named-sql.ts";
import { INDICATOR_WEIGHT_ROW, NAMED_QUERY_ROWS } from "../../pipeline/db/rows.ts";
import { registerCodebook } from "../../pipeline/db/report-store.ts";
import { stageAssessment } from "../../pipeline/db/staging.ts";
import { closeDuckDB, openDuckDB, queryRows } from "../../pipeline/io/duckdb.ts";
import { collectInputs } from "../../pipeline/io/trace.ts";
import type { DuckDBConnection } from "@duckdb/node-api";
import { sampleStore, type SampleStore } from "./sample-store.ts";

const SQL = join(import.meta.dirname, "../../pipeline/db/sql");
const DATA = join(import.meta.dirname, "../../data");
const declared = readdirSync(SQL)
  .filter((f) => f.endsWith(".sql") && readsReferenceOnly(readFileSync(join(SQL, f), "utf8")))
  .map((f) => f.replace(/\.sql$/, ""));

let s: SampleStore;
let bare: DuckDBConnection;

beforeAll(async () => {
  s = await sampleStore();
  // The reference tables as the report stages them, on a database with no store attached.
  bare = await openDuckDB();
  const roster = loadRoster(join(DATA, "roster.csv"));
  await registerCodebook(bare, indexCodebook(loadCodebook(join(DATA, "codebook.json"))), roster);
  await stageAssessment(bare, roster, { indicators: s.indicators, scores: s.scores }, () =>
    sqlText("assessment_totals_by_year_unit")
  );
}, 300_000);
afterAll(() => {
  closeDuckDB(bare);
  closeDuckDB(s.store.conn);
});

describe("named queries that read reference tables only", () => {
  it("are the assessment's and the indicators' queries", () => {
    expect(declared.sort()).toEqual([
      "assessment_quadrants_by_year_unit",
      "assessment_scores_by_year_unit_indicator",
      "assessment_totals_by_year_unit",
      "indicator_score_summary_by_year",
      "indicator_weights_by_domain_kind"
    ]);
  });

  it("each runs, with rows, where there is no survey", async () => {
    for (const name of declared) {
      const rows = await queryRows(bare, sqlText(name));
      expect(rows.length, name).toBeGreaterThan(0);
    }
  });

  it("a query over the survey cannot run there (the check can fail)", async () => {
    await expect(queryRows(bare, sqlText("choice_counts_by_wave"), { question: "assessment_focus" })).rejects.toThrow(
      /answers|respondents|does not exist/i
    );
  });

  it("are the only reads of the report store that do not record its manifest", async () => {
    const manifest = join(s.storeDir, "manifest.json");
    const inputsOf = async (read: () => Promise<unknown>) => (await collectInputs(read)).inputs;
    expect(await inputsOf(async () => s.store.manifest.files.length)).toContain(manifest);
    expect(
      await inputsOf(() =>
        runNamedQuery(s.store.conn, "choice_counts_by_wave", NAMED_QUERY_ROWS.choice_counts_by_wave, {
          question: "assessment_focus"
        })
      )
    ).toContain(manifest);
    const reference = await inputsOf(() =>
      runNamedQuery(s.store.conn, "indicator_weights_by_domain_kind", INDICATOR_WEIGHT_ROW)
    );
    expect(reference.length).toBeGreaterThan(0);
    expect(reference).not.toContain(manifest);
  });
});
