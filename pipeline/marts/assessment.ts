// Assessment marts: indicator scores and weighted totals per year and unit. Unit-level data (not respondents'),
// so no group-size suppression applies; rows the loader rejected are reported with the data quality.
import { scaleIndex } from "../stats/descriptives.ts";
import { pearson } from "../stats/drivers.ts";
import { twoSkins } from "../stats/two-skins.ts";
import { wilsonInterval } from "../stats/proportions.ts";
import { DIGITS, round } from "../contracts/precision.ts";
import { wavesOf } from "../codebook/scales.ts";
import { ALL, ALL_GROUP, suppressionPattern, UNIT } from "./suppression.ts";
import type { ReportStore } from "../db/report-store.ts";
import { runNamedQuery } from "../db/named-sql.ts";
import { perStore } from "./per-store.ts";
import {
  ASSESSMENT_QUADRANT_ROW,
  ASSESSMENT_SCORE_ROW,
  ASSESSMENT_TOTAL_ROW,
  CHOICE_COUNT_ROW,
  INDICATOR_SCORE_SUMMARY_ROW,
  INDICATOR_WEIGHT_ROW,
  SUBDIMENSION_SCORE_ROW
} from "../db/rows.ts";

export interface AssessmentTotalRow {
  year: number;
  unit: string;
  name: string;
  category: string;
  partyBuilding: number | null;
  business: number | null;
  processWeightShare: number | null;
  partyBuildingIndicators: number;
  businessIndicators: number;
}

/**
 * Each unit's weighted totals per year (assessment_totals_by_year_unit.sql), computed once per store: the assessment
 * page, the survey's link to the assessment, 探索's table and its catalog, and the units' pages read them (callers
 * only read them).
 */
export function assessmentTotals(store: ReportStore): Promise<AssessmentTotalRow[]> {
  return assessmentTotalsOnce(store, "all units");
}

const assessmentTotalsOnce = perStore(async (store: ReportStore, _all: string): Promise<AssessmentTotalRow[]> => {
  const rows = await runNamedQuery(store.conn, "assessment_totals_by_year_unit", ASSESSMENT_TOTAL_ROW);
  return rows.map((r) => ({
    year: r.year,
    unit: r.unit,
    name: r.name,
    category: r.category,
    partyBuilding: r.party_building,
    business: r.business,
    processWeightShare: r.process_weight_share,
    partyBuildingIndicators: r.party_building_indicators,
    businessIndicators: r.business_indicators
  }));
});

// ---------------------------------------------------------------------------------------------------------------------
// The assessment page (考核): everything it draws, from the SQL above and below. The weighting formula of the totals
// lives in assessment_totals_by_year_unit.sql; src/components/weighting.ts reproduces it for the what-if panel
// (test/marts/assessment.test.ts checks that the two agree on every unit and year).

/**
 * 两张皮 by ranks: party_building_ahead (党建强、业务弱) or business_ahead (业务强、党建弱) when the unit's percentile
 * ranks on the two totals are more than the tolerance apart; together (一盘棋) inside the band.
 */
export type TwoSkinsVerdict = "party_building_ahead" | "business_ahead" | "together";

export interface AssessmentUnitYear {
  year: number;
  unit: string;
  partyBuilding: number | null;
  business: number | null;
  /** 0–1 percent rank among the year's units (null without both scores). */
  partyBuildingPercentile: number | null;
  businessPercentile: number | null;
  /** (partyBuildingPercentile − businessPercentile) · 100, in percentile points (null without both scores). */
  rankGap: number | null;
  twoSkins: TwoSkinsVerdict | null;
}

