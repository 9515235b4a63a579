// The marts of one questionnaire section (原因剖析, 存在问题 …): scale scores and item distributions per wave and
// breakdown group, with their statistics and the wave's suppression pattern applied (suppression.ts). Every group of
// every breakdown has a row in every wave, shown or hidden, so that presence says nothing. Loaders only serialize
// what these return.
import { scaleIndex } from "../stats/descriptives.ts";
import { ratioMean, type RatioMean } from "../stats/ratio.ts";
import { wilsonInterval } from "../stats/proportions.ts";
import type { Scale } from "../codebook/schema.ts";
import { scaleInfos, wavesOf } from "../codebook/scales.ts";
import { DIGITS, round } from "../contracts/precision.ts";
import type { ItemDistributionRow, ScaleLevel, ScaleScoreRow } from "../contracts/scores.ts";
import { changeTest, withChanges, withFamilyVerdicts, type Tested } from "./wave-changes.ts";
import type { ReportStore } from "../db/report-store.ts";
import { runNamedQuery } from "../db/named-sql.ts";
import { ITEM_DISTRIBUTION_ROW, SCALE_SCORE_GROUP_ROW } from "../db/rows.ts";
import { perStore } from "./per-store.ts";
import { ALL, ALL_GROUP, suppressionPattern, UNIT_CATEGORY, type SuppressionPattern } from "./suppression.ts";

export type { ItemDistributionRow, ScaleLevel, ScaleScoreRow };
/** A score row carries its change since the previous wave (the name earlier modules use). */
export type ScaleScoreWithChange = ScaleScoreRow;

export interface Grouping {
  key: string;
  name: string;
  groups: string[];
}

function sectionOf(store: ReportStore, section: string) {
  const found = store.index.codebook.sections.find((s) => s.code === section);
  if (!found) throw new Error(`码本中没有部分 ${section}`);
  return found;
}

/** The scale a scale score is on (codebook/scales.ts: that of its first item; one scale per section). */
function scaleOfCode(store: ReportStore, level: ScaleLevel, code: string): Scale {
  const info = scaleInfos(store.index).get(`${level}|${code}`);
  if (!info) throw new Error(`${level} ${code} has no Likert item`);
  return info.scale;
}

/**
 * Population (roster headcount) of a breakdown group, for the finite population correction (only when the codebook
 * switches it on); undefined when unknown.
 */
export function populationOfGroup(store: ReportStore, grouping: string, group: string): number | undefined {
  return headcountsOf(store.roster).get(grouping === "all" ? "all" : `${grouping}|${group}`);
}

/** Roster headcount by `grouping|group` (all, each category, each unit), summed once per roster: 5,000 units asked
 * for one unit each would otherwise scan the roster once per row. */
const headcounts = new WeakMap<ReportStore["roster"], Map<string, number>>();
function headcountsOf(roster: ReportStore["roster"]): Map<string, number> {
  let sums = headcounts.get(roster);
  if (sums) return sums;
  sums = new Map<string, number>();
  const add = (key: string, n: number) => sums!.set(key, (sums!.get(key) ?? 0) + n);
  for (const u of roster) {
    add("all", u.headcount);
    add(`unit_category|${u.category}`, u.headcount);
    add(`unit|${u.code}`, u.headcount);
  }
  headcounts.set(roster, sums);
  return sums;
}

/** The breakdowns of the section pages, in display order: 全体, each attribute but the unit, 单位类别. */
export function publishedGroupings(pattern: SuppressionPattern): { key: string; groups: string[] }[] {
  return [
    { key: ALL, groups: [ALL_GROUP] },
    ...[...pattern.universe.attributes].map(([key, groups]) => ({ key, groups })),
    { key: UNIT_CATEGORY, groups: pattern.universe.categories }
  ];
}

/** Every (grouping, group) of the published breakdowns. */
function everyGroup(pattern: SuppressionPattern): { grouping: string; group: string }[] {
  return publishedGroupings(pattern).flatMap(({ key, groups }) => groups.map((group) => ({ grouping: key, group })));
}

/**
 * What the statistics need of one cell (a wave, group and scale): `n` counts the respondents with an answer to the
 * scale, `mean` is the mean of all their answers with its interval (ratioMean), `sd` the SD that gives its standard
 * error with n (what the change test takes).
 */
interface ScaleSummary {
  wave: number;
  grouping: string;
  group: string;
  level: ScaleLevel;
  code: string;
  n: number | null;
  mean: number | null;
  sd: number | null;
  ratio: RatioMean | null;
  nAgree: number;
  suppressed: boolean;
}

