// The overview (概览) for leaders: exactly what the home page shows, for the latest wave. Response rate against the
// roster (overall and by unit category), the headline index of each section and of each dimension of the focus
// section (原因剖析) with its change since the previous wave and whether that change is significant, those dimensions
// over every wave (the page's chart: the same rows, values and suppression as trends.json), the weakest
// sub-dimensions of the focus section with the measures the codebook maps to them, and the units that lag.
// Everything comes from the other marts, so anonymity and the statistics are applied exactly once, there; a change
// verdict is the section page's own (its family, wave-changes.ts), so both pages say the same of the same figure.
import type {
  Overview,
  OverviewLaggingUnit,
  OverviewRate,
  OverviewScore,
  OverviewTrendPoint,
  OverviewWeakSpot
} from "../contracts/report.ts";
import { changeTest } from "./wave-changes.ts";
import type { ReportStore } from "../db/report-store.ts";
import { responseRates, type ResponseRateRow } from "./response-rates.ts";
import { scaleInfos, wavesOf, type ScaleInfo, type ScaleLevel } from "../codebook/scales.ts";
import { scaleScores, type ScaleScoreWithChange } from "./section.ts";
import { unitScaleScores } from "./units.ts";
import { publishedLevel } from "./trends.ts";
import { UNIT_COMPARISON_FDR, UNIT_COMPARISON_TEST, unitVerdicts, type UnitVerdict } from "./unit-verdicts.ts";
import type { Codebook, Section } from "../codebook/schema.ts";

export type { Overview, OverviewLaggingUnit, OverviewRate, OverviewScore, OverviewTrendPoint, OverviewWeakSpot };

export interface OverviewOptions {
  /** How many weakest sub-dimensions (default 3) and, at most, lagging units (default 5) to list. */
  weakest?: number;
  lagging?: number;
}

/** A section-mart row as the overview shows it: the index with its 95% interval rescaled to 0–100. */
function score(r: ScaleScoreWithChange | undefined, info: ScaleInfo): OverviewScore {
  const usable = r !== undefined && !r.suppressed;
  return {
    code: info.code,
    name: info.name,
    direction: info.direction,
    n: usable ? r.n : null,
    index: usable ? r.index : null,
    indexLow: usable ? r.indexLow : null,
    indexHigh: usable ? r.indexHigh : null,
    previousWave: r?.previousWave ?? null,
    indexChange: usable ? r.indexChange : null,
    changeP: usable ? r.changeP : null,
    changeSignificant: usable ? r.changeSignificant : null,
    suppressed: !usable
  };
}

/** The overview of the latest wave; `focusSection` is the diagnostic section (原因剖析's code, passed by the loader). */
export async function overview(
  store: ReportStore,
  focusSection: string,
  options: OverviewOptions = {}
): Promise<Overview> {
  const { weakest: weakCount = 3, lagging: lagCount = 5 } = options;
  const { codebook } = store.index;
  const focus = codebook.sections.find((s) => s.code === focusSection);
  if (!focus) throw new Error(`码本中没有部分 ${focusSection}`);
  const infos = scaleInfos(store.index);
  const waves = wavesOf(store.manifest);
  const wave = waves[waves.length - 1];
  const previousWave = waves.length > 1 ? waves[waves.length - 2] : null;

  const rates = await responseRates(store);
  const scores = await allRespondentScores(store, infos, wave);
  const sections = codebook.sections
    .filter((s) => scores.sectionRows.has(s.code))
    .map((s) => scores.scoreOf(s.code, "section", s.code));
  const dimensions = focus.dimensions
    .filter((d) => infos.has(`dimension|${d.code}`))
    .map((d) => ({ ...scores.scoreOf(focus.code, "dimension", d.code), summary: d.summary ?? null }));
  const trend = focus.dimensions
    .filter((d) => infos.has(`dimension|${d.code}`))
    .map((d) => ({ code: d.code, name: d.name, points: scores.seriesOf(focus.code, "dimension", d.code) }));
  const weakest = weakestSpots(codebook, focus, infos, scores, weakCount);
  const verdicts = await unitVerdicts(store, focus.code, wave, infos.get(`section|${focus.code}`)!);
  const { lagging, rankedUnits } = await laggingUnits(store, focus, wave, verdicts, lagCount);

  return {
    title: codebook.title,
    refreshedAt: store.manifest.updatedAt,
    minGroupSize: codebook.minGroupSize,
    changeTest: changeTest(codebook.inference),
    waves,
    wave,
    previousWave,
    response: responseSummary(rates, wave, previousWave),
    sections,
    focus: { code: focus.code, name: focus.name, direction: focus.direction },
    dimensions,
    trend,
    weakest,
    lagging,
    rankedUnits,
    unitComparison: {
      comparedWith: "unit_category",
      test: UNIT_COMPARISON_TEST,
      fdr: UNIT_COMPARISON_FDR,
      compared: verdicts.length,
      worse: verdicts.filter((v) => v.verdict === "worse").length,
      better: verdicts.filter((v) => v.verdict === "better").length
    }
  };
}

/** +1 when a higher index is better, −1 when lower is: sorting by `better(d) * (a − b)` puts the worst first. */
const better = (direction: OverviewScore["direction"]) => (direction === "higher_is_better" ? 1 : -1);

function overviewRate(r: ResponseRateRow): OverviewRate {
  return { code: r.code, name: r.name, headcount: r.headcount, n: r.n, rate: r.rate, suppressed: r.suppressed };
}

