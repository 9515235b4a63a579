// Which groups the site may show, decided once per wave and used by every mart, page and published file.
//
// The promise to respondents: no figure about fewer than minGroupSize (k) people is published, and none can be derived
// from what is published, alone or combined. Attackers subtract: a category's figure minus the figures of its visible
// units is the figure of its hidden units together; the whole minus every visible answer of an attribute (身份 …) is
// that of the hidden answers and of those who skipped the question. So the rule is about partitions, not cells:
//
//   1. a group is shown only when every figure published about it rests on at least k people (its `floor`, see
//      pipeline/db/sql/group_sizes_by_wave.sql);
//   2. in every partition of a shown total — units of a category, categories of the whole, the answers of an attribute
//      of the whole (with those who skipped it) — the hidden parts together hold no one, or at least k people behind
//      every figure; and for units and categories, at least two parts with respondents, so that the pool is never one
//      unit's own figure;
//   3. a hidden category hides all its units; a hidden whole hides the wave.
// When rule 2 fails, the smallest shown part joins the hidden ones, until it holds. Each shown group publishes one
// count (its counted respondents): two counts that differ by the few left out would be a figure about those few.
// The same pattern is applied by every mart, so that no table shows what another hides.
import type { CodebookIndex } from "../codebook/load.ts";
import type { RosterUnit } from "../codebook/schema.ts";
import type { ReportStore } from "../db/report-store.ts";
import { runNamedQuery } from "../db/named-sql.ts";
import { ALL, ALL_GROUP, UNIT, UNIT_CATEGORY } from "../contracts/common.ts";
import { GROUP_SIZE_ROW } from "../db/rows.ts";
import { NestedMap3 } from "../io/nested-map.ts";
import { perStore } from "./per-store.ts";

export interface GroupSize {
  wave: number;
  grouping: string;
  /** null: the respondents who did not answer the attribute (only for attribute groupings). */
  group: string | null;
  /** Respondents who count (not excluded by quality rules). */
  counted: number;
  /** The fewest people behind any figure published for the group. */
  floor: number;
}

/** The groups a grouping can have, in display order: every roster unit and category, every option of an attribute. */
export interface GroupUniverse {
  categories: string[];
  units: RosterUnit[];
  /** Attribute grouping → its options' labels, in codebook order. */
  attributes: Map<string, string[]>;
}

export interface HiddenPool {
  wave: number;
  category: string;
  /** Every hidden unit of a shown category, in roster order (their respondents together: none, or at least k). */
  units: string[];
  counted: number;
}

export { ALL, ALL_GROUP, UNIT, UNIT_CATEGORY };

export interface SuppressionPattern {
  minGroupSize: number;
  waves: number[];
  universe: GroupUniverse;
  /** Whether every figure of this group may be shown in this wave. */
  shows(wave: number, grouping: string, group: string): boolean;
  /** The one published count of a shown group (its counted respondents); null when hidden. */
  count(wave: number, grouping: string, group: string): number | null;
  /** The hidden units of each shown category, pooled (本类其他单位): derivable as the category minus its shown units. */
  pools: HiddenPool[];
}

/** The group of those who skipped an attribute (group null) in a NestedMap3 key. */
const SKIPPED = "\u0000";

interface Part {
  name: string;
  counted: number;
  floor: number;
}

/**
 * The shown parts of one partition of a shown total. `residual` is a part that is never shown (those who skipped an
 * attribute); `minHiddenWithPeople` is how many hidden parts with respondents a non-empty pool needs.
 */
export function showParts(
  parts: Part[],
  k: number,
  options: { residual?: Omit<Part, "name">; minHiddenWithPeople?: number } = {}
): Set<string> {
  const residual = options.residual ?? { counted: 0, floor: 0 };
  const minWithPeople = options.minHiddenWithPeople ?? 1;
  const shown = parts.filter((p) => p.floor >= k);
  const hidden = parts.filter((p) => p.floor < k);
  const poolHolds = () => {
    const people = residual.counted + hidden.reduce((s, p) => s + p.counted, 0);
    if (people === 0) return true;
    const floor = residual.floor + hidden.reduce((s, p) => s + p.floor, 0);
    const withPeople = (residual.counted > 0 ? 1 : 0) + hidden.filter((p) => p.counted > 0).length;
    return floor >= k && withPeople >= minWithPeople;
  };
  while (!poolHolds() && shown.length > 0) {
    // The smallest shown part joins the pool (ties: the later one in display order, so the first stay).
    let smallest = shown.length - 1;
    for (let i = shown.length - 2; i >= 0; i--) if (shown[i].floor < shown[smallest].floor) smallest = i;
    hidden.push(...shown.splice(smallest, 1));
  }
  return new Set(shown.map((p) => p.name));
}

