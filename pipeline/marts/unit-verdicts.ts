// Which units differ from their peers: each shown unit's index on one scale against the rest of its unit category
// (the category without the unit), with the Benjamini–Hochberg adjustment across every unit compared, so that a
// unit is named only when the difference survives the comparison of all units at once.
// Why the rest of the category, and not all units or the category's total:
// - the total contains the unit, so a large unit pulls its benchmark towards itself and the two means are not
//   independent (pipeline/stats/unit-vs-rest.ts);
// - units of one category do comparable work (党政机关, 事业单位, 国有企业 … differ in business and in how their party
//   organisations are set up), and the unit pages already show each unit beside its category: a unit is not called
//   lagging for the kind of unit it is;
// - the rest is the category's other units, shown or hidden, from the store; it is never published (category minus
//   unit is derivable), only the verdict and the adjusted p are.
// The test is Welch's on the ratio means (pipeline/stats/ratio.ts; sums are additive, so the rest's sums are the
// category's minus the unit's), model-based (no finite population correction: respondents chose to answer).
import type { ScaleInfo } from "../codebook/scales.ts";
import { DIGITS, round } from "../contracts/precision.ts";
import type { ReportStore } from "../db/report-store.ts";
import { runNamedQuery } from "../db/named-sql.ts";
import { SCALE_SCORE_UNIT_ROW } from "../db/rows.ts";
import { welchTestP } from "../stats/change.ts";
import { adjustTests } from "../stats/multiplicity.ts";
import { ratioOf, type ScaleSums } from "./section.ts";
import { suppressionPattern, UNIT, type SuppressionPattern } from "./suppression.ts";
import type { z } from "zod";
import { NestedMap3, NestedMap4 } from "../io/nested-map.ts";
import { perStore } from "./per-store.ts";

/** The false discovery rate held across the units of one page. */
export const UNIT_COMPARISON_FDR = 0.05;

/** How the site describes the comparison (shown on the pages beside the verdicts). */
export const UNIT_COMPARISON_TEST =
  "各单位与本类别其他单位（同类单位中除本单位以外的全部答卷）比较，Welch t 检验，按 Benjamini–Hochberg 方法对全部参与比较的单位作多重比较校正，错误发现率 5%";

/** worse/better: the unit differs from the rest of its category after the adjustment, in the scale's sense of better. */
export type UnitVerdictKind = "worse" | "better" | "not_different";

export interface UnitVerdict {
  unit: string;
  category: string;
  /** The two-sided p of unit − rest, adjusted (BH) across the units compared; rounded to DIGITS.p. */
  adjustedP: number;
  verdict: UnitVerdictKind;
}

export interface UnitCell {
  unit: string;
  category: string;
  /** Whether the unit's figures are shown this wave (hidden units are part of their category's rest, never tested). */
  shown: boolean;
  sums: ScaleSums;
}

const minus = (a: ScaleSums, b: ScaleSums): ScaleSums => ({
  n: a.n - b.n,
  sum_s: a.sum_s - b.sum_s,
  sum_m: a.sum_m - b.sum_m,
  sum_ss: a.sum_ss - b.sum_ss,
  sum_mm: a.sum_mm - b.sum_mm,
  sum_sm: a.sum_sm - b.sum_sm
});
const plus = (a: ScaleSums, b: ScaleSums): ScaleSums => ({
  n: a.n + b.n,
  sum_s: a.sum_s + b.sum_s,
  sum_m: a.sum_m + b.sum_m,
  sum_ss: a.sum_ss + b.sum_ss,
  sum_mm: a.sum_mm + b.sum_mm,
  sum_sm: a.sum_sm + b.sum_sm
});
const ZERO: ScaleSums = { n: 0, sum_s: 0, sum_m: 0, sum_ss: 0, sum_mm: 0, sum_sm: 0 };

/**
 * The verdicts of the shown units of one wave and scale, in the order of `cells`. A shown unit is compared when both
 * it and the rest of its category have at least two respondents with an answer (and some spread); the others get no
 * verdict and do not count in the adjustment.
 */
export function unitVerdictsOf(
  cells: readonly UnitCell[],
  direction: ScaleInfo["direction"],
  level = UNIT_COMPARISON_FDR
): UnitVerdict[] {
  const categories = new Map<string, ScaleSums>();
  for (const c of cells) categories.set(c.category, plus(categories.get(c.category) ?? ZERO, c.sums));
  const tests = cells.flatMap((c) => {
    if (!c.shown) return [];
    const rest = minus(categories.get(c.category)!, c.sums);
    if (c.sums.n < 2 || rest.n < 2 || !(rest.sum_m > 0)) return [];
    const u = ratioOf(c.sums);
    const r = ratioOf(rest);
    if (!(u.se > 0) || !(r.se > 0)) return [];
    // The verdict needs the difference and p only, not the interval.
    const t = welchTestP({ n: r.n, mean: r.mean, sd: r.sd }, { n: u.n, mean: u.mean, sd: u.sd });
    return [{ cell: c, difference: t.difference, p: t.p }];
  });
  const adjusted = adjustTests(tests, { method: "BH", level });
  return tests.map(({ cell, difference }, i): UnitVerdict => {
    const { adjustedP, significant } = adjusted[i];
    const worse = direction === "higher_is_better" ? difference < 0 : difference > 0;
    return {
      unit: cell.unit,
      category: cell.category,
      adjustedP: round(adjustedP, DIGITS.p)!,
      verdict: significant ? (worse ? "worse" : "better") : "not_different"
    };
  });
}

