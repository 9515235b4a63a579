// The unit marts (各单位): scale scores per wave and roster unit, and each unit's page (its section and cause
// indices against its category and the whole, its trend, response rate and assessment totals).
// Anonymity first: a unit-wave-scale under the minimum group size is suppressed, with complementary suppression among
// the units of one category (the category's own figure is published, so a single hidden unit could be subtracted
// out); and a unit-wave whose response count is hidden on the response-rate mart has every survey figure hidden too.
import { mean } from "../stats/basics.ts";
import { describeFromMoments, scaleIndex } from "../stats/descriptives.ts";
import { suppressSmallGroups } from "./anonymity.ts";
import { assessmentTotals, registerAssessment } from "./assessment.ts";
import { CHANGE_TEST, withChanges, type ChangeFields } from "./change.ts";
import type { ReportStore } from "./open.ts";
import { responseRates, type ResponseRateRow } from "./response-rates.ts";
import { scaleInfos, wavesOf, type ScaleLevel } from "./scales.ts";
import { populationOfGroup, scaleScores } from "./section.ts";
import { runNamedQuery } from "./sql.ts";

export interface UnitScoreRow {
  wave: number;
  unit: string;
  category: string;
  section: string;
  level: Exclude<ScaleLevel, "subdimension">;
  code: string;
  name: string;
  n: number | null;
  mean: number | null;
  sd: number | null;
  ciLow: number | null;
  ciHigh: number | null;
  /** 0–100 index of the mean, and its 95% t interval on the same scale. */
  index: number | null;
  indexLow: number | null;
  indexHigh: number | null;
  suppressed: boolean;
}

export type UnitScoreWithChange = UnitScoreRow & ChangeFields & { indexChange: number | null };

/** Suppressed unit-waves of the response-rate mart, as `${wave}|${unit}`. */
function hiddenUnitWaves(rates: ResponseRateRow[]): Set<string> {
  return new Set(rates.filter((r) => r.level === "unit" && r.suppressed).map((r) => `${r.wave}|${r.code}`));
}

/**
 * Marks unit score rows to suppress, in place: every unit-wave in `hidden` (`${wave}|${unit}`: its response count is
 * hidden on the response-rate mart, perhaps only as the complement of a unit without any score row) and every cell under
 * the minimum, then complementary suppression within each wave, category and scale, so that no category is left with
 * exactly one hidden unit whatever the reason it was hidden.
 */
export function suppressUnitScores<T extends { wave: number; unit: string; category: string; level: string; code: string; n: number | null; suppressed: boolean }>(
  rows: T[],
  minGroupSize: number,
  hidden: Set<string>
): T[] {
  for (const r of rows) if (hidden.has(`${r.wave}|${r.unit}`)) r.n = null; // counts as under the minimum
  return suppressSmallGroups(rows, minGroupSize, (r) => `${r.wave}|${r.category}|${r.level}|${r.code}`);
}

/**
 * Every section and dimension score per wave and roster unit (loaders/sql/scale_scores_by_wave_unit.sql), with the
 * change since the unit's previous wave (Welch t, finite population correction with the unit's headcount).
 */
