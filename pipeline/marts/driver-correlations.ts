// Driver analysis between two sections of the codebook (原因剖析 → 存在问题): per wave, how strongly each predictor
// scale (a dimension or sub-dimension of the predictor section) goes with each outcome dimension across the same
// respondents (Pearson r with its Fisher interval), and a standardized regression of each outcome dimension on all
// predictor dimensions together (betas, R², n). DuckDB reduces the respondents' scale scores to correlations and
// counts (pipeline/db/sql/scale_correlations_by_wave.sql): no respondent-level row reaches this module, and only the
// coefficients leave it. A wave, or a coefficient, resting on fewer respondents than the codebook's minGroupSize is
// published as suppressed with no numbers.
// These describe co-variation, never cause: every page that shows them carries CORRELATION_CAVEAT.
import { CORRELATION_CAVEAT, correlationFromR, standardizedRegressionFromCorrelations } from "../stats/drivers.ts";
import { DIGITS, round } from "../contracts/precision.ts";
import type { CorrelationRow } from "../contracts/drivers.ts";

export type { CorrelationRow };
import { toCube, type Cube } from "../contracts/cube.ts";
import { ALL, ALL_GROUP, suppressionPattern } from "./suppression.ts";
import type { ReportStore } from "../db/report-store.ts";
import { runNamedQuery } from "../db/named-sql.ts";
import { SCALE_CORRELATION_ROW } from "../db/rows.ts";

export interface RegressionCoefficient {
  predictor: string;
  beta: number;
  se: number;
  t: number;
  p: number;
}

export interface RegressionRow {
  wave: number;
  outcome: string;
  n: number | null;
  rSquared: number | null;
  adjustedRSquared: number | null;
  f: number | null;
  p: number | null;
  coefficients: RegressionCoefficient[] | null;
  suppressed: boolean;
}

interface SectionShape {
  section: string;
  name: string;
  direction: "higher_is_better" | "higher_is_worse";
  dimensions: {
    code: string;
    name: string;
    summary: string | null;
    subdimensions: { code: string; name: string; reportName?: string }[];
  }[];
}

export interface DriverAnalysis {
  caveat: string;
  minGroupSize: number;
  waves: number[];
  predictors: SectionShape;
  outcomes: SectionShape;
  correlations: CorrelationRow[];
  regressions: RegressionRow[];
}

function sectionShape(store: ReportStore, code: string): SectionShape {
  const s = store.index.codebook.sections.find((x) => x.code === code);
  if (!s) throw new Error(`码本中没有部分 ${code}`);
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
}

/** A row of scale_correlations_by_wave: see the header of that file. */
interface ScaleStatistic {
  kind: "respondents" | "pairwise" | "listwise";
  wave: number;
  outcome: string | null;
  x: string | null;
  y: string | null;
  n: number;
  r: number | null;
}

/** The statistics of one wave, looked up by scale codes. */
interface WaveStatistics {
  /** Respondents with any score of either section. */
  respondents: number;
  /** predictor|outcome → n and r over the respondents with both (pairwise deletion). */
  pairwise: Map<string, { n: number; r: number }>;
  /** outcome → n complete respondents and r of each pair x|y (both orders) of its regression's variables. */
  listwise: Map<string, { n: number; r: Map<string, number> }>;
}

/**
 * DuckDB's r as the raw-column statistics had it: NaN without variance (it comes back as NULL from the query cache,
 * whose JSON has no NaN), and within [−1, 1]: for perfectly correlated scales corr() can miss ±1 by a rounding step,
 * where the two-pass r is exactly ±1.
 */
const rOf = (r: number | null) => (r === null ? NaN : Math.max(-1, Math.min(1, r)));

function statisticsByWave(rows: readonly ScaleStatistic[]): Map<number, WaveStatistics> {
  const waves = new Map<number, WaveStatistics>();
  const of = (wave: number) => {
    if (!waves.has(wave)) waves.set(wave, { respondents: 0, pairwise: new Map(), listwise: new Map() });
    return waves.get(wave)!;
  };
  for (const row of rows) {
    const w = of(row.wave);
    if (row.kind === "respondents") w.respondents = row.n;
    else if (row.kind === "pairwise") w.pairwise.set(`${row.x}|${row.y}`, { n: row.n, r: rOf(row.r) });
    else {
      if (!w.listwise.has(row.outcome!)) w.listwise.set(row.outcome!, { n: row.n, r: new Map() });
      const model = w.listwise.get(row.outcome!)!;
      // Every pair is over the same complete respondents.
      if (model.n !== row.n)
        throw new Error(`scale_correlations_by_wave: ${row.wave} ${row.outcome}: listwise n ${model.n} ≠ ${row.n}`);
      model.r.set(`${row.x}|${row.y}`, rOf(row.r));
      model.r.set(`${row.y}|${row.x}`, rOf(row.r));
    }
  }
  return waves;
}