/** A row of scale_scores_by_wave_unit, as the callers share it: read, never changed. */
type UnitSumsRow = Readonly<z.output<typeof SCALE_SCORE_UNIT_ROW>>;

/**
 * The query's rows, one run per opened store and focus section: read by the units' score tests, their verdicts and
 * the overview's. Held here, not only by the query cache's sharing, so that it runs once with the cache off too (a
 * loader, the bench's capture), not once per caller. Held as long as the store is open (the whole pass): 35,000 rows a
 * wave at 5,000 units, about 70 MB of heap at eight waves, whatever the number of respondents.
 */
const unitScaleSumsOnce = perStore((store: ReportStore, focusSection: string) =>
  runNamedQuery(store.conn, "scale_scores_by_wave_unit", SCALE_SCORE_UNIT_ROW, { focus_section: focusSection })
);

/**
 * Every unit's sums per wave on every section and on the dimensions of `focusSection`, the scales a unit's page shows
 * (pipeline/db/sql/scale_scores_by_wave_unit.sql): the other sections' dimensions are neither computed nor read. A
 * caller asking for a scale outside them is a mistake that would otherwise read as "no unit has a score": it throws.
 */
export async function unitScaleSums(
  store: ReportStore,
  focusSection: string,
  infos: readonly ScaleInfo[] = []
): Promise<readonly UnitSumsRow[]> {
  const outside = infos.filter((i) => i.level !== "section" && (i.level !== "dimension" || i.section !== focusSection));
  if (outside.length)
    throw new Error(
      `scale_scores_by_wave_unit (focus_section ${focusSection}) has no rows for ${outside.map((i) => `${i.level} ${i.code}`).join(", ")}`
    );
  return unitScaleSumsOnce(store, focusSection);
}

/**
 * The verdicts of every shown unit in `wave` on the section or dimension `info` (a section, or a dimension of
 * `focusSection`), from the store.
 */
export async function unitVerdicts(
  store: ReportStore,
  focusSection: string,
  wave: number,
  info: ScaleInfo
): Promise<UnitVerdict[]> {
  const raw = await unitScaleSums(store, focusSection, [info]);
  const rows = raw.filter((r) => r.wave === wave && r.level === info.level && r.code === info.code);
  return verdictsFromRows(store, await suppressionPattern(store), rows, wave, info);
}

/**
 * Every shown unit's verdict in every wave on each of `infos` (sections, and dimensions of `focusSection`), keyed by
 * wave, level, code and unit, from one run of the query: the unit pages say how the unit compares with the rest of
 * its category with the same test and adjustment as the overview (one family per wave and scale).
 */
export async function unitVerdictsByWaveScale(
  store: ReportStore,
  focusSection: string,
  waves: readonly number[],
  infos: readonly ScaleInfo[]
): Promise<NestedMap4<UnitVerdictKind>> {
  const raw = await unitScaleSums(store, focusSection, infos);
  const pattern = await suppressionPattern(store);
  // The query's rows by wave and scale, split once (at 5,000 units and eight waves it has 280,000 rows).
  const byWaveScale = new NestedMap3<UnitSumsRow[]>();
  for (const r of raw) {
    const list = byWaveScale.get(r.wave, r.level, r.code);
    if (list) list.push(r);
    else byWaveScale.set([r], r.wave, r.level, r.code);
  }
  const out = new NestedMap4<UnitVerdictKind>();
  for (const info of infos)
    for (const wave of waves) {
      const rows = byWaveScale.get(wave, info.level, info.code) ?? [];
      for (const v of verdictsFromRows(store, pattern, rows, wave, info))
        out.set(v.verdict, wave, info.level, info.code, v.unit);
    }
  return out;
}

function verdictsFromRows(
  store: ReportStore,
  pattern: SuppressionPattern,
  /** The query's rows of this wave and scale. */
  rows: readonly UnitSumsRow[],
  wave: number,
  info: ScaleInfo
): UnitVerdict[] {
  // unitScaleSums refuses a sub-dimension first; kept for a caller that passes rows of its own.
  if (info.level === "subdimension") throw new Error("unit verdicts are for sections and dimensions");
  const found = new Map(rows.map((r) => [r.unit, r]));
  const cells = store.roster.flatMap((u): UnitCell[] => {
    const r = found.get(u.code);
    return r ? [{ unit: u.code, category: u.category, shown: pattern.shows(wave, UNIT, u.code), sums: r }] : [];
  });
  return unitVerdictsOf(cells, info.direction);
}
