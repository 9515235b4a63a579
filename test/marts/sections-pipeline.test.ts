// The section pages' marts on the seeded sample (written exports → ingest → store → marts), checked against the
// generator's truth computed here independently (plain loops over respondents, no SQL, no shared statistics code):
// the lean page files read back to the marts' rows, the problems section's direction, the drivers (Pearson r and
// standardized regression between causes and problems) and the measures' evidence.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { indexCodebook } from "../../pipeline/codebook/load.ts";
import { openDuckDB } from "../../pipeline/io/duckdb.ts";
import { expandInputs, runIngest } from "../../pipeline/store/ingest-batch.ts";
import { compactDrivers, driverAnalysis, type DriverAnalysis } from "../../pipeline/marts/driver-correlations.ts";
import {
  compactMeasurePriorities,
  measurePriorities,
  type MeasurePriorityRows
} from "../../pipeline/marts/measures.ts";
import { openReportStore, type ReportStore } from "../../pipeline/db/report-store.ts";
import { toJson } from "../../pipeline/publish/json.ts";
import { itemDistributions, scaleScores } from "../../pipeline/marts/section.ts";
import {
  SCORE_DIGITS,
  sectionPageItems,
  sectionPageMeta,
  sectionPageScores
} from "../../pipeline/publish/section-files.ts";
import { writeSample } from "../../pipeline/sample/write.ts";
import type { SampleRespondent, SampleTruth } from "../../pipeline/sample/types.ts";
import { expandCube, expandSection, type Cube, type SectionMeta } from "../../src/components/sectionData.ts";
import {
  SectionItemsFileSchema,
  SectionMetaSchema,
  SectionScoresFileSchema
} from "../../pipeline/contracts/sections.ts";
import { defaultTruth, inputs } from "../sample/helpers.ts";
import { tempDir } from "../helpers/mini-exports.ts";
import { truthScale } from "../helpers/truth-scores.ts";

const { codebook, roster } = inputs();
const index = indexCodebook(codebook);
const CODEBOOK = join(import.meta.dirname, "../../data/codebook.json");
const ROSTER = join(import.meta.dirname, "../../data/roster.csv");
let truth: SampleTruth;
let storeDir: string;
let store: ReportStore;
let drivers: DriverAnalysis;
let measures: MeasurePriorityRows;

beforeAll(async () => {
  truth = defaultTruth().truth;
  const dir = tempDir();
  writeSample(truth, codebook, dir);
  storeDir = join(dir, "store");
  await runIngest(await openDuckDB(), {
    files: expandInputs([join(dir, "surveys")]),
    codebook,
    roster,
    store: storeDir
  });
  store = await openReportStore({ codebook: CODEBOOK, roster: ROSTER, store: storeDir });
  drivers = await driverAnalysis(store, { predictors: "causes", outcomes: "problems" });
  measures = await measurePriorities(store);
}, 90_000);

// ---- the truth, computed independently -------------------------------------------------------------------------

const itemsOf = (scale: string) =>
  index.likert.filter((q) => {
    const sd = index.subdimension.get(q.subdimension)!;
    return sd.code === scale || sd.dimension === scale;
  });

/** Keyed mean of the answered items of one dimension or sub-dimension; null when none was answered. */
function keyedScore(r: SampleRespondent, scale: string): number | null {
  const values = itemsOf(scale).flatMap((q) => {
    const raw = r.answers[q.code];
    if (typeof raw !== "number") return [];
    return [q.reverse ? 1 + 5 - raw : raw];
  });
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : null;
}

const scored = (year: number) => truth.waves.find((w) => w.year === year)!.respondents.filter((r) => !r.flags.speeder);

/** The published mean of a scale: the mean of all answers given to its items (not of each respondent's mean). */
function meanOf(year: number, scale: string): number {
  return truthScale(index, scored(year), itemsOf(scale)).mean;
}

