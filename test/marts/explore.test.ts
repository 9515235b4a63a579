// The explore page's tables (pipeline/marts/explore.ts) on the seeded sample, written as Arrow IPC streams
// (pipeline/publish/arrow.ts) and read back with apache-arrow: typed as declared, every section present, numbers as the
// generator's truth has them (computed here with plain loops), and no cell about fewer than minGroupSize respondents.
import { copyFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { tableFromIPC } from "apache-arrow";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { indexCodebook } from "../../pipeline/codebook/load.ts";
import { openDuckDB } from "../../pipeline/io/duckdb.ts";
import { expandInputs, runIngest } from "../../pipeline/store/ingest-batch.ts";
import { toArrowStream, type ArrowTableSpec } from "../../pipeline/publish/arrow.ts";
import {
  assertSuppressed,
  exploreAssessmentTotals,
  exploreCatalog,
  exploreItemDistributions,
  exploreResponseRates,
  exploreScaleScores
} from "../../pipeline/marts/explore.ts";
import { openReportStore, type ReportStore } from "../../pipeline/db/report-store.ts";
import { writeSample } from "../../pipeline/sample/write.ts";
import type { SampleTruth } from "../../pipeline/sample/types.ts";
import { tempDir } from "../helpers/mini-exports.ts";
import { truthScale } from "../helpers/truth-scores.ts";
import { dataDir, defaultTruth, inputs } from "../sample/helpers.ts";

const { codebook, roster, indicators } = inputs();
const index = indexCodebook(codebook);
const previousData = process.env.YIPANQI_DATA;
let truth: SampleTruth;
let store: ReportStore;
const specs: Record<string, ArrowTableSpec> = {};
type Row = Record<string, unknown>;
const decoded: Record<string, Row[]> = {};

beforeAll(async () => {
  truth = defaultTruth().truth;
  const dir = tempDir();
  for (const f of ["codebook.json", "roster.csv", "indicators.json"]) copyFileSync(join(dataDir, f), join(dir, f));
  mkdirSync(join(dir, "assessment"), { recursive: true });
  writeSample(truth, codebook, dir);
  await runIngest(await openDuckDB(), {
    files: expandInputs([join(dir, "surveys")]),
    codebook,
    roster,
    store: join(dir, "store")
  });
  process.env.YIPANQI_DATA = dir; // the assessment scores and indicators are read from the data folder
  store = await openReportStore({
    codebook: join(dir, "codebook.json"),
    roster: join(dir, "roster.csv"),
    store: join(dir, "store")
  });
  for (const spec of [
    await exploreScaleScores(store),
    await exploreItemDistributions(store),
    await exploreResponseRates(store),
    await exploreAssessmentTotals(store)
  ]) {
    specs[spec.name] = spec;
    decoded[spec.name] = tableFromIPC(toArrowStream(spec))
      .toArray()
      .map((r) => r.toJSON() as Row);
  }
}, 120_000);

afterAll(() => {
  if (previousData === undefined) delete process.env.YIPANQI_DATA;
  else process.env.YIPANQI_DATA = previousData;
});

describe("the Arrow tables", () => {
  it("have exactly the declared columns and types, and read back as written", () => {
    const arrowType = { utf8: /^Dictionary<Int32, Utf8>$/, int32: /^Int32$/, float64: /^Float64$/, bool: /^Bool$/ };
    for (const spec of Object.values(specs)) {
      const table = tableFromIPC(toArrowStream(spec));
      expect(table.schema.fields.map((f) => f.name)).toEqual(spec.columns.map((c) => c.name));
      spec.columns.forEach((c, i) =>
        expect(String(table.schema.fields[i].type), `${spec.name}.${c.name}`).toMatch(arrowType[c.type])
      );
      expect(table.numRows).toBe(spec.rows.length);
    }
    const rows = decoded.scale_scores;
    const i = specs.scale_scores.rows.findIndex((r) => r.previous_wave === null);
    expect(rows[i].previous_wave).toBeNull();
    expect(rows[i].index_change).toBeNull();
    expect(rows[0].index).toBe(specs.scale_scores.rows[0].index);
    // No mean or SD on the raw scale: only the index, at the precision the pages print.
    expect(Object.keys(rows[0])).not.toContain("mean");
    expect(Object.keys(rows[0])).not.toContain("sd");
  });

  it("hold every scored section of the codebook", () => {
    const sections = new Set(decoded.scale_scores.map((r) => r.section));
    expect([...sections].sort()).toEqual(codebook.sections.map((s) => s.code).sort());
    const items = new Set(decoded.item_distributions.map((r) => r.code));
    expect(items.size).toBe(index.likert.length);
  });

  it("give each section's dimension indices for everyone as the truth has them", () => {
    for (const section of codebook.sections)
      for (const dim of section.dimensions) {
        const items = index.likert.filter((q) => index.subdimension.get(q.subdimension)!.dimension === dim.code);
        const wave = truth.waves.at(-1)!;
        const { mean } = truthScale(
          index,
          wave.respondents.filter((r) => !r.flags.speeder),
          items
        );
        const got = decoded.scale_scores.find(
          (r) => r.wave === wave.year && r.breakdown === "all" && r.level === "dimension" && r.code === dim.code
        )!;
        expect(got.n, `${section.code}/${dim.code}`).toBe(wave.respondents.filter((r) => !r.flags.speeder).length);
        expect(Math.abs((got.index as number) - ((mean - 1) / 4) * 100)).toBeLessThanOrEqual(0.05 + 1e-9);
        expect(got.section_name).toBe(section.name);
        expect(got.breakdown_name).toBe("全体");
        expect(got.direction).toBe(section.direction);
      }
  });

  it("count one row per item and answer, as the truth's raw answers", () => {
    const wave = truth.waves[2];
    const q = index.likert.find((i) => i.reverse)!;
    const rows = decoded.item_distributions.filter(
      (r) => r.wave === wave.year && r.breakdown === "all" && r.code === q.code
    );
    const s = index.scaleOf(q);
    expect(rows.map((r) => r.score)).toEqual(Array.from({ length: s.max - s.min + 1 }, (_, k) => s.min + k));
    expect(rows.map((r) => r.label)).toEqual(s.labels);
    const counts = rows.map(() => 0);
    for (const r of wave.respondents)
      if (!r.flags.speeder && typeof r.answers[q.code] === "number") counts[(r.answers[q.code] as number) - s.min]++;
    expect(rows.map((r) => r.count)).toEqual(counts);
    const n = counts.reduce((a, b) => a + b, 0);
    rows.forEach((r, k) => expect(r.share as number).toBeCloseTo(counts[k] / n, 3));
    expect(rows.every((r) => r.reverse === true && r.n === n)).toBe(true);
  });

  it("give response rates and assessment totals as the truth has them", () => {
    const all2019 = decoded.response_rates.find((r) => r.wave === 2019 && r.level === "all")!;
    expect(all2019.n).toBe(truth.waves[0].respondents.filter((r) => !r.flags.speeder).length);
    const year = truth.assessment[0].year;
    const unit = truth.assessment[0].unit;
    const scored = truth.assessment.filter((s) => s.year === year && s.unit === unit);
    const byCode = new Map(indicators.indicators.map((i) => [i.code, i]));
    const pb = scored.filter((s) => byCode.get(s.indicator)!.domain === "party_building");
    const weight = pb.reduce((a, s) => a + byCode.get(s.indicator)!.weight, 0);
    const want =
      pb.reduce(
        (a, s) => a + ((byCode.get(s.indicator)!.weight * s.score) / byCode.get(s.indicator)!.maxScore) * 100,
        0
      ) / weight;
    const got = decoded.assessment_totals.find((r) => r.year === year && r.unit === unit)!;
    expect(got.party_building as number).toBeCloseTo(want, 4);
    expect(decoded.assessment_totals.length).toBe(new Set(truth.assessment.map((s) => `${s.year}|${s.unit}`)).size);
  });

  it("describe no group under the minimum: such rows are suppressed with every statistic null", () => {
    const min = codebook.minGroupSize;
    const units = decoded.response_rates.filter((r) => r.level === "unit");
    expect(units.some((r) => r.suppressed)).toBe(true); // the sample has small units
    for (const r of units) if (r.suppressed) expect([r.n, r.rate]).toEqual([null, null]);
    for (const name of ["scale_scores", "item_distributions"])
      for (const r of decoded[name]) {
        if (!r.suppressed) expect(r.n as number, name).toBeGreaterThanOrEqual(min);
        else expect(r.n).toBeNull();
      }
  });

  it("refuse a planted small cell or a suppressed row that still carries a number", () => {
    const spec = (rows: Row[]): ArrowTableSpec => ({ name: "t", description: "", columns: [], rows });
    expect(() => assertSuppressed(spec([{ n: 3, mean: 2, suppressed: false }]), 5, ["mean"])).toThrow(
      /n = 3 is below minGroupSize 5/
    );
    expect(() => assertSuppressed(spec([{ n: null, mean: 2.5, suppressed: true }]), 5, ["mean"])).toThrow(
      /still carries mean/
    );
    expect(() =>
      assertSuppressed(
        spec([
          { n: 5, mean: 2, suppressed: false },
          { n: null, mean: null, suppressed: true }
        ]),
        5,
        ["mean"]
      )
    ).not.toThrow();
  });

  it("list the tables with their columns for the page's guide", async () => {
    const catalog = await exploreCatalog(store);
    expect(catalog.tables.map((t) => t.name)).toEqual([
      "scale_scores",
      "item_distributions",
      "response_rates",
      "assessment_totals"
    ]);
    for (const t of catalog.tables) {
      expect(t.rows).toBe(specs[t.name].rows.length);
      expect(t.columns.every((c) => c.description.length > 0)).toBe(true);
    }
    expect(catalog.minGroupSize).toBe(codebook.minGroupSize);
  });
});
