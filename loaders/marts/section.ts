// The marts of one questionnaire section (原因剖析, 存在问题 …): scale scores and item distributions per wave and
// breakdown group, with their statistics and anonymity applied. Loaders only serialize what these return.
import { describeFromMoments, scaleIndex } from "../stats/descriptives.ts";
import { wilsonInterval } from "../stats/proportions.ts";
import type { Scale } from "../codebook/schema.ts";
import { suppressSmallGroups } from "./anonymity.ts";
import { CHANGE_TEST, withChanges, type ChangeFields } from "./change.ts";
import type { ReportStore } from "./open.ts";
import { runNamedQuery } from "./sql.ts";

export type ScaleLevel = "section" | "dimension" | "subdimension";

export interface ScaleScoreRow {
  wave: number;
  grouping: string;
  group: string;
  level: ScaleLevel;
  code: string;
  name: string;
  /** The dimension a sub-dimension belongs to (a dimension's own code; null for the section). */
  dimension: string | null;
  n: number | null;
  mean: number | null;
  sd: number | null;
  ciLow: number | null;
  ciHigh: number | null;
  /** 0–100: (mean − scale min) / (scale max − scale min) · 100. */
  index: number | null;
  /** Share of respondents whose scale score is at or above the scale's agreeFrom, with a Wilson interval. */
  agreeShare: number | null;
  agreeLow: number | null;
  agreeHigh: number | null;
  suppressed: boolean;
}

export interface ItemDistributionRow {
  wave: number;
  grouping: string;
  group: string;
  code: string;
  text: string;
  dimension: string;
  subdimension: string;
  reverse: boolean;
  n: number | null;
  /** Respondents per raw score, scale min..max; null when suppressed. */
  counts: number[] | null;
  suppressed: boolean;
}

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

/** The scale a scale score is on: that of its first item (a codebook keeps one scale per section). */
function scaleOfCode(store: ReportStore, level: ScaleLevel, code: string): Scale {
  const item = store.index.likert.find((q) => {
    const sd = store.index.subdimension.get(q.subdimension)!;
    return level === "subdimension" ? sd.code === code : level === "dimension" ? sd.dimension === code : sd.section === code;
  });
  if (!item) throw new Error(`${level} ${code} has no Likert item`);
  return store.index.scaleOf(item);
}

/** Population (roster headcount) of a breakdown group, for the finite population correction; undefined when unknown. */
export function populationOfGroup(store: ReportStore, grouping: string, group: string): number | undefined {
  const sum = (units: typeof store.roster) => (units.length ? units.reduce((s, u) => s + u.headcount, 0) : undefined);
  if (grouping === "all") return sum(store.roster);
  if (grouping === "unit_category") return sum(store.roster.filter((u) => u.category === group));
  if (grouping === "unit") return sum(store.roster.filter((u) => u.code === group));
  return undefined;
}

export type ScaleScoreWithChange = ScaleScoreRow & ChangeFields & { indexChange: number | null };

export async function scaleScores(store: ReportStore, section: string): Promise<ScaleScoreWithChange[]> {
  const s = sectionOf(store, section);
  const names = new Map<string, { name: string; dimension: string | null }>([[s.code, { name: s.name, dimension: null }]]);
  for (const d of s.dimensions) {
    names.set(d.code, { name: d.name, dimension: d.code });
    for (const sd of d.subdimensions) names.set(sd.code, { name: sd.name, dimension: d.code });
  }
  const raw = await runNamedQuery<{ wave: number; grouping: string; group: string; level: ScaleLevel; code: string; n: number; mean: number; sd: number | null; n_agree: number }>(
    store.conn,
    "scale_scores_by_wave_group",
    { section }
  );
  const rows = raw.map((r): ScaleScoreRow => {
    const scale = scaleOfCode(store, r.level, r.code);
    const d = describeFromMoments(r.n, r.mean, r.sd ?? NaN);
    const agree = wilsonInterval(r.n_agree, r.n);
    const finite = (x: number) => (Number.isFinite(x) ? x : null);
    return {
      wave: r.wave,
      grouping: r.grouping,
      group: r.group,
      level: r.level,
      code: r.code,
      ...names.get(r.code)!,
      n: r.n,
      mean: r.mean,
      sd: finite(d.sd),
      ciLow: finite(d.ciLow),
      ciHigh: finite(d.ciHigh),
      index: scaleIndex(r.mean, scale.min, scale.max),
      agreeShare: agree.share,
      agreeLow: agree.low,
      agreeHigh: agree.high,
      suppressed: false
    };
  });
  suppressSmallGroups(rows, store.index.codebook.minGroupSize, (r) => `${r.wave}|${r.grouping}|${r.level}|${r.code}`);
  const changed = withChanges(rows, (r) => `${r.grouping}|${r.group}|${r.level}|${r.code}`, (r) => populationOfGroup(store, r.grouping, r.group));
  return changed.map((r) => {
    const scale = scaleOfCode(store, r.level, r.code);
    const indexChange = r.change === null ? null : (r.change / (scale.max - scale.min)) * 100;
    return r.suppressed
      ? { ...r, n: null, mean: null, sd: null, ciLow: null, ciHigh: null, index: null, agreeShare: null, agreeLow: null, agreeHigh: null, indexChange }
      : { ...r, indexChange };
  });
}