/** Pearson r over the respondents who have both scores, by the textbook formula. */
function truthCorrelation(year: number, a: string, b: string): { n: number; r: number } {
  const pairs = scored(year).flatMap((r) => {
    const x = keyedScore(r, a);
    const y = keyedScore(r, b);
    return x === null || y === null ? [] : [[x, y]];
  });
  const n = pairs.length;
  const mx = pairs.reduce((s, p) => s + p[0], 0) / n;
  const my = pairs.reduce((s, p) => s + p[1], 0) / n;
  let sxy = 0,
    sxx = 0,
    syy = 0;
  for (const [x, y] of pairs) {
    sxy += (x - mx) * (y - my);
    sxx += (x - mx) ** 2;
    syy += (y - my) ** 2;
  }
  return { n, r: sxy / Math.sqrt(sxx * syy) };
}

const det3 = (m: number[][]) =>
  m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) -
  m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0]) +
  m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);

/** Standardized betas of y on three predictors by Cramer's rule on the correlation matrix (complete cases only). */
function truthRegression(year: number, y: string, xs: [string, string, string]) {
  const rows = scored(year).flatMap((r) => {
    const v = [y, ...xs].map((s) => keyedScore(r, s));
    return v.some((x) => x === null) ? [] : [v as number[]];
  });
  const col = (j: number) => rows.map((r) => r[j]);
  const corr = (a: number[], b: number[]) => {
    const ma = a.reduce((s, v) => s + v, 0) / a.length;
    const mb = b.reduce((s, v) => s + v, 0) / b.length;
    let sab = 0,
      saa = 0,
      sbb = 0;
    a.forEach((v, i) => {
      sab += (v - ma) * (b[i] - mb);
      saa += (v - ma) ** 2;
      sbb += (b[i] - mb) ** 2;
    });
    return sab / Math.sqrt(saa * sbb);
  };
  const R = [1, 2, 3].map((i) => [1, 2, 3].map((j) => corr(col(i), col(j))));
  const rxy = [1, 2, 3].map((i) => corr(col(i), col(0)));
  const d = det3(R);
  const betas = [0, 1, 2].map((j) => det3(R.map((row, i) => row.map((v, k) => (k === j ? rxy[i] : v)))) / d);
  return { n: rows.length, betas, rSquared: betas.reduce((s, b, j) => s + b * rxy[j], 0) };
}

/** A published figure: within half a step of its last decimal of x (the pages' precision, contracts/precision.ts). */
const near = (got: number | null | undefined, x: number, digits = 1) =>
  expect(Math.abs(got! - x)).toBeLessThanOrEqual(0.5 * 10 ** -digits + 1e-9);

// ---- the tests ---------------------------------------------------------------------------------------------------

describe("the lean section files", () => {
  for (const section of ["causes", "problems", "achievements"]) {
    it(`${section}: read back (src/components/sectionData.ts) to the marts' rows, rounded as SCORE_DIGITS says`, async () => {
      const meta = JSON.parse(toJson(await sectionPageMeta(store, section))) as SectionMeta;
      const cubes = {
        scores: JSON.parse(toJson(await sectionPageScores(store, section))) as Cube,
        items: JSON.parse(toJson(await sectionPageItems(store, section))) as Cube
      };
      const back = expandSection(meta, cubes.scores, cubes.items);
      const marts = { scores: await scaleScores(store, section), items: await itemDistributions(store, section) };
      expect(back.scores).toHaveLength(marts.scores.length);
      expect(back.items).toHaveLength(marts.items.length);
      const key = (r: { wave: number; grouping: string; group: string; code: string; level?: string }) =>
        `${r.wave}|${r.grouping}|${r.group}|${r.level ?? ""}|${r.code}`;
      const scores = new Map(back.scores.map((r) => [key(r), r]));
      for (const want of marts.scores) {
        const got = scores.get(key(want))! as unknown as Record<string, unknown>;
        expect(got, key(want)).toBeDefined();
        expect([got.name, got.dimension, got.previousWave, got.suppressed, got.changeSignificant]).toEqual([
          want.name,
          want.dimension,
          want.previousWave,
          want.suppressed,
          want.changeSignificant
        ]);
        for (const [field, digits] of Object.entries(SCORE_DIGITS)) {
          if (typeof digits !== "number") continue;
          const w = (want as unknown as Record<string, number | null>)[field];
          if (w === null) expect(got[field], `${key(want)} ${field}`).toBeNull();
          else
            expect(Math.abs((got[field] as number) - w), `${key(want)} ${field}`).toBeLessThanOrEqual(
              0.5 * 10 ** -digits + 1e-12
            );
        }
      }
      const items = new Map(back.items.map((r) => [key(r), r]));
      for (const want of marts.items) expect(items.get(key(want))).toEqual(want);
      // The files match their contracts (pipeline/contracts/sections.ts), as the publish gate checks them.
      expect(SectionMetaSchema.safeParse(meta).error).toBeUndefined();
      expect(SectionScoresFileSchema.safeParse(cubes.scores).error).toBeUndefined();
      expect(SectionItemsFileSchema.safeParse(cubes.items).error).toBeUndefined();
      // Texts are written once, in the meta file.
      expect(JSON.stringify(cubes)).not.toContain(meta.items[0].text);
    });
  }

  it("keep every page's data under 250 KB", async () => {
    const size = (value: unknown) => Buffer.byteLength(toJson(value));
    const section = async (s: string) =>
      size(await sectionPageMeta(store, s)) +
      size(await sectionPageScores(store, s)) +
      size(await sectionPageItems(store, s));
    const driversFile = size(compactDrivers(drivers));
    const pages = {
      achievements: await section("achievements"),
      problems: await section("problems"),
      causes: await section("causes"),
      "causes/<cause>": (await section("causes")) + driversFile,
      measures: size(compactMeasurePriorities(measures))
    };
    for (const [page, bytes] of Object.entries(pages)) expect(bytes, page).toBeLessThan(250_000);
  });
});

