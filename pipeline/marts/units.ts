// The unit marts (各单位): scale scores per wave and roster unit, and each unit's page (its section and cause
// indices against its category and the whole, its trend, response count and assessment totals). Every roster unit
// has every wave; which unit-waves are shown is the wave's suppression pattern (suppression.ts), the same one the
// response rates, the section marts and the assessment link use, so no file shows what another hides.
import { mean } from "../stats/basics.ts";
import { scaleIndex } from "../stats/descriptives.ts";
import { DIGITS, round } from "../contracts/precision.ts";
import type {
  UnitDirectory,
  UnitDirectoryLatest,
  UnitPage,
  UnitPagePoint,
  UnitPageScale,
  UnitScoreRow
} from "../contracts/units.ts";
import { assessmentTotals } from "./assessment.ts";
import { changePsOf, changeTest, familyVerdicts, type Tested } from "./wave-changes.ts";
import type { ReportStore } from "../db/report-store.ts";
import { perStore } from "./per-store.ts";
import { responseRates } from "./response-rates.ts";
import { unitScaleSums, unitVerdictsByWaveScale } from "./unit-verdicts.ts";
import { scaleInfos, wavesOf, type ScaleInfo } from "../codebook/scales.ts";
import { populationOfGroup, ratioOf, scaleScores } from "./section.ts";
import { ALL, ALL_GROUP, suppressionPattern, UNIT } from "./suppression.ts";
import { NestedMap4 } from "../io/nested-map.ts";

export type { UnitDirectory, UnitPage, UnitPagePoint, UnitPageScale, UnitScoreRow };
/** A unit score row carries its change since the unit's previous shown wave. */
export type UnitScoreWithChange = UnitScoreRow;

/** A unit score row before its change verdict, with the test's raw p. */
export type UnitScoreTest = Tested<Omit<UnitScoreRow, "changeSignificant">>;

/**
 * The section whose indices lead the overview and whose dimensions a unit's page details (原因剖析): one constant for
 * the data files, the unit files beside the build and the preview's units archive, which must ask the units' query
 * for the same section (a second section would compute and hold its sums twice).
 */
export const FOCUS_SECTION = "causes";

/**
 * The scales a unit's page shows (unitPages): every section in codebook order, then the dimensions of `focusSection`.
 * The unit marts score and test these only. The other sections' dimensions were scored and tested for every unit and
 * wave and published nowhere: about 2 s and 0.4 GB of the warm pass at 1 M (docs/scale.md).
 */
function unitPageScales(store: ReportStore, focusSection: string): ScaleInfo[] {
  const { codebook } = store.index;
  const focus = codebook.sections.find((s) => s.code === focusSection);
  if (!focus) throw new Error(`码本中没有部分 ${focusSection}`);
  const infos = scaleInfos(store.index);
  return [
    ...codebook.sections.map((s) => infos.get(`section|${s.code}`)),
    ...focus.dimensions.map((d) => infos.get(`dimension|${d.code}`))
  ].filter((info): info is ScaleInfo => info !== undefined);
}

/**
 * Each unit's page scales (unitPageScales: every section, the focus section's dimensions) per wave and roster unit
 * (pipeline/db/sql/scale_scores_by_wave_unit.sql), with the change since the unit's previous shown wave
 * (wave-changes.ts; the unit's headcount is N when the codebook asks for the finite population correction) and the
 * verdicts decided within each unit's rows (Benjamini–Hochberg): the family of the unit's page (unitPages).
 */
export async function unitScaleScores(store: ReportStore, focusSection: string): Promise<UnitScoreRow[]> {
  const tests = await unitScaleScoreTests(store, focusSection);
  const byUnit = new Map<string, number[]>();
  tests.forEach((t, i) => (byUnit.get(t.row.unit) ?? byUnit.set(t.row.unit, []).get(t.row.unit)!).push(i));
  const out = new Array<UnitScoreRow>(tests.length);
  for (const indices of byUnit.values()) {
    const verdicts = familyVerdicts(indices.map((i) => tests[i]));
    indices.forEach((i, k) => (out[i] = withVerdict(tests[i].row, verdicts[k])));
  }
  return out;
}

