// The drivers mart aggregates in DuckDB (pipeline/db/sql/scale_correlations_by_wave.sql → correlationFromR,
// standardizedRegressionFromCorrelations) and must publish exactly what the respondent-level way published: every
// respondent's scale scores read into columns, then pearson() and standardizedRegression() on them. That former way
// is kept here as the reference (its query inline, since it is no longer a loader's query) and compared field by
// field, on the seeded sample's store and on a hand-made store of edge cases (a wave under minGroupSize, constant and
// collinear scales, a dimension nobody answered, pairwise vs listwise deletion). On the sample's store the mart's
// query goes through the per-wave query cache (pipeline/db/query-cache.ts), whose JSON brings NaN back as null.
import type { DuckDBConnection } from "@duckdb/node-api";
import { beforeAll, describe, expect, it } from "vitest";
import { openDuckDB, queryRows } from "../../pipeline/io/duckdb.ts";
import { createNamedViews, runNamedQuery } from "../../pipeline/db/named-sql.ts";
import { SCALE_CORRELATION_ROW } from "../../pipeline/db/rows.ts";
import {
  compactDrivers,
  driverAnalysis,
  type CorrelationRow,
  type DriverAnalysis,
  type RegressionRow
} from "../../pipeline/marts/driver-correlations.ts";
import type { ReportStore } from "../../pipeline/db/report-store.ts";
import { toJson } from "../../pipeline/publish/json.ts";
import { CORRELATION_CAVEAT, pearson, standardizedRegression } from "../../pipeline/stats/drivers.ts";
import { sampleStore } from "./sample-store.ts";

// ---- the reference: respondent-level rows → pearson / standardizedRegression -----------------------------------

/** The query the mart used to run (formerly pipeline/db/sql/respondent_scale_scores.sql). */
const RESPONDENT_SCALE_SCORES = `
SELECT wave, respondent_id, section, 'dimension' AS level, dimension AS code, avg(keyed) AS score
FROM keyed_likert_answers
WHERE section IN ($predictors, $outcomes)
GROUP BY wave, respondent_id, section, dimension
UNION ALL
SELECT wave, respondent_id, section, 'subdimension', subdimension, avg(keyed)
FROM keyed_likert_answers
WHERE section IN ($predictors, $outcomes)
GROUP BY wave, respondent_id, section, subdimension
ORDER BY wave, respondent_id, section, level, code`;

function scoreColumns(rows: readonly { respondent_id: string; code: string; score: number }[]) {
  const ids = [...new Set(rows.map((r) => r.respondent_id))];
  const position = new Map(ids.map((id, i) => [id, i]));
  const columns = new Map<string, (number | null)[]>();
  for (const r of rows) {
    if (!columns.has(r.code)) columns.set(r.code, new Array(ids.length).fill(null));
    columns.get(r.code)![position.get(r.respondent_id)!] = r.score;
  }
  return { respondents: ids.length, columns };
}

const finite = (x: number) => (Number.isFinite(x) ? x : null);

