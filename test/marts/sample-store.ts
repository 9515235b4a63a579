// The seeded sample written to a temporary data folder and ingested into its store, for the mart tests that check the
// published tables against the generator's truth (assessment, quality). One per test file.
import { join } from "node:path";
import { openDuckDB } from "../../pipeline/io/duckdb.ts";
import { expandInputs, runIngest } from "../../pipeline/store/ingest-batch.ts";
import { openReportStore, type ReportStore } from "../../pipeline/db/report-store.ts";
import { writeSample } from "../../pipeline/sample/write.ts";
import type { SampleTruth } from "../../pipeline/sample/types.ts";
import { defaultTruth, inputs } from "../sample/helpers.ts";
import { tempDir } from "../helpers/mini-exports.ts";

export interface SampleStore {
  truth: SampleTruth;
  dir: string;
  storeDir: string;
  scores: string;
  indicators: string;
  store: ReportStore;
}

export async function sampleStore(): Promise<SampleStore> {
  const { codebook, roster } = inputs();
  const truth = defaultTruth().truth;
  const dir = tempDir("yipanqi-marts-");
  writeSample(truth, codebook, dir);
  const storeDir = join(dir, "store");
  await runIngest(await openDuckDB(), {
    files: expandInputs([join(dir, "surveys")]),
    codebook,
    roster,
    store: storeDir,
    reference: { scoresFile: join(dir, "assessment", "scores.csv") }
  });
  const data = join(import.meta.dirname, "../../data");
  const scores = join(dir, "assessment", "scores.csv");
  const indicators = join(data, "indicators.json");
  const store = await openReportStore({
    codebook: join(data, "codebook.json"),
    roster: join(data, "roster.csv"),
    store: storeDir,
    scores,
    indicators
  });
  return { truth, dir, storeDir, scores, indicators, store };
}
