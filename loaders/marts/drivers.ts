// Driver analysis between two sections of the codebook (原因剖析 → 存在问题): per wave, how strongly each predictor
// scale (a dimension or sub-dimension of the predictor section) goes with each outcome dimension across the same
// respondents (Pearson r with its Fisher interval), and a standardized regression of each outcome dimension on all
// predictor dimensions together (betas, R², n). Respondent-level scale scores (loaders/sql/respondent_scale_scores.sql)
// are read here and never leave this module: only the coefficients do. A wave, or a coefficient, resting on fewer
// respondents than the codebook's minGroupSize is published as suppressed with no numbers.
// These describe co-variation, never cause: every page that shows them carries CORRELATION_CAVEAT.
import { CORRELATION_CAVEAT, pearson, standardizedRegression } from "../stats/drivers.ts";
import { toCube, type Cube } from "./compact.ts";
import type { ReportStore } from "./open.ts";
import { runNamedQuery } from "./sql.ts";

export interface CorrelationRow {
  wave: number;
  /** A dimension or sub-dimension of the predictor section. */
  predictor: string;
  outcome: string;
  n: number | null;
  r: number | null;
  ciLow: number | null;
  ciHigh: number | null;
  p: number | null;
  suppressed: boolean;
}

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
  dimensions: { code: string; name: string; summary: string | null; subdimensions: { code: string; name: string }[] }[];
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
    dimensions: s.dimensions.map((d) => ({ code: d.code, name: d.name, summary: d.summary ?? null, subdimensions: d.subdimensions.map((x) => ({ code: x.code, name: x.name })) }))
  };
}

/** Respondents' scale scores of one wave as columns aligned by respondent (null where a scale was not answered). */
export function scoreColumns(rows: readonly { respondent_id: string; code: string; score: number }[]): { respondents: number; columns: Map<string, (number | null)[]> } {
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

export async function driverAnalysis(store: ReportStore, { predictors, outcomes }: { predictors: string; outcomes: string }): Promise<DriverAnalysis> {
  const minGroupSize = store.index.codebook.minGroupSize;
  const p = sectionShape(store, predictors);
  const o = sectionShape(store, outcomes);
  const rows = await runNamedQuery<{ wave: number; respondent_id: string; section: string; level: string; code: string; score: number }>(
    store.conn,
    "respondent_scale_scores",
    { predictors, outcomes }
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
        // The Fisher interval needs four respondents; the anonymity rule usually asks more.
        const usable = c !== null && c.n >= Math.max(minGroupSize, 4) && Number.isFinite(c.r);
        correlations.push(
          usable
            ? { wave, predictor, outcome, n: c.n, r: c.r, ciLow: finite(c.ciLow), ciHigh: finite(c.ciHigh), p: finite(c.p), suppressed: false }
            : { wave, predictor, outcome, n: null, r: null, ciLow: null, ciHigh: null, p: null, suppressed: true }
        );
      }
    for (const outcome of outcomeCodes) {
      const none: RegressionRow = { wave, outcome, n: null, rSquared: null, adjustedRSquared: null, f: null, p: null, coefficients: null, suppressed: true };
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
        // Too few complete respondents for the predictors, or collinear predictors: nothing to publish.
        if (!(e instanceof RangeError)) throw e;
        regressions.push(none);
      }
    }
  }
  return { caveat: CORRELATION_CAVEAT, minGroupSize, waves, predictors: p, outcomes: o, correlations, regressions };
}

/** The page's file: the correlations as a cube (wave × predictor × outcome), the regressions as rows. */
export function compactDrivers(analysis: DriverAnalysis) {
  const { correlations, ...rest } = analysis;
  const cube: Cube = toCube(correlations as unknown as Record<string, unknown>[], {
    axes: [["wave"], ["predictor"], ["outcome"]],
    fields: { n: 0, r: 3, ciLow: 3, ciHigh: 3, p: 4, suppressed: "boolean" },
    presence: "suppressed"
  });
  return { ...rest, correlations: cube };
}

export async function driversPageData(store: ReportStore, sections: { predictors: string; outcomes: string }) {
  return compactDrivers(await driverAnalysis(store, sections));
}