/**
 * n and the correlation matrix of one outcome's regression on the predictor dimensions, from the listwise statistics.
 * A pair without a row had no respondent with all the variables (e.g. a dimension nobody answered): n = 0.
 */
function regressionInputs(
  model: { n: number; r: Map<string, number> } | undefined,
  outcome: string,
  names: readonly string[]
) {
  let n = model?.n ?? 0;
  const r = (a: string, b: string) => {
    if (a === b) return 1;
    const v = model?.r.get(`${a}|${b}`);
    if (v === undefined) n = 0;
    return v ?? NaN;
  };
  const rxx = names.map((a) => names.map((b) => r(a, b)));
  const rxy = names.map((a) => r(a, outcome));
  return { n, rxx, rxy };
}

const finite = (x: number) => (Number.isFinite(x) ? x : null);

export async function driverAnalysis(
  store: ReportStore,
  { predictors, outcomes }: { predictors: string; outcomes: string }
): Promise<DriverAnalysis> {
  const minGroupSize = store.index.codebook.minGroupSize;
  const p = sectionShape(store, predictors);
  const o = sectionShape(store, outcomes);
  const byWave = statisticsByWave(
    await runNamedQuery(store.conn, "scale_correlations_by_wave", SCALE_CORRELATION_ROW, { predictors, outcomes })
  );
  const waves = [...byWave.keys()].sort((a, b) => a - b);
  const predictorCodes = p.dimensions.flatMap((d) => [d.code, ...d.subdimensions.map((s) => s.code)]);
  const predictorDimensions = p.dimensions.map((d) => d.code);
  const outcomeCodes = o.dimensions.map((d) => d.code);
  const correlations: CorrelationRow[] = [];
  const regressions: RegressionRow[] = [];
  for (const wave of waves) {
    const w = byWave.get(wave)!;
    const waveTooSmall = w.respondents < minGroupSize;
    for (const predictor of predictorCodes)
      for (const outcome of outcomeCodes) {
        const pair = w.pairwise.get(`${predictor}|${outcome}`) ?? { n: 0, r: NaN };
        const c = waveTooSmall ? null : correlationFromR(pair.n, pair.r);
        // The Fisher interval needs four respondents; the anonymity rule usually asks more.
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
        const { n, rxx, rxy } = regressionInputs(w.listwise.get(outcome), outcome, predictorDimensions);
        const model = standardizedRegressionFromCorrelations(n, predictorDimensions, rxx, rxy);
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
        // Too few complete respondents for the predictors, or collinear predictors: nothing to publish.
        if (!(e instanceof RangeError)) throw e;
        regressions.push(none);
      }
    }
  }
  return { caveat: CORRELATION_CAVEAT, minGroupSize, waves, predictors: p, outcomes: o, correlations, regressions };
}

/**
 * The page's file: the correlations as a cube (wave × predictor × outcome), the regressions as rows, every figure at
 * the precision the pages print (contracts/precision.ts).
 */
export function compactDrivers(analysis: DriverAnalysis) {
  const { correlations, regressions, ...rest } = analysis;
  const cube: Cube = toCube(correlations as unknown as Record<string, unknown>[], {
    axes: [["wave"], ["predictor"], ["outcome"]],
    fields: {
      n: 0,
      r: DIGITS.coefficient,
      ciLow: DIGITS.coefficient,
      ciHigh: DIGITS.coefficient,
      p: DIGITS.p,
      suppressed: "boolean"
    },
    presence: "suppressed"
  });
  const c = (x: number | null) => round(x, DIGITS.coefficient);
  const rounded = regressions.map((r) => ({
    ...r,
    rSquared: c(r.rSquared),
    adjustedRSquared: c(r.adjustedRSquared),
    f: c(r.f),
    p: round(r.p, DIGITS.p),
    coefficients:
      r.coefficients?.map((k) => ({
        predictor: k.predictor,
        beta: c(k.beta)!,
        se: c(k.se)!,
        t: c(k.t)!,
        p: round(k.p, DIGITS.p)!
      })) ?? null
  }));
  return { ...rest, regressions: rounded, correlations: cube };
}

/** Hides every figure of a wave the wave's suppression pattern hides as a whole (the published drivers file). */
export async function driversPageData(store: ReportStore, sections: { predictors: string; outcomes: string }) {
  const analysis = await driverAnalysis(store, sections);
  const pattern = await suppressionPattern(store);
  const shown = (wave: number) => pattern.shows(wave, ALL, ALL_GROUP);
  return compactDrivers({
    ...analysis,
    correlations: analysis.correlations.map((r) =>
      shown(r.wave) ? r : { ...r, n: null, r: null, ciLow: null, ciHigh: null, p: null, suppressed: true }
    ),
    regressions: analysis.regressions.map((r) =>
      shown(r.wave)
        ? r
        : {
            ...r,
            n: null,
            rSquared: null,
            adjustedRSquared: null,
            f: null,
            p: null,
            coefficients: null,
            suppressed: true
          }
    )
  });
}
