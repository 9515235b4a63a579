// The 示例数据 banner is on every page exactly when the report shows the seeded sample: a data folder as `npm run dev`
// leaves it (the generator's exports, ingested) gets the banner; a steward's folder with their own exports does not,
// even when an export is byte for byte one the generator once wrote elsewhere (only this folder's record counts), and
// the sample's assessment scores alone are enough to get it. Real ingests into real stores, through prepareStore.
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadCodebook, loadIndicators, loadRoster } from "../../pipeline/codebook/load.ts";
import { PROJECT_ROOT } from "../../pipeline/io/config.ts";
import { generateSample } from "../../pipeline/sample/generate.ts";
import { sampleChecksums, writeSample } from "../../pipeline/sample/write.ts";
import { prepareStore } from "../../pipeline/site/prepare.ts";
import { provenance, provenanceFooter, sampleBanner } from "../../pipeline/site/provenance.ts";
import { tempDir } from "../helpers/mini-exports.ts";

const ENV = ["YIPANQI_DATA", "YIPANQI_STORE", "YIPANQI_INBOX"] as const;
const saved = Object.fromEntries(ENV.map((k) => [k, process.env[k]]));
const dirs: string[] = [];

/** A data folder with the project's codebook, roster and indicators. */
function dataFolder(): string {
  const dir = tempDir("yipanqi-banner-");
  dirs.push(dir);
  const data = join(dir, "data");
  mkdirSync(data);
  for (const f of ["codebook.json", "roster.csv", "indicators.json"])
    copyFileSync(join(PROJECT_ROOT, "data", f), join(data, f));
  return data;
}

function inputsOf(data: string) {
  return {
    codebook: loadCodebook(join(data, "codebook.json")),
    roster: loadRoster(join(data, "roster.csv")),
    indicators: loadIndicators(join(data, "indicators.json"))
  };
}

/** Ingests the folder's exports as `npm run build` does, then reads the provenance and the banner of that build. */
async function build(data: string) {
  for (const k of ENV) delete process.env[k];
  process.env.YIPANQI_DATA = data;
  expect(await prepareStore(() => {})).toBe(0);
  return { sample: provenance().sample, banner: sampleBanner(), footer: provenanceFooter() };
}

let sampleData: string;

beforeAll(() => {
  sampleData = dataFolder();
  const inputs = inputsOf(sampleData);
  writeSample(generateSample({ ...inputs, waves: [2019] }), inputs.codebook, sampleData);
});

afterAll(() => {
  for (const k of ENV) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe("the 示例数据 banner", () => {
  it("is shown when the store holds the seeded sample", async () => {
    expect(sampleChecksums(join(sampleData, "surveys")).size).toBe(2); // one export and the assessment scores
    const { sample, banner, footer } = await build(sampleData);
    expect(sample).toBe(true);
    expect(banner).toContain('class="sample-banner"');
    expect(banner).toContain("示例数据");
    expect(footer).toContain("（北京时间）");
    expect(footer).not.toContain("UTC");
  }, 120_000);

  it("is not shown for a steward's own exports, and is shown again by the sample's assessment scores", async () => {
    const data = dataFolder();
    mkdirSync(join(data, "surveys"));
    // The steward's export (the same bytes as one the generator wrote elsewhere: no record of it in this folder).
    const [file] = readdirSync(join(sampleData, "surveys")).filter((n) => !n.startsWith("."));
    copyFileSync(join(sampleData, "surveys", file), join(data, "surveys", file));
    const own = await build(data);
    expect(own.sample).toBe(false);
    expect(own.banner).toBe("");
    // The sample's scores with the generator's record of them: the assessment pages would show generated figures.
    mkdirSync(join(data, "assessment"));
    copyFileSync(join(sampleData, "assessment", "scores.csv"), join(data, "assessment", "scores.csv"));
    const record = JSON.parse(readFileSync(join(sampleData, "surveys", ".sample-manifest.json"), "utf8"));
    record.files = record.files.filter((f: { path: string }) => f.path.startsWith("assessment/"));
    expect(record.files).toHaveLength(1);
    writeFileSync(join(data, "surveys", ".sample-manifest.json"), JSON.stringify(record));
    const mixed = await build(data);
    expect(mixed.sample).toBe(true);
    expect(mixed.banner).toContain("示例数据");
  }, 120_000);
});