/** A unit score row with its verdict, written out field by field (wave-changes.ts · changesOf: why not by spread). */
function withVerdict(r: UnitScoreTest["row"], changeSignificant: boolean | null): UnitScoreRow {
  return {
    wave: r.wave,
    unit: r.unit,
    category: r.category,
    section: r.section,
    level: r.level,
    code: r.code,
    name: r.name,
    n: r.n,
    index: r.index,
    indexLow: r.indexLow,
    indexHigh: r.indexHigh,
    suppressed: r.suppressed,
    previousWave: r.previousWave,
    indexChange: r.indexChange,
    changeP: r.changeP,
    changeSignificant
  };
}

// Module functions, not closures made per row: tsx names each closure it makes (esbuild's keepNames), 280,000 times
// at 5,000 units.
const toIndex = (x: number, min: number, max: number) =>
  Number.isFinite(x) ? round(scaleIndex(x, min, max), DIGITS.index) : null;
const toIndexChange = (x: number | null, min: number, max: number) =>
  x === null ? null : round((x / (max - min)) * 100, DIGITS.index);

/** unitScaleScores' rows with their change tests' raw p, for a page that decides its own family's verdicts. */
export const unitScaleScoreTests = perStore(
  async (store: ReportStore, focusSection: string): Promise<UnitScoreTest[]> => {
    const pattern = await suppressionPattern(store);
    const scales = unitPageScales(store, focusSection);
    const raw = await unitScaleSums(store, focusSection, scales);
    const found = new NestedMap4<(typeof raw)[number]>();
    for (const r of raw) found.set(r, r.wave, r.unit, r.level, r.code);
    const summaries = wavesOf(store.manifest).flatMap((wave) =>
      store.roster.flatMap((u) =>
        scales.map((info) => {
          const r = found.get(wave, u.code, info.level, info.code);
          const shown = r !== undefined && pattern.shows(wave, UNIT, u.code);
          const ratio = shown ? ratioOf(r) : null;
          return {
            wave,
            unit: u.code,
            category: u.category,
            info,
            n: shown ? r.n : null,
            mean: ratio?.mean ?? null,
            sd: ratio && Number.isFinite(ratio.sd) ? ratio.sd : null,
            ratio,
            suppressed: !shown
          };
        })
      )
    );
    const changes = changePsOf(
      summaries,
      (r) => `${r.unit}|${r.info.level}|${r.info.code}`,
      (r) => populationOfGroup(store, UNIT, r.unit),
      store.index.codebook.inference
    );
    // Each row written out field by field: at 5,000 units these are 280,000 rows (wave-changes.ts · changesOf says why
    // not by spread).
    return summaries.map((r, i): UnitScoreTest => {
      const c = changes[i];
      const { info } = r;
      const { min, max } = info.scale;
      // A hidden unit-wave carries nothing but its place (hiddenRowsCarryNothing).
      const d = r.suppressed || r.n === null ? null : r.ratio;
      return {
        p: d ? c.changeP : null,
        row: {
          wave: r.wave,
          unit: r.unit,
          category: r.category,
          section: info.section,
          level: info.level as "section" | "dimension",
          code: info.code,
          name: info.name,
          n: d ? pattern.count(r.wave, UNIT, r.unit) : null,
          index: d ? toIndex(d.mean, min, max) : null,
          indexLow: d ? toIndex(d.ciLow, min, max) : null,
          indexHigh: d ? toIndex(d.ciHigh, min, max) : null,
          suppressed: !d,
          previousWave: d ? c.previousWave : null,
          indexChange: d ? toIndexChange(c.change, min, max) : null,
          changeP: d ? round(c.changeP, DIGITS.p) : null
        }
      };
    });
  }
);

/**
 * Every roster unit's page, in roster order. `focusSection` names the section whose dimensions are shown besides
 * the section totals (the loader passes 原因剖析's code, as the causes loaders do). The assessment totals come from the
 * files the store was opened with (openReportStore's options). Computed once per store and focus section: the units
 * index and the unit reports of one pass share them (callers only read them).
 */