export interface AssessmentReport {
  indicatorsVersion: string;
  indicators: {
    code: string;
    name: string;
    domain: "party_building" | "business";
    kind: "process" | "outcome";
    weight: number;
    maxScore: number;
  }[];
  years: number[];
  units: { code: string; name: string; category: string }[];
  /** Per year and unit, the raw score of each indicator in the order of `indicators` (null: not scored). */
  scores: { year: number; unit: string; scores: (number | null)[] }[];
  /** Per year and unit, the weighted totals of the SQL (0–100), their percentile ranks and the 两张皮 verdict. */
  totals: AssessmentUnitYear[];
  medians: { year: number; partyBuilding: number; business: number; units: number }[];
  /**
   * How 两张皮 is decided (percentile ranks more than `tolerance` points apart), the units that are 两张皮 on the same
   * side in every year (with more than one year), and per year Pearson's r between the two totals across units.
   */
  twoSkins: {
    tolerance: number;
    lasting: { unit: string; ahead: "party_building_ahead" | "business_ahead"; years: number }[];
    correlations: {
      year: number;
      units: number;
      r: number | null;
      ciLow: number | null;
      ciHigh: number | null;
      p: number | null;
    }[];
  };
  /** Per year and indicator: the units' scores as a percentage of the maximum. */
  indicatorSummary: {
    year: number;
    indicator: string;
    n: number;
    mean: number;
    sd: number | null;
    min: number;
    q1: number;
    median: number;
    q3: number;
    max: number;
  }[];
  /** Weight by domain and kind (process/outcome), with its share of the domain's weight. */
  weights: { domain: string; kind: string; indicators: number; weight: number; share: number }[];
  /** The scores file: rows read, accepted, quarantined (the rows themselves are on the data-quality page). */
  file: { name: string; rows: number; accepted: number; quarantined: number } | null;
}

/** A correlation across units at the published precision, with the number of units it rests on. */
function roundedCorrelation(c: ReturnType<typeof pearson>) {
  return {
    units: c.n,
    r: round(c.r, DIGITS.coefficient),
    ciLow: round(c.ciLow, DIGITS.coefficient),
    ciHigh: round(c.ciHigh, DIGITS.coefficient),
    p: round(c.p, DIGITS.p)
  };
}