describe("the problems section", () => {
  it("is read as higher-is-worse, its index the severity computed from the truth", async () => {
    const meta = await sectionPageMeta(store, "problems");
    expect(meta.section.direction).toBe("higher_is_worse");
    expect(meta.dimensions.map((d) => d.summary)).toEqual(["热情不高", "思路不清", "办法不多"]);
    const rows = await scaleScores(store, "problems");
    for (const dim of ["attitude", "positioning", "methods"])
      for (const year of [2019, 2025]) {
        const row = rows.find((r) => r.wave === year && r.grouping === "all" && r.code === dim)!;
        near(row.index, ((meanOf(year, dim) - 1) / 4) * 100);
      }
  });
});

describe("the drivers mart", () => {
  const corr = (wave: number, predictor: string, outcome: string) =>
    drivers.correlations.find((c) => c.wave === wave && c.predictor === predictor && c.outcome === outcome)!;

  it("gives Pearson r between a cause's and a problem's respondent scores as computed from the truth", () => {
    for (const [predictor, outcome] of [
      ["cognition", "attitude"],
      ["mechanisms", "positioning"],
      ["mech_assessment", "positioning"],
      ["cap_business", "methods"]
    ]) {
      const want = truthCorrelation(2019, predictor, outcome);
      const got = corr(2019, predictor, outcome);
      expect(got.n, `${predictor} × ${outcome}`).toBe(want.n);
      expect(got.r).toBeCloseTo(want.r, 10);
      // Fisher z interval, 95%: tanh(atanh(r) ± 1.959964 / √(n − 3)).
      const half = 1.959963984540054 / Math.sqrt(want.n - 3);
      expect(got.ciLow).toBeCloseTo(Math.tanh(Math.atanh(want.r) - half), 10);
      expect(got.ciHigh).toBeCloseTo(Math.tanh(Math.atanh(want.r) + half), 10);
    }
    // The sample's structure: better cognition goes with less 热情不高.
    expect(corr(2019, "cognition", "attitude").r).toBeLessThan(-0.2);
  });

  it("covers every sub-dimension and dimension of the causes against every problem dimension, in every wave", () => {
    expect(drivers.waves).toEqual([2019, 2020, 2021, 2022, 2023, 2024, 2025]);
    expect(drivers.correlations).toHaveLength(7 * 12 * 3);
    expect(drivers.caveat).toContain("相关不等于因果");
  });

  it("regresses each problem on the three causes as the truth's normal equations do", () => {
    for (const outcome of ["attitude", "positioning", "methods"]) {
      const want = truthRegression(2019, outcome, ["cognition", "capacity", "mechanisms"]);
      const got = drivers.regressions.find((r) => r.wave === 2019 && r.outcome === outcome)!;
      expect(got.n).toBe(want.n);
      expect(got.coefficients!.map((c) => c.predictor)).toEqual(["cognition", "capacity", "mechanisms"]);
      got.coefficients!.forEach((c, j) => expect(c.beta, `${outcome} ${c.predictor}`).toBeCloseTo(want.betas[j], 10));
      expect(got.rSquared).toBeCloseTo(want.rSquared, 10);
    }
  });

  it("writes coefficients only: no respondent id, file or score list", () => {
    const text = toJson(compactDrivers(drivers));
    for (const f of store.manifest.files) expect(text).not.toContain(f.sha256.slice(0, 12));
    expect(text).not.toMatch(/respondent/);
    const back = expandCube<Record<string, unknown>>(JSON.parse(text).correlations);
    expect(back).toHaveLength(drivers.correlations.length);
    expect(back.find((c) => c.wave === 2019 && c.predictor === "cognition" && c.outcome === "attitude")!.r).toBeCloseTo(
      corr(2019, "cognition", "attitude").r!,
      3
    );
  });

  it("suppresses a wave with fewer respondents than the minimum", async () => {
    // The same store read with a codebook whose minimum exceeds every wave (2019 has 565 respondents).
    const dir = tempDir();
    mkdirSync(dir, { recursive: true });
    const strict = join(dir, "codebook.json");
    writeFileSync(strict, JSON.stringify({ ...JSON.parse(readFileSync(CODEBOOK, "utf8")), minGroupSize: 1000 }));
    const small = await driverAnalysis(await openReportStore({ codebook: strict, roster: ROSTER, store: storeDir }), {
      predictors: "causes",
      outcomes: "problems"
    });
    expect(small.correlations.every((c) => c.suppressed && c.r === null && c.n === null)).toBe(true);
    expect(small.regressions.every((r) => r.suppressed && r.coefficients === null && r.n === null)).toBe(true);
  });
});