/** The mart as it was before it aggregated in DuckDB (same section shapes, same suppression rules). */
async function referenceDriverAnalysis(
  store: ReportStore,
  sections: { predictors: string; outcomes: string }
): Promise<DriverAnalysis> {
  const { minGroupSize } = store.index.codebook;
  const shape = (code: string) => {
    const s = store.index.codebook.sections.find((x) => x.code === code)!;
    return {
      section: s.code,
      name: s.name,
      direction: s.direction,
      dimensions: s.dimensions.map((d) => ({
        code: d.code,
        name: d.name,
        summary: d.summary ?? null,
        subdimensions: d.subdimensions.map((x) => ({
          code: x.code,
          name: x.name,
          ...(x.reportName ? { reportName: x.reportName } : {})
        }))
      }))
    };
  };
  const p = shape(sections.predictors);
  const o = shape(sections.outcomes);
  const rows = await queryRows<{ wave: number; respondent_id: string; code: string; score: number }>(
    store.conn,
    RESPONDENT_SCALE_SCORES,
    sections
  );
  const waves = [...new Set(rows.map((r) => r.wave))].sort((a, b) => a - b);
  const predictorCodes = p.dimensions.flatMap((d) => [d.code, ...d.subdimensions.map((s) => s.code)]);
  const outcomeCodes = o.dimensions.map((d) => d.code);
  const correlations: CorrelationRow[] = [];
  const regressions: RegressionRow[] = [];
  for (const wave of waves) {
    const { respondents, columns } = scoreColumns(rows.filter((r) => r.wave === wave));
    const empty = (): (number | null)[] => new Array(respondents).fill(null);
    const waveTooSmall = respondents < minGroupSize;
    for (const predictor of predictorCodes)
      for (const outcome of outcomeCodes) {
        const c = waveTooSmall ? null : pearson(columns.get(predictor) ?? empty(), columns.get(outcome) ?? empty());
        const usable = c !== null && c.n >= Math.max(minGroupSize, 4) && Number.isFinite(c.r);
        correlations.push(
          usable
            ? {
                wave,
                predictor,
                outcome,
                n: c.n,
                r: c.r,
                ciLow: finite(c.ciLow),
                ciHigh: finite(c.ciHigh),
                p: finite(c.p),
                suppressed: false
              }
            : { wave, predictor, outcome, n: null, r: null, ciLow: null, ciHigh: null, p: null, suppressed: true }
        );
      }
    for (const outcome of outcomeCodes) {
      const none: RegressionRow = {
        wave,
        outcome,
        n: null,
        rSquared: null,
        adjustedRSquared: null,
        f: null,
        p: null,
        coefficients: null,
        suppressed: true
      };
      if (waveTooSmall) {
        regressions.push(none);
        continue;
      }
      try {
        const model = standardizedRegression(
          columns.get(outcome) ?? empty(),
          Object.fromEntries(p.dimensions.map((d) => [d.code, columns.get(d.code) ?? empty()]))
        );
        if (model.n < minGroupSize) {
          regressions.push(none);
          continue;
        }
        regressions.push({
          wave,
          outcome,
          n: model.n,
          rSquared: model.rSquared,
          adjustedRSquared: model.adjustedRSquared,
          f: model.f,
          p: model.p,
          coefficients: model.coefficients.map((k) => ({ predictor: k.name, beta: k.beta, se: k.se, t: k.t, p: k.p })),
          suppressed: false
        });
      } catch (e) {
        if (!(e instanceof RangeError)) throw e;
        regressions.push(none);
      }
    }
  }
  return { caveat: CORRELATION_CAVEAT, minGroupSize, waves, predictors: p, outcomes: o, correlations, regressions };
}

// ---- comparison ----------------------------------------------------------------------------------------------------

/** Largest difference between two values of the same shape, |a − b| / max(1, |b|) for numbers; throws on any other
 * difference (keys, strings, booleans, nulls, NaN against a number). */
function maxDifference(got: unknown, want: unknown, path = "$"): number {
  if (typeof want === "number" && typeof got === "number") {
    if (Number.isNaN(want) || Number.isNaN(got) || !Number.isFinite(want) || !Number.isFinite(got)) {
      if (Object.is(got, want)) return 0;
      throw new Error(`${path}: ${got} ≠ ${want}`);
    }
    return Math.abs(got - want) / Math.max(1, Math.abs(want));
  }
  if (Array.isArray(want)) {
    if (!Array.isArray(got) || got.length !== want.length)
      throw new Error(`${path}: length ${(got as unknown[])?.length} ≠ ${want.length}`);
    return want.reduce((m: number, w, i) => Math.max(m, maxDifference(got[i], w, `${path}[${i}]`)), 0);
  }
  if (want !== null && typeof want === "object") {
    if (got === null || typeof got !== "object") throw new Error(`${path}: ${JSON.stringify(got)} is not an object`);
    const keys = Object.keys(want);
    expect(Object.keys(got).sort(), path).toEqual([...keys].sort());
    return keys.reduce(
      (m, k) =>
        Math.max(
          m,
          maxDifference((got as Record<string, unknown>)[k], (want as Record<string, unknown>)[k], `${path}.${k}`)
        ),
      0
    );
  }
  if (got !== want) throw new Error(`${path}: ${JSON.stringify(got)} ≠ ${JSON.stringify(want)}`);
  return 0;
}