export async function assessmentReport(store: ReportStore): Promise<AssessmentReport> {
  const { indicators, version, twoSkinsTolerance, file } = await store.assessment();
  const totals = await assessmentTotals(store);
  const quadrants = await runNamedQuery(store.conn, "assessment_quadrants_by_year_unit", ASSESSMENT_QUADRANT_ROW);
  const long = await runNamedQuery(store.conn, "assessment_scores_by_year_unit_indicator", ASSESSMENT_SCORE_ROW);
  const summary = await runNamedQuery(store.conn, "indicator_score_summary_by_year", INDICATOR_SCORE_SUMMARY_ROW);
  const weights = await runNamedQuery(store.conn, "indicator_weights_by_domain_kind", INDICATOR_WEIGHT_ROW);

  const position = new Map(indicators.map((ind, i) => [ind.code, i]));
  const packed = new Map<string, AssessmentReport["scores"][number]>();
  for (const s of long) {
    const key = `${s.year}|${s.unit}`;
    if (!packed.has(key)) packed.set(key, { year: s.year, unit: s.unit, scores: indicators.map(() => null) });
    packed.get(key)!.scores[position.get(s.indicator)!] = s.score;
  }
  const quadrantOf = new Map(quadrants.map((q) => [`${q.year}|${q.unit}`, q]));
  const medians = new Map<number, AssessmentReport["medians"][number]>();
  for (const q of quadrants) {
    const m = medians.get(q.year) ?? {
      year: q.year,
      partyBuilding: q.party_building_median,
      business: q.business_median,
      units: 0
    };
    m.units++;
    medians.set(q.year, m);
  }
  const inScores = new Set(totals.map((t) => t.unit));
  const rows = totals.map((t): AssessmentUnitYear => {
    const q = quadrantOf.get(`${t.year}|${t.unit}`);
    const verdict = q
      ? twoSkins(
          { partyBuilding: q.party_building_percentile * 100, business: q.business_percentile * 100 },
          twoSkinsTolerance
        )
      : null;
    return {
      year: t.year,
      unit: t.unit,
      partyBuilding: t.partyBuilding,
      business: t.business,
      partyBuildingPercentile: q?.party_building_percentile ?? null,
      businessPercentile: q?.business_percentile ?? null,
      rankGap: verdict ? round(verdict.gap, DIGITS.index) : null,
      twoSkins: verdict
        ? verdict.ahead === "partyBuilding"
          ? "party_building_ahead"
          : verdict.ahead === "business"
            ? "business_ahead"
            : "together"
        : null
    };
  });
  const years = [...new Set(totals.map((t) => t.year))].sort((a, b) => a - b);
  const twoSkinsOf = new Map(rows.map((r) => [`${r.year}|${r.unit}`, r.twoSkins]));
  // 两张皮 in every year, on the same side: a lasting split rather than one year's noise.
  const lasting =
    years.length > 1
      ? store.roster.flatMap((u) => {
          const verdicts = years.map((y) => twoSkinsOf.get(`${y}|${u.code}`) ?? null);
          const first = verdicts[0];
          return first && first !== "together" && verdicts.every((v) => v === first)
            ? [{ unit: u.code, ahead: first, years: years.length }]
            : [];
        })
      : [];
  const correlations = years.map((year) => {
    const pairs = quadrants.filter((q) => q.year === year);
    if (pairs.length < 4) return { year, units: pairs.length, r: null, ciLow: null, ciHigh: null, p: null };
    const c = pearson(
      pairs.map((q) => q.party_building),
      pairs.map((q) => q.business)
    );
    return { year, ...roundedCorrelation(c) };
  });
  return {
    indicatorsVersion: version,
    indicators: indicators.map((i) => ({
      code: i.code,
      name: i.name,
      domain: i.domain,
      kind: i.kind,
      weight: i.weight,
      maxScore: i.maxScore
    })),
    years,
    units: store.roster
      .filter((u) => inScores.has(u.code))
      .map((u) => ({ code: u.code, name: u.name, category: u.category })),
    scores: [...packed.values()],
    totals: rows,
    medians: [...medians.values()],
    twoSkins: { tolerance: twoSkinsTolerance, lasting, correlations },
    indicatorSummary: summary,
    weights,
    file: file
      ? { name: file.file, rows: file.rows, accepted: file.accepted, quarantined: file.quarantined.length }
      : null
  };
}

// ---------------------------------------------------------------------------------------------------------------------
// The survey beside the assessment: what cadres say the assessment looks at (one single-choice question), and how a
// unit's score on one sub-dimension (考核机制) goes with its party-building assessment score across units.

export interface ChoiceShareRow {
  wave: number;
  option: number;
  label: string;
  count: number;
  n: number;
  share: number;
  low: number;
  high: number;
}

export interface UnitSubdimensionRow {
  wave: number;
  unit: string;
  n: number | null;
  /** 0–100 */
  index: number | null;
  /** The unit's party-building assessment total of the same year (null when not assessed that year). */
  partyBuilding: number | null;
  suppressed: boolean;
}

export interface AssessmentSurveyLink {
  minGroupSize: number;
  question: { code: string; text: string; options: string[] } | null;
  choices: ChoiceShareRow[];
  subdimension: { code: string; name: string; dimensionName: string } | null;
  units: UnitSubdimensionRow[];
  /** Per wave: Pearson's r between the units' sub-dimension index and their party-building total (unsuppressed units only). */
  correlations: {
    wave: number;
    units: number;
    r: number | null;
    ciLow: number | null;
    ciHigh: number | null;
    p: number | null;
  }[];
}

/**
 * `question`: a single-choice question code; `subdimension`: a sub-dimension code, both from the codebook (the page's
 * loader names them; either may be absent from another codebook). Unit rows follow the wave's suppression pattern.
 */