/** A row of the scale score queries: respondents and the sums of their answers (pipeline/stats/ratio.ts). */
export interface ScaleSums {
  n: number;
  sum_s: number;
  sum_m: number;
  sum_ss: number;
  sum_mm: number;
  sum_sm: number;
}

export const ratioOf = (r: ScaleSums): RatioMean =>
  ratioMean({ n: r.n, sumS: r.sum_s, sumM: r.sum_m, sumSS: r.sum_ss, sumMM: r.sum_mm, sumSM: r.sum_sm });

/** A section score row before its change verdict (withFamilyVerdicts decides it per page). */
export type ScaleScoreTest = Tested<Omit<ScaleScoreRow, "changeSignificant">>;

/**
 * The section's score rows (every wave, breakdown group and level), the change verdicts decided within the section
 * page's family: every change test of the section's scores file (Benjamini–Hochberg, wave-changes.ts). The overview
 * reuses these rows, so it says what the section page says about the same figure.
 */
export async function scaleScores(store: ReportStore, section: string): Promise<ScaleScoreRow[]> {
  return withFamilyVerdicts(await scaleScoreTests(store, section));
}

/** The section's score rows with their change tests' raw p, for a page that decides its own family's verdicts. */
export const scaleScoreTests = perStore(async (store: ReportStore, section: string): Promise<ScaleScoreTest[]> => {
  sectionOf(store, section); // an unknown section is refused before any query
  const pattern = await suppressionPattern(store);
  const infos = scaleInfos(store.index);
  const raw = await runNamedQuery(store.conn, "scale_scores_by_wave_group", SCALE_SCORE_GROUP_ROW, { section });
  const cellKey = (r: { wave: number; grouping: string; group: string; level: string; code: string }) =>
    `${r.wave}|${r.grouping}|${r.group}|${r.level}|${r.code}`;
  const found = new Map(raw.map((r) => [cellKey(r), r]));
  // The scales answered in each wave (in the query's order); every group gets a row for each, shown or hidden.
  const scalesByWave = new Map<number, Map<string, { level: ScaleLevel; code: string }>>();
  for (const r of raw) {
    if (!scalesByWave.has(r.wave)) scalesByWave.set(r.wave, new Map());
    scalesByWave.get(r.wave)!.set(`${r.level}|${r.code}`, { level: r.level, code: r.code });
  }
  const summaries: ScaleSummary[] = [];
  for (const [wave, scales] of scalesByWave)
    for (const { grouping, group } of everyGroup(pattern))
      for (const { level, code } of scales.values()) {
        const r = found.get(cellKey({ wave, grouping, group, level, code }));
        const shown = r !== undefined && pattern.shows(wave, grouping, group);
        const ratio = shown ? ratioOf(r) : null;
        summaries.push({
          wave,
          grouping,
          group,
          level,
          code,
          n: shown ? r.n : null,
          mean: ratio?.mean ?? null,
          sd: ratio && Number.isFinite(ratio.sd) ? ratio.sd : null,
          ratio,
          nAgree: shown ? r.n_agree : 0,
          suppressed: !shown
        });
      }
  const changed = withChanges(
    summaries,
    (r) => `${r.grouping}|${r.group}|${r.level}|${r.code}`,
    (r) => populationOfGroup(store, r.grouping, r.group),
    store.index.codebook.inference
  );
  return changed.map((r): ScaleScoreTest => {
    const info = infos.get(`${r.level}|${r.code}`)!;
    const scale = info.scale;
    const toIndex = (x: number) =>
      Number.isFinite(x) ? round(scaleIndex(x, scale.min, scale.max), DIGITS.index) : null;
    const toIndexChange = (x: number | null) =>
      x === null ? null : round((x / (scale.max - scale.min)) * 100, DIGITS.index);
    const base = {
      wave: r.wave,
      grouping: r.grouping,
      group: r.group,
      level: r.level,
      code: r.code,
      name: info.name,
      dimension: info.dimension
    };
    if (r.suppressed || r.n === null || r.ratio === null)
      return {
        p: null,
        row: {
          ...base,
          n: null,
          index: null,
          indexLow: null,
          indexHigh: null,
          agreeShare: null,
          agreeLow: null,
          agreeHigh: null,
          suppressed: true,
          previousWave: r.previousWave,
          indexChange: null,
          changeLow: null,
          changeHigh: null,
          changeP: null
        }
      };
    const d = r.ratio;
    const agree = wilsonInterval(r.nAgree, r.n);
    return {
      p: r.changeP,
      row: {
        ...base,
        n: pattern.count(r.wave, r.grouping, r.group),
        index: toIndex(d.mean),
        indexLow: toIndex(d.ciLow),
        indexHigh: toIndex(d.ciHigh),
        agreeShare: round(agree.share, DIGITS.share),
        agreeLow: round(agree.low, DIGITS.share),
        agreeHigh: round(agree.high, DIGITS.share),
        suppressed: false,
        previousWave: r.previousWave,
        indexChange: toIndexChange(r.change),
        changeLow: toIndexChange(r.changeLow),
        changeHigh: toIndexChange(r.changeHigh),
        changeP: round(r.changeP, DIGITS.p)
      }
    };
  });
});