describe("the measures mart", () => {
  it("rests each part on the scores of the cause sub-dimensions it addresses, gap measured from the truth", () => {
    const at = (code: string) =>
      measures.evidence.find((e) => e.wave === 2019 && e.grouping === "all" && e.code === code)!;
    // 2019: 考核机制 is the weakest cause (see sample-pipeline.test.ts).
    expect(at("mech_assessment").rankInSection).toBe(1);
    expect(at("mech_assessment").reasons).toContain("weakest");
    const gapCause = 100 - ((meanOf(2019, "mech_assessment") - 1) / 4) * 100;
    const gapProblem = ((meanOf(2019, "prb_formalism") - 1) / 4) * 100;
    near(at("mech_assessment").gap, gapCause);
    near(at("prb_formalism").gap, gapProblem);
    const part = measures.parts.find((p) => p.wave === 2019 && p.grouping === "all" && p.code === "duty_mechanism")!;
    // The need is on the causes' scale only (the basis): the problem's gap is evidence, never averaged in.
    expect(measures.basis?.code).toBe("causes");
    near(part.need, gapCause);
    expect(part.applies).toBe(true);
    expect(part.measure).toBe("strengthener");
  });

  it("ranks every measure and part for every wave, for everyone and each unit category", () => {
    const groups = measures.groupings.flatMap((g) => g.groups.map((group) => `${g.key}|${group}`));
    expect(measures.groupings.map((g) => g.key)).toEqual(["all", "unit_category"]);
    for (const wave of measures.waves)
      for (const g of groups) {
        const here = measures.priorities.filter((m) => m.wave === wave && `${m.grouping}|${m.group}` === g);
        expect(here.map((m) => m.rank).sort()).toEqual([1, 2, 3]);
      }
    // The demand for each measure comes from the questionnaire's 对策需求 part.
    expect(measures.demandSection?.code).toBe("measures");
    const booster = measures.priorities.find((m) => m.wave === 2019 && m.grouping === "all" && m.code === "booster")!;
    near(booster.demand?.index, ((meanOf(2019, "booster") - 1) / 4) * 100);
  });

  it("publishes nothing for a suppressed group", () => {
    for (const e of measures.evidence.filter((x) => x.suppressed))
      expect([e.n, e.index, e.gap, e.rankInSection]).toEqual([null, null, null, null]);
  });
});