/** Decides the pattern of every wave from the group sizes (rows of group_sizes_by_wave.sql). */
export function decideSuppression(
  sizes: readonly GroupSize[],
  universe: GroupUniverse,
  minGroupSize: number
): SuppressionPattern {
  const k = minGroupSize;
  const size = new NestedMap3<GroupSize>();
  for (const s of sizes) size.set(s, s.wave, s.grouping, s.group ?? SKIPPED);
  const sizeOf = (wave: number, grouping: string, group: string | null) =>
    size.get(wave, grouping, group ?? SKIPPED) ?? { counted: 0, floor: 0 };
  const part = (wave: number, grouping: string, name: string): Part => ({
    name,
    ...pick(sizeOf(wave, grouping, name))
  });
  const waves = [...new Set(sizes.map((s) => s.wave))].sort((a, b) => a - b);
  const shown = new NestedMap3<number>(); // each shown group's count
  const pools: HiddenPool[] = [];

  for (const wave of waves) {
    const all = sizeOf(wave, ALL, ALL_GROUP);
    if (all.floor < k) continue;
    shown.set(all.counted, wave, ALL, ALL_GROUP);

    const categories = showParts(
      universe.categories.map((c) => part(wave, UNIT_CATEGORY, c)),
      k,
      { minHiddenWithPeople: 2 }
    );
    for (const category of categories) {
      shown.set(sizeOf(wave, UNIT_CATEGORY, category).counted, wave, UNIT_CATEGORY, category);
      const units = universe.units.filter((u) => u.category === category).map((u) => part(wave, UNIT, u.code));
      const visible = showParts(units, k, { minHiddenWithPeople: 2 });
      for (const unit of visible) shown.set(sizeOf(wave, UNIT, unit).counted, wave, UNIT, unit);
      // The pool names every hidden unit, with respondents or not: which of them answered is itself a count.
      const hidden = units.filter((u) => !visible.has(u.name));
      if (hidden.length)
        pools.push({
          wave,
          category,
          units: hidden.map((u) => u.name),
          counted: hidden.reduce((s, u) => s + u.counted, 0)
        });
    }

    for (const [grouping, options] of universe.attributes) {
      const residual = pick(sizeOf(wave, grouping, null));
      for (const option of showParts(
        options.map((o) => part(wave, grouping, o)),
        k,
        { residual }
      ))
        shown.set(sizeOf(wave, grouping, option).counted, wave, grouping, option);
    }
  }

  return {
    minGroupSize,
    waves,
    universe,
    shows: (wave, grouping, group) => shown.get(wave, grouping, group) !== undefined,
    count: (wave, grouping, group) => shown.get(wave, grouping, group) ?? null,
    pools
  };
}

const pick = (s: { counted: number; floor: number }) => ({ counted: s.counted, floor: s.floor });

// ---------------------------------------------------------------------------------------------------------------------
// The pattern of a report store, computed once per store and shared by every mart that store feeds.

/** The groups of the codebook's attributes (身份, 年限 …) and of the roster, in display order. */
export function groupUniverse(
  index: CodebookIndex,
  roster: readonly RosterUnit[],
  sizes: readonly GroupSize[] = []
): GroupUniverse {
  const attributes = new Map<string, string[]>();
  for (const a of index.attributes) {
    if (a.attribute === UNIT) continue;
    const q = index.codebook.questions.find((x) => x.code === a.question);
    const listed =
      q && (q.type === "single" || q.type === "multiple") && Array.isArray(q.options)
        ? q.options.map((o) => o.label)
        : [];
    // An attribute without listed options (a number, a fill-in) groups by the answers given, in sorted order.
    const seen = sizes.filter((s) => s.grouping === a.attribute && s.group !== null).map((s) => s.group!);
    attributes.set(a.attribute, [
      ...new Set([...listed, ...[...new Set(seen)].filter((g) => !listed.includes(g)).sort()])
    ]);
  }
  return { categories: [...new Set(roster.map((u) => u.category))], units: [...roster], attributes };
}

// Once per opened store (perStore): every later caller also records the query's inputs (io/trace.ts), so that each
// data file made from the pattern is known to depend on them, and a failure is not kept.
const patternOf = perStore(async (store: ReportStore, _all: "every wave") => {
  const sizes = await runNamedQuery(store.conn, "group_sizes_by_wave", GROUP_SIZE_ROW);
  return decideSuppression(sizes, groupUniverse(store.index, store.roster, sizes), store.index.codebook.minGroupSize);
});

export function suppressionPattern(store: ReportStore): Promise<SuppressionPattern> {
  return patternOf(store, "every wave");
}