const withMinGroupSize = (store: ReportStore, minGroupSize: number): ReportStore => ({
  ...store,
  index: { ...store.index, codebook: { ...store.index.codebook, minGroupSize } }
});

async function compare(store: ReportStore, sections: { predictors: string; outcomes: string }) {
  const got = await driverAnalysis(store, sections);
  const want = await referenceDriverAnalysis(store, sections);
  const difference = maxDifference(got, want);
  // The page file, rounded as compactDrivers rounds, is the same text.
  expect(toJson(compactDrivers(got))).toBe(toJson(compactDrivers(want)));
  return { got, want, difference };
}

// ---- the seeded sample -------------------------------------------------------------------------------------------

describe("driverAnalysis aggregated in DuckDB, on the seeded sample's store", () => {
  let store: ReportStore;
  beforeAll(async () => {
    store = (await sampleStore()).store;
  }, 90_000);

  it("publishes what the respondent-level computation published (causes → problems), to 1e-9", async () => {
    const { got, difference } = await compare(store, { predictors: "causes", outcomes: "problems" });
    expect(difference).toBeLessThan(1e-9);
    expect(got.waves).toEqual([2019, 2020, 2021, 2022, 2023, 2024, 2025]);
    expect(got.correlations.filter((c) => !c.suppressed)).toHaveLength(7 * 12 * 3);
    expect(got.regressions.filter((r) => !r.suppressed)).toHaveLength(7 * 3);
  }, 60_000);

  it("does so for other pairs of sections", async () => {
    for (const sections of [
      { predictors: "problems", outcomes: "causes" },
      { predictors: "measures", outcomes: "achievements" }
    ]) {
      const { difference } = await compare(store, sections);
      expect(difference, JSON.stringify(sections)).toBeLessThan(1e-9);
    }
  }, 60_000);

  it("suppresses exactly as before when minGroupSize cuts through the waves' and the pairs' counts", async () => {
    const full = await referenceDriverAnalysis(store, { predictors: "causes", outcomes: "problems" });
    const ns = [...new Set([...full.correlations.map((c) => c.n!), ...full.regressions.map((r) => r.n!)])].sort(
      (a, b) => a - b
    );
    // From the smallest n (every row kept) through a middle one and the largest to one more (every row suppressed).
    for (const minGroupSize of [ns[0], ns[Math.floor(ns.length / 2)], ns[ns.length - 1], ns[ns.length - 1] + 1]) {
      const { got, difference } = await compare(withMinGroupSize(store, minGroupSize), {
        predictors: "causes",
        outcomes: "problems"
      });
      expect(difference, `minGroupSize ${minGroupSize}`).toBeLessThan(1e-9);
      expect(got.minGroupSize).toBe(minGroupSize);
    }
  }, 60_000);
});

// ---- a hand-made store of edge cases ------------------------------------------------------------------------------

