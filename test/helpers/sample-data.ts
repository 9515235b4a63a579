// A private data folder holding the project's codebook, roster and indicators and the seeded sample's exports of the
// given waves: what the refresh, scheduling and one-pass tests start from.
import { copyFileSync, mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { loadCodebook, loadIndicators, loadRoster } from "../../pipeline/codebook/load.ts";
import { generateSample } from "../../pipeline/sample/generate.ts";
import { writeSample } from "../../pipeline/sample/write.ts";

const PROJECT_DATA = resolve(import.meta.dirname, "../../data");

/** Fills `data` (made if absent) and returns the inputs it was generated from. */
export function writeSampleData(data: string, waves: number[]) {
  mkdirSync(data, { recursive: true });
  for (const f of ["codebook.json", "roster.csv", "indicators.json"])
    copyFileSync(join(PROJECT_DATA, f), join(data, f));
  const inputs = {
    codebook: loadCodebook(join(data, "codebook.json")),
    roster: loadRoster(join(data, "roster.csv")),
    indicators: loadIndicators(join(data, "indicators.json"))
  };
  writeSample(generateSample({ ...inputs, waves }), inputs.codebook, data);
  return inputs;
}