export async function itemDistributions(store: ReportStore, section: string): Promise<ItemDistributionRow[]> {
  sectionOf(store, section);
  const raw = await runNamedQuery<{ wave: number; grouping: string; group: string; question: string; score: number; n: number }>(
    store.conn,
    "item_distribution_by_wave_group",
    { section }
  );
  const byCell = new Map<string, ItemDistributionRow>();
  for (const r of raw) {
    const key = `${r.wave}|${r.grouping}|${r.group}|${r.question}`;
    let row = byCell.get(key);
    if (!row) {
      const q = store.index.likert.find((i) => i.code === r.question)!;
      const scale = store.index.scaleOf(q);
      row = {
        wave: r.wave,
        grouping: r.grouping,
        group: r.group,
        code: q.code,
        text: q.text,
        dimension: store.index.subdimension.get(q.subdimension)!.dimension,
        subdimension: q.subdimension,
        reverse: q.reverse,
        n: 0,
        counts: new Array(scale.max - scale.min + 1).fill(0),
        suppressed: false
      };
      byCell.set(key, row);
    }
    const scale = store.index.scaleOf(store.index.likert.find((i) => i.code === r.question)!);
    row.counts![r.score - scale.min] += r.n;
    row.n! += r.n;
  }
  const rows = [...byCell.values()];
  suppressSmallGroups(rows, store.index.codebook.minGroupSize, (r) => `${r.wave}|${r.grouping}|${r.code}`);
  return rows.map((r) => (r.suppressed ? { ...r, n: null, counts: null } : r));
}

/** Waves, breakdowns with their groups in codebook order, names and the scale, for the page's inputs and labels. */
export async function sectionMeta(store: ReportStore, section: string) {
  const s = sectionOf(store, section);
  const { codebook } = store.index;
  const groups = await runNamedQuery<{ grouping: string; group: string }>(store.conn, "groups_by_grouping");
  const attributeNames = new Map(codebook.questions.flatMap((q) => (q.attribute ? [[q.attribute, q.attributeName ?? q.text] as const] : [])));
  const groupingNames: Record<string, string> = { all: "全体", unit_category: "单位类别" };
  const keys = ["all", ...codebook.questions.flatMap((q) => (q.attribute && q.attribute !== "unit" ? [q.attribute] : [])), "unit_category"];
  const groupings: Grouping[] = keys
    .map((key) => ({
      key,
      name: groupingNames[key] ?? attributeNames.get(key) ?? key,
      groups: groups.filter((g) => g.grouping === key).map((g) => g.group)
    }))
    .filter((g) => g.groups.length > 0);
  const scale = scaleOfCode(store, "section", section);
  const waves = [...new Set(store.manifest.files.filter((f) => f.accepted > 0).map((f) => f.wave))].sort((a, b) => a - b);
  return {
    codebook: { id: codebook.id, version: codebook.version, title: codebook.title },
    minGroupSize: codebook.minGroupSize,
    waves,
    scale: { min: scale.min, max: scale.max, labels: scale.labels, agreeFrom: scale.agreeFrom },
    section: { code: s.code, name: s.name, direction: s.direction },
    dimensions: s.dimensions.map((d) => ({ code: d.code, name: d.name, summary: d.summary ?? null, subdimensions: d.subdimensions.map((sd) => ({ code: sd.code, name: sd.name })) })),
    groupings,
    refreshedAt: store.manifest.updatedAt,
    changeTest: CHANGE_TEST,
    sources: store.manifest.files.map((f) => ({ name: f.name, sha256: f.sha256, wave: f.wave, accepted: f.accepted, quarantined: f.quarantined }))
  };
}