export async function assessmentSurveyLink(
  store: ReportStore,
  { question, subdimension }: { question?: string; subdimension?: string }
): Promise<AssessmentSurveyLink> {
  const { codebook } = store.index;
  const minGroupSize = codebook.minGroupSize;
  // A codebook without the question or the sub-dimension (another questionnaire) gets null and empty rows: the page
  // then leaves that part out, rather than the whole site failing to build.
  const q = codebook.questions.find((x) => x.code === question);
  const sd = subdimension ? store.index.subdimension.get(subdimension) : undefined;

  let choices: ChoiceShareRow[] = [];
  let questionInfo: AssessmentSurveyLink["question"] = null;
  if (q && q.type === "single" && q.options !== "roster") {
    const labels = q.options.map((o) => o.label);
    questionInfo = { code: q.code, text: q.text, options: labels };
    const counts = await runNamedQuery(store.conn, "choice_counts_by_wave", CHOICE_COUNT_ROW, { question: q.code });
    const pattern = await suppressionPattern(store);
    // A wave's answers are shown when the wave is and when enough people answered the question itself.
    const waves = [...new Set(counts.map((c) => c.wave))].filter(
      (wave) => pattern.shows(wave, ALL, ALL_GROUP) && counts.find((c) => c.wave === wave)!.n >= minGroupSize
    );
    choices = waves.flatMap((wave) => {
      const inWave = counts.filter((c) => c.wave === wave);
      const n = inWave[0].n;
      return labels.map((label, i) => {
        const count = inWave.find((c) => c.option === i + 1)?.count ?? 0;
        const w = wilsonInterval(count, n);
        return {
          wave,
          option: i + 1,
          label,
          count,
          n,
          share: round(w.share, DIGITS.share)!,
          low: round(w.low, DIGITS.share)!,
          high: round(w.high, DIGITS.share)!
        };
      });
    });
  }

  let units: UnitSubdimensionRow[] = [];
  const correlations: AssessmentSurveyLink["correlations"] = [];
  if (sd) {
    const item = store.index.likert.find((x) => x.subdimension === sd.code);
    const scale = item ? store.index.scaleOf(item) : { min: 1, max: 5 };
    const rows = await runNamedQuery(store.conn, "subdimension_scores_by_wave_unit", SUBDIMENSION_SCORE_ROW, {
      subdimension: sd.code
    });
    const found = new Map(rows.map((r) => [`${r.wave}|${r.unit}`, r]));
    const totals = new Map((await assessmentTotals(store)).map((t) => [`${t.year}|${t.unit}`, t.partyBuilding]));
    const pattern = await suppressionPattern(store);
    // Every roster unit in every wave; shown as the wave's pattern says (the same units as on every other page).
    units = wavesOf(store.manifest).flatMap((wave) =>
      store.roster.map((u): UnitSubdimensionRow => {
        const r = found.get(`${wave}|${u.code}`);
        const shown = r !== undefined && pattern.shows(wave, UNIT, u.code);
        return {
          wave,
          unit: u.code,
          n: shown ? pattern.count(wave, UNIT, u.code) : null,
          index: shown ? round(scaleIndex(r.mean, scale.min, scale.max), DIGITS.index) : null,
          partyBuilding: totals.get(`${wave}|${u.code}`) ?? null,
          suppressed: !shown
        };
      })
    );
    for (const wave of [...new Set(units.map((u) => u.wave))]) {
      const pairs = units.filter((u) => u.wave === wave && !u.suppressed && u.partyBuilding !== null);
      if (pairs.length < 4) {
        correlations.push({ wave, units: pairs.length, r: null, ciLow: null, ciHigh: null, p: null });
        continue;
      }
      const c = pearson(
        pairs.map((u) => u.index),
        pairs.map((u) => u.partyBuilding)
      );
      correlations.push({ wave, ...roundedCorrelation(c) });
    }
  }
  return {
    minGroupSize,
    question: questionInfo,
    choices,
    subdimension: sd ? { code: sd.code, name: sd.name, dimensionName: sd.dimensionName } : null,
    units,
    correlations
  };
}