/** Response rates of the wave and the previous one (the roster is the population), overall and by unit category. */
function responseSummary(rates: ResponseRateRow[], wave: number, previousWave: number | null): Overview["response"] {
  const allOf = (w: number | null) => rates.find((r) => r.wave === w && r.level === "all");
  const previousAll = allOf(previousWave);
  return {
    all: overviewRate(allOf(wave)!),
    previousAll: previousAll ? overviewRate(previousAll) : null,
    categories: rates.filter((r) => r.wave === wave && r.level === "unit_category").map(overviewRate)
  };
}

/** The section marts' rows of all respondents in one wave, and lookups into them. */
interface AllRespondentScores {
  /** section code → its rows (sections with a scale only) */
  sectionRows: Map<string, ScaleScoreWithChange[]>;
  find: (section: string, level: ScaleLevel, code: string) => ScaleScoreWithChange | undefined;
  scoreOf: (section: string, level: ScaleLevel, code: string) => OverviewScore;
  /** A scale's index over every wave, as trends.json publishes it (the same section-mart rows, wave order). */
  seriesOf: (section: string, level: ScaleLevel, code: string) => OverviewTrendPoint[];
}

/** Section, dimension and sub-dimension indices of all respondents in the wave. */
async function allRespondentScores(
  store: ReportStore,
  infos: Map<string, ScaleInfo>,
  wave: number
): Promise<AllRespondentScores> {
  const sectionRows = new Map<string, ScaleScoreWithChange[]>();
  const everyWave = new Map<string, ScaleScoreWithChange[]>();
  for (const s of store.index.codebook.sections) {
    if (!infos.has(`section|${s.code}`)) continue;
    const rows = (await scaleScores(store, s.code)).filter((r) => r.grouping === "all");
    everyWave.set(s.code, rows);
    sectionRows.set(
      s.code,
      rows.filter((r) => r.wave === wave)
    );
  }
  const find = (section: string, level: ScaleLevel, code: string) =>
    sectionRows.get(section)?.find((r) => r.level === level && r.code === code);
  const scoreOf = (section: string, level: ScaleLevel, code: string) =>
    score(find(section, level, code), infos.get(`${level}|${code}`)!);
  const seriesOf = (section: string, level: ScaleLevel, code: string) =>
    (everyWave.get(section) ?? [])
      .filter((r) => r.level === level && r.code === code)
      .sort((a, b) => a.wave - b.wave)
      .map(publishedLevel);
  return { sectionRows, find, scoreOf, seriesOf };
}

/** The weakest sub-dimensions of the focus section, and what the codebook's measures say to do about them. */
function weakestSpots(
  codebook: Codebook,
  focus: Section,
  infos: Map<string, ScaleInfo>,
  scores: AllRespondentScores,
  weakCount: number
): OverviewWeakSpot[] {
  return focus.dimensions
    .flatMap((d) => d.subdimensions.map((sd) => ({ d, sd })))
    .filter(({ sd }) => infos.has(`subdimension|${sd.code}`))
    .map(({ d, sd }): OverviewWeakSpot => ({
      ...scores.scoreOf(focus.code, "subdimension", sd.code),
      dimension: d.code,
      dimensionName: d.name,
      measures: codebook.measures.flatMap((m) =>
        m.parts.filter((p) => p.addresses.includes(sd.code)).map((p) => ({ code: m.code, name: m.name, part: p.name }))
      )
    }))
    .filter((r) => !r.suppressed)
    .sort((a, b) => better(focus.direction) * (a.index! - b.index!))
    .slice(0, weakCount);
}

/**
 * Units that lag: those whose focus-section index lies below the rest of their category after the Benjamini–Hochberg
 * adjustment across every unit compared (unit-verdicts.ts), the clearest (smallest adjusted p) first, each with its weakest dimension. No unit
 * is named for being lowest in the ranking, nor for an interval that misses a total containing the unit itself.
 */
async function laggingUnits(
  store: ReportStore,
  focus: Section,
  wave: number,
  verdicts: UnitVerdict[],
  lagCount: number
): Promise<{ lagging: OverviewLaggingUnit[]; rankedUnits: number }> {
  const units = (await unitScaleScores(store, focus.code)).filter((r) => r.wave === wave && !r.suppressed);
  const ranked = units.filter((r) => r.level === "section" && r.code === focus.code);
  const names = new Map(store.roster.map((u) => [u.code, u.name]));
  const verdictOf = new Map(verdicts.map((v) => [v.unit, v]));
  const lagging = ranked
    .filter((r) => verdictOf.get(r.unit)?.verdict === "worse")
    // The clearest shortfalls against their own peers first (smallest adjusted p), not the lowest indices: ranking by
    // the index would put the units of a low-scoring category first, the effect the comparison by category removes.
    .sort(
      (a, b) =>
        verdictOf.get(a.unit)!.adjustedP - verdictOf.get(b.unit)!.adjustedP ||
        better(focus.direction) * (a.index! - b.index!)
    )
    .slice(0, lagCount)
    .map((r): OverviewLaggingUnit => {
      const dims = units
        .filter((d) => d.unit === r.unit && d.level === "dimension" && d.section === focus.code)
        .sort((a, b) => better(focus.direction) * (a.index! - b.index!));
      return {
        code: r.unit,
        name: names.get(r.unit)!,
        category: r.category,
        n: r.n!,
        index: r.index!,
        indexLow: r.indexLow,
        indexHigh: r.indexHigh,
        adjustedP: verdictOf.get(r.unit)!.adjustedP,
        weakest: dims[0] ? { code: dims[0].code, name: dims[0].name, index: dims[0].index! } : null
      };
    });
  return { lagging, rankedUnits: ranked.length };
}