export async function unitScaleScores(store: ReportStore, rates?: ResponseRateRow[]): Promise<UnitScoreWithChange[]> {
  const infos = scaleInfos(store.index);
  const units = new Map(store.roster.map((u) => [u.code, u]));
  const hidden = hiddenUnitWaves(rates ?? (await responseRates(store)));
  const raw = await runNamedQuery<{ wave: number; unit: string; level: "section" | "dimension"; code: string; n: number; mean: number; sd: number | null }>(
    store.conn,
    "scale_scores_by_wave_unit"
  );
  const finite = (x: number) => (Number.isFinite(x) ? x : null);
  const rows = raw.flatMap((r): UnitScoreRow[] => {
    const info = infos.get(`${r.level}|${r.code}`);
    if (!info) return [];
    const { min, max } = info.scale;
    const d = describeFromMoments(r.n, r.mean, r.sd ?? NaN);
    const ciLow = finite(d.ciLow);
    const ciHigh = finite(d.ciHigh);
    return [{
      wave: r.wave,
      unit: r.unit,
      category: units.get(r.unit)!.category,
      section: info.section,
      level: r.level,
      code: r.code,
      name: info.name,
      n: r.n,
      mean: r.mean,
      sd: finite(d.sd),
      ciLow,
      ciHigh,
      index: scaleIndex(r.mean, min, max),
      indexLow: ciLow === null ? null : scaleIndex(ciLow, min, max),
      indexHigh: ciHigh === null ? null : scaleIndex(ciHigh, min, max),
      suppressed: false
    }];
  });
  suppressUnitScores(rows, store.index.codebook.minGroupSize, hidden);
  const changed = withChanges(rows, (r) => `${r.unit}|${r.level}|${r.code}`, (r) => populationOfGroup(store, "unit", r.unit));
  return changed.map((r) => {
    const { min, max } = infos.get(`${r.level}|${r.code}`)!.scale;
    const indexChange = r.change === null ? null : (r.change / (max - min)) * 100;
    return r.suppressed
      ? { ...r, n: null, mean: null, sd: null, ciLow: null, ciHigh: null, index: null, indexLow: null, indexHigh: null, indexChange }
      : { ...r, indexChange };
  });
}

/** One wave of a scale on a unit page; a wave without (enough) respondents is suppressed, with null numbers. */
export interface UnitPagePoint {
  wave: number;
  n: number | null;
  index: number | null;
  /** The 95% t interval of the index. */
  low: number | null;
  high: number | null;
  /**
   * Change of the index since the unit's previous published wave (the nearest earlier point that is not suppressed:
   * a unit-wave without respondents has no figure to compare with), and whether it is significant.
   */
  change: number | null;
  significant: boolean | null;
  suppressed: boolean;
  /** The same scale's index for the unit's category and for all respondents (null when suppressed). */
  category: number | null;
  all: number | null;
}

/** A scale shown on a unit page: every section, and the dimensions of the focus section (原因剖析). */
export interface UnitPageScale {
  level: "section" | "dimension";
  code: string;
  name: string;
  section: string;
  direction: "higher_is_better" | "higher_is_worse";
  points: UnitPagePoint[];
}

export interface UnitPageResponse {
  wave: number;
  n: number | null;
  rate: number | null;
  rateLow: number | null;
  rateHigh: number | null;
  suppressed: boolean;
}

export interface UnitPageAssessment {
  year: number;
  partyBuilding: number | null;
  business: number | null;
  processWeightShare: number | null;
  /** Means of the category's units' totals that year. */
  categoryPartyBuilding: number | null;
  categoryBusiness: number | null;
}

export interface UnitPage {
  unit: { code: string; name: string; category: string; headcount: number };
  waves: number[];
  minGroupSize: number;
  changeTest: string;
  refreshedAt: string;
  responses: UnitPageResponse[];
  scales: UnitPageScale[];
  assessment: UnitPageAssessment[];
}

/**
 * Every roster unit's page, in roster order. `focusSection` names the section whose dimensions are shown besides
 * the section totals (the loader passes 原因剖析's code, as the causes loaders do). `assessment` moves the
 * assessment files (registerAssessment's options; default data/assessment/scores.csv and data/indicators.json).
 */
