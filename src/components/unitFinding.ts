// The finding of a unit page (各单位), written from data/units/<code>.json (pipeline/marts/units.ts · unitPages) for one
// wave: response, the focus section with the verdict of its comparison with the rest of its category (the mart's test,
// marts/unit-verdicts.ts: 明显偏低/偏高 only when it survives the multiple-comparison adjustment; the category's and
// everyone's index are given as references, never as a verdict), its change as its test's verdict shows it
// (changeBadge.ts: a rise or fall only when significant, else 基本持平（变化不明显）), the weakest dimension. A
// suppressed unit-wave gets one sentence and no number at all.
import { changeView } from "./changeBadge.js";
import { SUPPRESSED_NOTE, formatCount, formatIndex, formatPercent, formatWave } from "./format.js";

type Direction = "higher_is_better" | "higher_is_worse";

export interface UnitFindingPoint {
  wave: number;
  n: number | null;
  index: number | null;
  change: number | null;
  significant: boolean | null;
  suppressed: boolean;
  category: number | null;
  all: number | null;
  /** Against the rest of the unit's category, after the adjustment (null: not compared). */
  versusCategory: "worse" | "better" | "not_different" | null;
}

export interface UnitFindingScale {
  level: "section" | "dimension";
  code: string;
  name: string;
  section: string;
  direction: Direction;
  points: UnitFindingPoint[];
}

export interface UnitFindingData {
  unit: { name: string; category: string; headcount: number };
  minGroupSize: number;
  responses: { wave: number; n: number | null; rate: number | null; suppressed: boolean }[];
  scales: UnitFindingScale[];
}

/** The unit's point of a scale in a wave. */
export function pointOf(scale: UnitFindingScale, wave: number): UnitFindingPoint | undefined {
  return scale.points.find((p) => p.wave === wave);
}

/** The wave before `wave` whose point is published: what a change is measured against. */
export function previousPublished(scale: UnitFindingScale, wave: number): number | null {
  const earlier = scale.points.filter((p) => p.wave < wave && !p.suppressed && p.index != null);
  return earlier.length ? earlier[earlier.length - 1].wave : null;
}

/** The verdict against the rest of the category, in words; "" when the unit was not compared. */
function versusCategory(point: UnitFindingPoint, direction: Direction): string {
  if (point.versusCategory === null) return "";
  if (point.versusCategory === "not_different") return "与同类其他单位相比差别不明显";
  const lower = (point.versusCategory === "worse") === (direction === "higher_is_better");
  return lower ? "明显低于同类其他单位" : "明显高于同类其他单位";
}

/** The category's and everyone's index beside the unit's: references, not verdicts. */
function references(point: UnitFindingPoint, category: string): string {
  const parts = [
    point.category == null ? "" : `${category}${formatIndex(point.category)}`,
    point.all == null ? "" : `全体${formatIndex(point.all)}`
  ].filter(Boolean);
  return parts.length ? `（${parts.join("，")}）` : "";
}

/** Sentences for one wave. `focus` is the code of the section whose dimensions the page shows (原因剖析). */
export function unitFinding(d: UnitFindingData, wave: number, focus: string): string[] {
  const response = d.responses.find((r) => r.wave === wave);
  const section = d.scales.find((s) => s.level === "section" && s.code === focus);
  const point = section && pointOf(section, wave);
  if (!response || response.suppressed || !point || point.suppressed || point.index == null) {
    return [
      `${formatWave(wave)}${d.unit.name}的问卷结果按匿名规则不予显示（答卷不足${d.minGroupSize}人，或为防止推算出同类其他单位的结果而一并隐去）：${SUPPRESSED_NOTE}。`
    ];
  }
  const sentences: string[] = [];
  sentences.push(
    `${formatWave(wave)}${d.unit.name}回收问卷${formatCount(response.n)}份，占名册${formatCount(d.unit.headcount)}名党务干部的${formatPercent(response.rate, 1)}。`
  );
  const verdict = versusCategory(point, section.direction);
  // The count behind the index is published only where it differs from the response count above (never a dash).
  const counted = point.n != null && point.n !== response.n ? `（${formatCount(point.n)}人）` : "";
  let text = `${section.name}指数${formatIndex(point.index)}${counted}${verdict ? `，${verdict}` : ""}${references(point, d.unit.category)}`;
  const before = previousPublished(section, wave);
  if (before != null && point.change != null) {
    const change = changeView({
      change: point.change,
      significant: point.significant,
      higherIsBetter: section.direction !== "higher_is_worse",
      previousWave: before
    });
    if (change.tone !== "none") text += `，${change.words}`;
  }
  sentences.push(`${text}。`);
  const dims = d.scales
    .filter((s) => s.level === "dimension" && s.section === focus)
    .map((s) => ({ s, p: pointOf(s, wave) }))
    .filter((x): x is { s: UnitFindingScale; p: UnitFindingPoint } => !!x.p && !x.p.suppressed && x.p.index != null);
  if (dims.length > 1) {
    const sign = section.direction === "higher_is_better" ? 1 : -1;
    const weak = [...dims].sort((a, b) => sign * (a.p.index! - b.p.index!))[0];
    const verdict = versusCategory(weak.p, weak.s.direction);
    const reference = weak.p.category != null ? `，${d.unit.category}${formatIndex(weak.p.category)}` : "";
    sentences.push(
      `各方面中最弱的是${weak.s.name}（${formatIndex(weak.p.index)}${reference}）${verdict ? `，${verdict}` : ""}。`
    );
  }
  return sentences;
}