export const unitPages: (store: ReportStore, focusSection: string) => Promise<UnitPage[]> = perStore(computeUnitPages);

async function computeUnitPages(store: ReportStore, focusSection: string): Promise<UnitPage[]> {
  const { codebook } = store.index;
  const waves = wavesOf(store.manifest);
  const scales = unitPageScales(store, focusSection);
  const shown = scales.map((info) => ({
    level: info.level as "section" | "dimension",
    code: info.code,
    name: info.name,
    section: info.section,
    direction: info.direction
  }));

  const rates = new Map((await responseRates(store)).map((r) => [`${r.wave}|${r.level}|${r.code}`, r]));
  const verdicts = await unitVerdictsByWaveScale(store, focusSection, waves, scales);
  // Each unit page's family of change verdicts: every change the page shows (its scales in every wave).
  const families = new Map<string, UnitScoreTest[]>();
  for (const t of await unitScaleScoreTests(store, focusSection))
    (families.get(t.row.unit) ?? families.set(t.row.unit, []).get(t.row.unit)!).push(t);
  const unitScore = new NestedMap4<{ row: UnitScoreTest["row"]; significant: boolean | null }>();
  for (const family of families.values()) {
    const verdicts = familyVerdicts(family);
    family.forEach(({ row }, k) =>
      unitScore.set({ row, significant: verdicts[k] }, row.wave, row.unit, row.level, row.code)
    );
  }

  // The comparison groups: all respondents and each unit category, from the section marts.
  const groupIndex = new NestedMap4<number | null>(); // by wave, category ("" for all), level and code
  for (const section of new Set(shown.map((s) => s.section))) {
    for (const r of await scaleScores(store, section)) {
      if (r.grouping !== "all" && r.grouping !== "unit_category") continue;
      if (r.level === "subdimension") continue;
      groupIndex.set(r.suppressed ? null : r.index, r.wave, r.grouping === "all" ? "" : r.group, r.level, r.code);
    }
  }

  const totals = await assessmentTotals(store);
  type Total = (typeof totals)[number];
  const push = <K, V>(map: Map<K, V[]>, key: K, value: V) => (map.get(key) ?? map.set(key, []).get(key)!).push(value);
  const byYearCategory = new Map<string, Total[]>();
  const totalsOf = new Map<string, Total[]>();
  for (const t of totals) {
    push(byYearCategory, `${t.year}|${t.category}`, t);
    push(totalsOf, t.unit, t);
  }
  // Each category's mean per year, computed once (every unit of the category prints it).
  const meanOf = (list: Total[], pick: (t: Total) => number | null) => {
    const values = list.map(pick).filter((v): v is number => v !== null);
    return values.length ? mean(values) : null;
  };
  const categoryMeans = new Map(
    [...byYearCategory].map(([key, list]) => [
      key,
      { partyBuilding: meanOf(list, (x) => x.partyBuilding), business: meanOf(list, (x) => x.business) }
    ])
  );
  const categoryMean = (year: number, category: string, pick: "partyBuilding" | "business") =>
    categoryMeans.get(`${year}|${category}`)?.[pick] ?? null;

  const refreshedAt = store.manifest.updatedAt; // read once: each read is recorded (report-store.ts)
  return store.roster.map((u): UnitPage => ({
    unit: { code: u.code, name: u.name, category: u.category, headcount: u.headcount },
    waves,
    minGroupSize: codebook.minGroupSize,
    changeTest: changeTest(codebook.inference),
    refreshedAt,
    responses: waves.map((wave) => {
      const r = rates.get(`${wave}|unit|${u.code}`);
      return r && !r.suppressed
        ? { wave, n: r.n, rate: r.rate, suppressed: false }
        : { wave, n: null, rate: null, suppressed: true };
    }),
    scales: shown.map((s) => ({
      ...s,
      points: waves.map((wave): UnitPagePoint => {
        const scored = unitScore.get(wave, u.code, s.level, s.code);
        const r = scored?.row;
        const usable = r !== undefined && !r.suppressed;
        return {
          wave,
          index: usable ? r.index : null,
          low: usable ? r.indexLow : null,
          high: usable ? r.indexHigh : null,
          change: usable ? r.indexChange : null,
          significant: usable ? scored!.significant : null,
          suppressed: !usable,
          category: groupIndex.get(wave, u.category, s.level, s.code) ?? null,
          all: groupIndex.get(wave, "", s.level, s.code) ?? null,
          versusCategory: usable ? (verdicts.get(wave, s.level, s.code, u.code) ?? null) : null
        };
      })
    })),
    assessment: (totalsOf.get(u.code) ?? []).map((t) => ({
      year: t.year,
      partyBuilding: t.partyBuilding,
      business: t.business,
      processWeightShare: t.processWeightShare,
      categoryPartyBuilding: categoryMean(t.year, u.category, "partyBuilding"),
      categoryBusiness: categoryMean(t.year, u.category, "business")
    }))
  }));
}