export async function unitPages(store: ReportStore, focusSection: string, assessment: { scores?: string; indicators?: string } = {}): Promise<UnitPage[]> {
  const { codebook } = store.index;
  const focus = codebook.sections.find((s) => s.code === focusSection);
  if (!focus) throw new Error(`码本中没有部分 ${focusSection}`);
  const waves = wavesOf(store.manifest);
  const infos = scaleInfos(store.index);
  const shown = [
    ...codebook.sections.map((s) => ({ level: "section" as const, code: s.code })),
    ...focus.dimensions.map((d) => ({ level: "dimension" as const, code: d.code }))
  ].flatMap((s) => {
    const info = infos.get(`${s.level}|${s.code}`);
    return info ? [{ level: s.level, code: s.code, name: info.name, section: info.section, direction: info.direction }] : [];
  });

  const rates = await responseRates(store);
  const unitScores = await unitScaleScores(store, rates);
  const unitScore = new Map(unitScores.map((r) => [`${r.wave}|${r.unit}|${r.level}|${r.code}`, r]));

  // The comparison groups: all respondents and each unit category, from the section marts.
  const groupIndex = new Map<string, number | null>();
  for (const section of new Set(shown.map((s) => s.section))) {
    for (const r of await scaleScores(store, section)) {
      if (r.grouping !== "all" && r.grouping !== "unit_category") continue;
      if (r.level === "subdimension") continue;
      groupIndex.set(`${r.wave}|${r.grouping === "all" ? "" : r.group}|${r.level}|${r.code}`, r.suppressed ? null : r.index);
    }
  }

  await registerAssessment(store, assessment);
  const totals = await assessmentTotals(store);
  const categoryMean = (year: number, category: string, pick: (t: (typeof totals)[number]) => number | null) => {
    const values = totals.filter((t) => t.year === year && t.category === category).map(pick).filter((v): v is number => v !== null);
    return values.length ? mean(values) : null;
  };

  return store.roster.map((u): UnitPage => ({
    unit: { code: u.code, name: u.name, category: u.category, headcount: u.headcount },
    waves,
    minGroupSize: codebook.minGroupSize,
    changeTest: CHANGE_TEST,
    refreshedAt: store.manifest.updatedAt,
    responses: waves.map((wave) => {
      const r = rates.find((x) => x.level === "unit" && x.wave === wave && x.code === u.code);
      return r && !r.suppressed
        ? { wave, n: r.n, rate: r.rate, rateLow: r.rateLow, rateHigh: r.rateHigh, suppressed: false }
        : { wave, n: null, rate: null, rateLow: null, rateHigh: null, suppressed: true };
    }),
    scales: shown.map((s) => ({
      ...s,
      points: waves.map((wave): UnitPagePoint => {
        const r = unitScore.get(`${wave}|${u.code}|${s.level}|${s.code}`);
        const usable = r !== undefined && !r.suppressed;
        return {
          wave,
          n: usable ? r.n : null,
          index: usable ? r.index : null,
          low: usable ? r.indexLow : null,
          high: usable ? r.indexHigh : null,
          change: usable ? r.indexChange : null,
          significant: usable ? r.changeSignificant : null,
          suppressed: !usable,
          category: groupIndex.get(`${wave}|${u.category}|${s.level}|${s.code}`) ?? null,
          all: groupIndex.get(`${wave}||${s.level}|${s.code}`) ?? null
        };
      })
    })),
    assessment: totals
      .filter((t) => t.unit === u.code)
      .map((t) => ({
        year: t.year,
        partyBuilding: t.partyBuilding,
        business: t.business,
        processWeightShare: t.processWeightShare,
        categoryPartyBuilding: categoryMean(t.year, u.category, (x) => x.partyBuilding),
        categoryBusiness: categoryMean(t.year, u.category, (x) => x.business)
      }))
  }));
}

export interface UnitDirectoryEntry {
  code: string;
  name: string;
  category: string;
  headcount: number;
  responses: { wave: number; n: number | null; rate: number | null; suppressed: boolean }[];
}

/** The roster by category with every unit's response rate per wave, for the units index page (各单位). */
export async function unitDirectory(store: ReportStore) {
  const waves = wavesOf(store.manifest);
  const rates = await responseRates(store);
  const pick = (level: ResponseRateRow["level"], code: string) =>
    waves.map((wave) => {
      const r = rates.find((x) => x.level === level && x.wave === wave && x.code === code);
      return r && !r.suppressed ? { wave, n: r.n, rate: r.rate, suppressed: false } : { wave, n: null, rate: null, suppressed: true };
    });
  const categories = [...new Set(store.roster.map((u) => u.category))];
  return {
    waves,
    minGroupSize: store.index.codebook.minGroupSize,
    refreshedAt: store.manifest.updatedAt,
    all: { headcount: store.roster.reduce((s, u) => s + u.headcount, 0), responses: pick("all", "全体") },
    categories: categories.map((category) => {
      const units = store.roster.filter((u) => u.category === category);
      return {
        name: category,
        headcount: units.reduce((s, u) => s + u.headcount, 0),
        responses: pick("unit_category", category),
        units: units.map((u): UnitDirectoryEntry => ({ code: u.code, name: u.name, category, headcount: u.headcount, responses: pick("unit", u.code) }))
      };
    })
  };
}