/** Deterministic uniform numbers in [0, 1). */
function mulberry32(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SECTIONS = {
  pred: { P1: ["p1a", "p1b"], P2: ["p2a", "p2b"], P3: ["p3a"] },
  out: { O1: ["o1a", "o1b"], O2: ["o2a"] }
} as const;

/** Two questions per sub-dimension: [question, subdimension, dimension, section]. */
const QUESTIONS = Object.entries(SECTIONS).flatMap(([section, dims]) =>
  Object.entries(dims).flatMap(([dimension, subs]) =>
    (subs as readonly string[]).flatMap((sub) => [1, 2].map((i) => [`${sub}_${i}`, sub, dimension, section] as const))
  )
);

interface EdgeWave {
  wave: number;
  respondents: number;
  /** Probability that a respondent skips a sub-dimension (its items all unanswered). */
  missing: number;
  /** A fixed answer to a question, null to leave it unanswered, undefined for the usual random one; `latent` is the
   * respondent's common factor, `i` their number in the wave. */
  answer?: (question: (typeof QUESTIONS)[number], latent: number, i: number) => number | null | undefined;
}

const WAVES: EdgeWave[] = [
  { wave: 2019, respondents: 80, missing: 0.15 }, // pairwise and listwise deletion give different n
  { wave: 2020, respondents: 9, missing: 0.4 }, // some pairs under minGroupSize, regressions with n ≤ k + 1
  { wave: 2021, respondents: 4, missing: 0 }, // the wave under minGroupSize
  { wave: 2022, respondents: 30, missing: 0.1, answer: ([, , dim]) => (dim === "P2" ? 3 : undefined) }, // constant predictor
  { wave: 2023, respondents: 30, missing: 0.1, answer: ([, , dim]) => (dim === "O1" ? 4 : undefined) }, // constant outcome
  { wave: 2024, respondents: 30, missing: 0.1, answer: ([, , dim]) => (dim === "P3" ? null : undefined) }, // P3 unanswered
  {
    wave: 2025,
    respondents: 30,
    missing: 0,
    answer: ([, , dim], latent) => (dim === "P1" || dim === "P2" ? 1 + Math.round(4 * latent) : undefined)
  }, // P1 = P2
  // 4 respondents with both sections and 2 with outcomes only: the wave has 6 respondents, at least minGroupSize (5)
  {
    wave: 2026,
    respondents: 6,
    missing: 0,
    answer: ([, , , section], _latent, i) => (i >= 4 && section === "pred" ? null : undefined)
  }
];

async function edgeStore(): Promise<ReportStore> {
  const conn: DuckDBConnection = await openDuckDB();
  // The store's shapes, as far as the shared views read them: every item on a 1–5 scale, none reversed, nobody left out.
  await conn.run(`CREATE TABLE cb_likert (question VARCHAR, subdimension VARCHAR, dimension VARCHAR, section VARCHAR,
    reverse BOOLEAN, scale_min DOUBLE, scale_max DOUBLE, agree_from DOUBLE)`);
  await conn.run(
    `INSERT INTO cb_likert SELECT * FROM (VALUES ${QUESTIONS.map((q) => `(${q.map((v) => `'${v}'`).join(", ")}, false, 1, 5, 4)`).join(", ")})`
  );
  await conn.run("CREATE TABLE cb_quality AS SELECT false AS exclude_speeders, false AS exclude_straightliners");
  const random = mulberry32(20250611);
  const rows: string[] = [];
  const respondents: string[] = [];
  for (const w of WAVES)
    for (let i = 0; i < w.respondents; i++) {
      const latent = random();
      const skipped = new Set([...new Set(QUESTIONS.map((q) => q[1]))].filter(() => random() < w.missing));
      for (const q of QUESTIONS) {
        const own = random();
        const fixed = w.answer?.(q, latent, i);
        // A skipped sub-dimension has no score; a single unanswered item only changes the mean of the answered ones.
        const value =
          fixed !== undefined
            ? fixed
            : skipped.has(q[1]) || random() < 0.1
              ? null
              : 1 + Math.round(4 * (0.6 * latent + 0.4 * own));
        if (value !== null) rows.push(`(${w.wave}, 'r${w.wave}-${i}', '${q[0]}', ${value})`);
      }
      respondents.push(`(${w.wave}, 'r${w.wave}-${i}', 'U1', false, false)`);
    }
  await conn.run(`CREATE TABLE answers (wave INTEGER, respondent_id VARCHAR, question VARCHAR, value DOUBLE)`);
  await conn.run(`INSERT INTO answers VALUES ${rows.join(", ")}`);
  await conn.run(
    `CREATE TABLE respondents (wave INTEGER, respondent_id VARCHAR, unit VARCHAR, is_speeder BOOLEAN, is_straightliner BOOLEAN)`
  );
  await conn.run(`INSERT INTO respondents VALUES ${respondents.join(", ")}`);
  await createNamedViews(
    conn,
    "respondent_numbers",
    "cb_likert_numbered",
    "keyed_likert_answer_rows",
    "keyed_likert_answers"
  );
  const section = (code: keyof typeof SECTIONS) => ({
    code,
    name: code,
    direction: "higher_is_better" as const,
    dimensions: Object.entries(SECTIONS[code]).map(([d, subs]) => ({
      code: d,
      name: d,
      subdimensions: (subs as readonly string[]).map((s) => ({ code: s, name: s }))
    }))
  });
  return {
    conn,
    index: { codebook: { minGroupSize: 5, sections: [section("pred"), section("out")] } }
  } as unknown as ReportStore;
}

describe("driverAnalysis aggregated in DuckDB, on edge cases", () => {
  let store: ReportStore;
  beforeAll(async () => {
    store = await edgeStore();
  });

  it("publishes what the respondent-level computation published, suppressed rows and NaN included", async () => {
    const { got, difference } = await compare(store, { predictors: "pred", outcomes: "out" });
    expect(difference).toBeLessThan(1e-9);
    const regression = (wave: number, outcome: string) =>
      got.regressions.find((r) => r.wave === wave && r.outcome === outcome)!;
    const correlation = (wave: number, predictor: string, outcome: string) =>
      got.correlations.find((c) => c.wave === wave && c.predictor === predictor && c.outcome === outcome)!;
    expect(got.waves).toEqual(WAVES.map((w) => w.wave));
    // Each edge case did happen, in both computations.
    expect(regression(2019, "O1").suppressed).toBe(false);
    expect(regression(2019, "O1").n).toBeLessThan(correlation(2019, "P1", "O1").n!); // listwise < pairwise
    expect(got.correlations.filter((c) => c.wave === 2020).some((c) => c.suppressed)).toBe(true);
    expect(got.correlations.filter((c) => c.wave === 2021).every((c) => c.suppressed)).toBe(true);
    expect(correlation(2022, "P2", "O1").suppressed).toBe(true); // r NaN
    expect(correlation(2022, "p2a", "O2").suppressed).toBe(true);
    expect(correlation(2022, "P1", "O1").suppressed).toBe(false);
    expect(regression(2022, "O1").suppressed).toBe(true); // a constant predictor: collinear
    expect(Number.isNaN(regression(2023, "O1").rSquared)).toBe(true); // a constant outcome: NaN, published as before
    expect(correlation(2024, "P3", "O2").suppressed).toBe(true); // no pair at all
    expect(regression(2024, "O2").suppressed).toBe(true); // no complete respondent
    expect(regression(2025, "O2").suppressed).toBe(true); // P1 = P2: collinear
    expect(correlation(2025, "P1", "O2").r).toBeCloseTo(correlation(2025, "P2", "O2").r!, 12);
  });

  it("counts in a wave's respondents whoever has a score of either section", async () => {
    // 2026: four respondents with both sections, two with outcomes only (nothing published rests on those two alone:
    // every figure needs minGroupSize respondents with predictor scores, so only the query's own row can tell)
    const rows = await runNamedQuery(store.conn, "scale_correlations_by_wave", SCALE_CORRELATION_ROW, {
      predictors: "pred",
      outcomes: "out"
    });
    const respondents = (wave: number) => rows.find((r) => r.kind === "respondents" && r.wave === wave)!.n;
    expect(respondents(2026)).toBe(6);
    expect(respondents(2019)).toBe(80);
    expect(rows.find((r) => r.kind === "pairwise" && r.wave === 2026 && r.x === "P1" && r.y === "O1")!.n).toBe(4);
  });

  it("with the same section on both sides, gives the correlations as before (a scale with itself: r = 1)", async () => {
    const sections = { predictors: "pred", outcomes: "pred" };
    const got = await driverAnalysis(store, sections);
    const want = await referenceDriverAnalysis(store, sections);
    expect(maxDifference(got.correlations, want.correlations)).toBeLessThan(1e-9);
    // r = 1 up to the last bit: DuckDB's parallel sums differ in the last bit from run to run (more so on a busy machine).
    expect(got.correlations.find((c) => c.wave === 2019 && c.predictor === "P1" && c.outcome === "P1")!.r).toBeCloseTo(
      1,
      12
    );
    // Regressing a scale on itself and others is degenerate (R² = 1 up to rounding): only the shape is compared.
    expect(got.regressions.map((r) => [r.wave, r.outcome, r.n])).toEqual(
      want.regressions.map((r) => [r.wave, r.outcome, r.n])
    );
  });

  it("suppresses exactly as before at every minGroupSize from 1 to the largest wave", async () => {
    for (const minGroupSize of [1, 2, 3, 4, 5, 6, 8, 10, 20, 30, 50, 80, 81]) {
      const { difference } = await compare(withMinGroupSize(store, minGroupSize), {
        predictors: "pred",
        outcomes: "out"
      });
      expect(difference, `minGroupSize ${minGroupSize}`).toBeLessThan(1e-9);
    }
  });
});