/**
 * The roster by category with every unit's response count and rate per wave and its focus-section index in the latest
 * wave, for the units index page (各单位). The index, its change and the change's verdict are read off the unit pages
 * (unitPages with the same `focusSection`), so the list and a unit's page always say the same.
 */
export async function unitDirectory(store: ReportStore, focusSection: string): Promise<UnitDirectory> {
  const waves = wavesOf(store.manifest);
  const pages = new Map((await unitPages(store, focusSection)).map((p) => [p.unit.code, p]));
  const focusInfo = scaleInfos(store.index).get(`section|${focusSection}`);
  if (!focusInfo) throw new Error(`码本中部分 ${focusSection} 没有量表题，无法给出指数`);
  const latestWave = waves[waves.length - 1];
  const latestOf = (code: string): UnitDirectoryLatest => {
    const scale = pages.get(code)?.scales.find((s) => s.level === "section" && s.code === focusSection);
    const p = scale?.points.find((x) => x.wave === latestWave);
    if (!scale || !p || p.suppressed || p.index === null)
      return { wave: latestWave, index: null, change: null, significant: null, previousWave: null, suppressed: true };
    const earlier = scale.points.filter((x) => x.wave < latestWave && !x.suppressed && x.index !== null);
    return {
      wave: latestWave,
      index: p.index,
      change: p.change,
      significant: p.significant,
      previousWave: earlier.length ? earlier[earlier.length - 1].wave : null,
      suppressed: false
    };
  };
  const rates = new Map((await responseRates(store)).map((r) => [`${r.wave}|${r.level}|${r.code}`, r]));
  const pick = (level: string, code: string) =>
    waves.map((wave) => {
      const r = rates.get(`${wave}|${level}|${code}`);
      return r && !r.suppressed
        ? { wave, n: r.n, rate: r.rate, suppressed: false }
        : { wave, n: null, rate: null, suppressed: true };
    });
  const pattern = await suppressionPattern(store);
  return {
    waves,
    focus: { code: focusSection, name: focusInfo.name, direction: focusInfo.direction },
    minGroupSize: store.index.codebook.minGroupSize,
    refreshedAt: store.manifest.updatedAt,
    all: { headcount: store.roster.reduce((s, u) => s + u.headcount, 0), responses: pick(ALL, ALL_GROUP) },
    categories: pattern.universe.categories.map((category) => {
      const units = store.roster.filter((u) => u.category === category);
      return {
        name: category,
        headcount: units.reduce((s, u) => s + u.headcount, 0),
        responses: pick("unit_category", category),
        units: units.map((u) => ({
          code: u.code,
          name: u.name,
          category,
          headcount: u.headcount,
          responses: pick("unit", u.code),
          latest: latestOf(u.code)
        })),
        others: waves.flatMap((wave) => {
          const r = rates.get(`${wave}|unit_pool|${category}·其他`);
          const pool = pattern.pools.find((p) => p.wave === wave && p.category === category);
          return r && pool && !r.suppressed
            ? [{ wave, units: pool.units.length, headcount: r.headcount, n: r.n, rate: r.rate }]
            : [];
        })
      };
    })
  };
}
