// The overview (概览) for leaders: exactly what the home page shows, for the latest wave. Response rate against the
// roster (overall and by unit category), the headline index of each section and of each dimension of the focus
// section (原因剖析) with its change since the previous wave and whether that change is significant, the weakest
// sub-dimensions of the focus section with the measures the codebook maps to them, and the units that lag.
// Everything comes from the other marts, so anonymity and the statistics are applied exactly once, there.
import type {
  Overview,
  OverviewLaggingUnit,
  OverviewRate,
  OverviewScore,
  OverviewWeakSpot
} from "../contracts/report.ts";
import { CHANGE_TEST } from "./wave-changes.ts";
import type { ReportStore } from "../db/report-store.ts";
import { responseRates } from "./response-rates.ts";
import { scaleInfos, wavesOf, type ScaleInfo, type ScaleLevel } from "../codebook/scales.ts";
import { scaleScores, type ScaleScoreWithChange } from "./section.ts";
import { unitScaleScores } from "./units.ts";
import { UNIT_COMPARISON_FDR, UNIT_COMPARISON_TEST, unitVerdicts } from "./unit-verdicts.ts";

export type { Overview, OverviewLaggingUnit, OverviewRate, OverviewScore, OverviewWeakSpot };

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
  const better = (direction: OverviewScore["direction"]) => (direction === "higher_is_better" ? 1 : -1);

  // Response rates (the roster is the population).
  const rates = await responseRates(store);
  const rate = (r: (typeof rates)[number]): OverviewRate => ({
    code: r.code,
    name: r.name,
    headcount: r.headcount,
    n: r.n,
    rate: r.rate,
    suppressed: r.suppressed
  });
  const allOf = (w: number | null) => rates.find((r) => r.wave === w && r.level === "all");
  const previousAll = allOf(previousWave);

  // Section and dimension indices of all respondents.
  const sectionRows = new Map<string, ScaleScoreWithChange[]>();
  for (const s of codebook.sections) {
    if (!infos.has(`section|${s.code}`)) continue;
    sectionRows.set(
      s.code,
      (await scaleScores(store, s.code)).filter((r) => r.wave === wave && r.grouping === "all")
    );
  }
  const find = (section: string, level: ScaleLevel, code: string) =>
    sectionRows.get(section)?.find((r) => r.level === level && r.code === code);
  const scoreOf = (section: string, level: ScaleLevel, code: string) =>
    score(find(section, level, code), infos.get(`${level}|${code}`)!);
  const sections = codebook.sections
    .filter((s) => sectionRows.has(s.code))
    .map((s) => scoreOf(s.code, "section", s.code));
  const dimensions = focus.dimensions
    .filter((d) => infos.has(`dimension|${d.code}`))
    .map((d) => ({ ...scoreOf(focus.code, "dimension", d.code), summary: d.summary ?? null }));

  // The weakest sub-dimensions of the focus section, and what the codebook's measures say to do about them.
  const weakest = focus.dimensions
    .flatMap((d) => d.subdimensions.map((sd) => ({ d, sd })))
    .filter(({ sd }) => infos.has(`subdimension|${sd.code}`))
    .map(({ d, sd }): OverviewWeakSpot => ({
      ...scoreOf(focus.code, "subdimension", sd.code),
      dimension: d.code,
      dimensionName: d.name,
      measures: codebook.measures.flatMap((m) =>
        m.parts.filter((p) => p.addresses.includes(sd.code)).map((p) => ({ code: m.code, name: m.name, part: p.name }))
      )
    }))
    .filter((r) => !r.suppressed)
    .sort((a, b) => better(focus.direction) * (a.index! - b.index!))
    .slice(0, weakCount);

  // Units that lag: those whose focus-section index lies below the rest of their category after the
  // Benjamini–Hochberg adjustment across every unit compared (unit-verdicts.ts); the worst first. No unit is named
  // for being lowest in the ranking, nor for an interval that misses a total containing the unit itself.
  const units = (await unitScaleScores(store)).filter((r) => r.wave === wave && !r.suppressed);
  const ranked = units.filter((r) => r.level === "section" && r.code === focus.code);
  const verdicts = await unitVerdicts(store, wave, infos.get(`section|${focus.code}`)!);
  const verdictOf = new Map(verdicts.map((v) => [v.unit, v]));
  const names = new Map(store.roster.map((u) => [u.code, u.name]));
  const lagging = ranked
    .filter((r) => verdictOf.get(r.unit)?.verdict === "worse")
    .sort((a, b) => better(focus.direction) * (a.index! - b.index!))
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

  return {
    title: codebook.title,
    refreshedAt: store.manifest.updatedAt,
    minGroupSize: codebook.minGroupSize,
    changeTest: CHANGE_TEST,
    waves,
    wave,
    previousWave,
    response: {
      all: rate(allOf(wave)!),
      previousAll: previousAll ? rate(previousAll) : null,
      categories: rates.filter((r) => r.wave === wave && r.level === "unit_category").map(rate)
    },
    sections,
    focus: { code: focus.code, name: focus.name, direction: focus.direction },
    dimensions,
    weakest,
    lagging,
    rankedUnits: ranked.length,
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