/**
 * Every section's item distributions, one query run per opened store: each section's page and the explore file pick
 * their section's items out of it. Held here, not only by the query cache's sharing, so that the query runs once with
 * the cache off too (a loader, the bench's capture).
 */
const everySectionsItemCounts = perStore((store: ReportStore, _all: "every section") =>
  runNamedQuery(store.conn, "item_distribution_by_wave_group", ITEM_DISTRIBUTION_ROW)
);

export const itemDistributions = perStore(
  async (store: ReportStore, section: string): Promise<ItemDistributionRow[]> => {
    sectionOf(store, section);
    const pattern = await suppressionPattern(store);
    const raw = await everySectionsItemCounts(store, "every section");
    const ofSection = new Map(
      store.index.likert
        .filter((q) => store.index.subdimension.get(q.subdimension)?.section === section)
        .map((q) => [q.code, q])
    );
    const counts = new Map<string, number[]>();
    const itemsByWave = new Map<number, Set<string>>();
    for (const r of raw) {
      const q = ofSection.get(r.question);
      if (!q) continue;
      const scale = store.index.scaleOf(q);
      const key = `${r.wave}|${r.grouping}|${r.group}|${r.question}`;
      if (!counts.has(key)) counts.set(key, new Array(scale.max - scale.min + 1).fill(0));
      counts.get(key)![r.score - scale.min] += r.n;
      if (!itemsByWave.has(r.wave)) itemsByWave.set(r.wave, new Set());
      itemsByWave.get(r.wave)!.add(r.question);
    }
    const items = store.index.likert;
    const rows: ItemDistributionRow[] = [];
    for (const [wave, answered] of itemsByWave)
      for (const { grouping, group } of everyGroup(pattern))
        for (const q of items) {
          if (!answered.has(q.code)) continue;
          const c = counts.get(`${wave}|${grouping}|${group}|${q.code}`);
          const shown = c !== undefined && pattern.shows(wave, grouping, group);
          const sd = store.index.subdimension.get(q.subdimension)!;
          rows.push({
            wave,
            grouping,
            group,
            code: q.code,
            text: q.text,
            dimension: sd.dimension,
            subdimension: q.subdimension,
            reverse: q.reverse,
            n: shown ? c.reduce((a, b) => a + b, 0) : null,
            counts: shown ? c : null,
            suppressed: !shown
          });
        }
    return rows;
  }
);

/** Waves, breakdowns with their groups in codebook order, names and the scale, for the page's inputs and labels. */
export async function sectionMeta(store: ReportStore, section: string) {
  const s = sectionOf(store, section);
  const { codebook } = store.index;
  const pattern = await suppressionPattern(store);
  const attributeNames = new Map(
    codebook.questions.flatMap((q) => (q.attribute ? [[q.attribute, q.attributeName ?? q.text] as const] : []))
  );
  const groupingNames: Record<string, string> = { [ALL]: ALL_GROUP, [UNIT_CATEGORY]: "单位类别" };
  const groupings: Grouping[] = publishedGroupings(pattern)
    .map(({ key, groups }) => ({ key, name: groupingNames[key] ?? attributeNames.get(key) ?? key, groups }))
    .filter((g) => g.groups.length > 0);
  const scale = scaleOfCode(store, "section", section);
  const waves = wavesOf(store.manifest);
  return {
    codebook: { id: codebook.id, version: codebook.version, title: codebook.title },
    minGroupSize: codebook.minGroupSize,
    waves,
    scale: { min: scale.min, max: scale.max, labels: scale.labels, agreeFrom: scale.agreeFrom },
    section: { code: s.code, name: s.name, direction: s.direction },
    dimensions: s.dimensions.map((d) => ({
      code: d.code,
      name: d.name,
      summary: d.summary ?? null,
      subdimensions: d.subdimensions.map((sd) => ({
        code: sd.code,
        name: sd.name,
        ...(sd.reportName ? { reportName: sd.reportName } : {})
      }))
    })),
    groupings,
    refreshedAt: store.manifest.updatedAt,
    changeTest: changeTest(codebook.inference),
    sources: store.manifest.files.map((f) => ({
      name: f.name,
      sha256: f.sha256,
      wave: f.wave,
      accepted: f.accepted,
      quarantined: f.quarantined
    }))
  };
}
