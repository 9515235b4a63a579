// The headline of the trends page, written from data/trends.json (pipeline/marts/trends.ts): between the last two
// waves, how many of the published indices changed significantly for the better or the worse (a section's direction
// decides which way is better; changeBadge.ts decides, as for every card), and the largest of those changes. Led, for
// the section the page opens on, by how the gap between its weakest and strongest dimension moved over the waves
// (what the one chart of the page shows: the lines closing in or drawing apart).
import { changeView } from "./changeBadge.js";
import { chineseCount } from "./overviewFinding.js";
import { formatChange, formatCount, formatIndex, formatNumber, formatWave, round } from "./format.js";

export interface TrendsFindingSeries {
  section: string;
  level: "section" | "dimension" | "subdimension";
  code: string;
  name: string;
  points: {
    wave: number;
    index: number | null;
    change: number | null;
    significant: boolean | null;
    suppressed: boolean;
  }[];
}

export interface TrendsFindingData {
  waves: number[];
  changeTest: string;
  sections: { code: string; name: string; direction: "higher_is_better" | "higher_is_worse" }[];
  series: TrendsFindingSeries[];
}

export interface LatestChange {
  series: TrendsFindingSeries;
  change: number;
  better: boolean;
}

/** The significant changes into the latest wave, the better ones and the worse ones, each largest first. */
export function latestChanges(d: TrendsFindingData): {
  wave: number | null;
  previous: number | null;
  compared: number;
  better: LatestChange[];
  worse: LatestChange[];
} {
  const wave = d.waves.length ? d.waves[d.waves.length - 1] : null;
  const previous = d.waves.length > 1 ? d.waves[d.waves.length - 2] : null;
  const direction = new Map(d.sections.map((s) => [s.code, s.direction]));
  let compared = 0;
  const changes: LatestChange[] = [];
  for (const s of d.series) {
    const p = s.points.find((x) => x.wave === wave);
    if (!p || p.suppressed || p.change == null) continue;
    compared++;
    const { tone } = changeView({
      change: p.change,
      significant: p.significant,
      higherIsBetter: direction.get(s.section) !== "higher_is_worse"
    });
    if (tone === "better" || tone === "worse") changes.push({ series: s, change: p.change, better: tone === "better" });
  }
  const bySize = (a: LatestChange, b: LatestChange) => Math.abs(b.change) - Math.abs(a.change);
  return {
    wave,
    previous,
    compared,
    better: changes.filter((c) => c.better).sort(bySize),
    worse: changes.filter((c) => !c.better).sort(bySize)
  };
}

/**
 * How the gap between a section's weakest and strongest dimension moved from the first wave where all are shown to the
 * last: "2019年至2025年，原因剖析三个方面中最弱的一直是制度机制（2025年 59.2）；它与最强的思想认识（71.3）相差
 * 12.1，2019年相差 16.4，差距缩小了 4.3。" Descriptive, from the published indices (no test is claimed). Empty when
 * fewer than two dimensions or two such waves.
 */
export function dimensionGap(d: TrendsFindingData, section: string): string {
  const meta = d.sections.find((s) => s.code === section);
  const dims = d.series.filter((s) => s.section === section && s.level === "dimension");
  if (!meta || dims.length < 2) return "";
  const sign = meta.direction === "higher_is_worse" ? -1 : 1;
  const full = d.waves.filter((w) =>
    dims.every((s) => s.points.some((p) => p.wave === w && !p.suppressed && p.index != null))
  );
  if (full.length < 2) return "";
  const at = (w: number) => {
    const values = dims
      .map((s) => ({ name: s.name, index: s.points.find((p) => p.wave === w)!.index! }))
      .sort((a, b) => sign * (a.index - b.index));
    const weak = values[0];
    const strong = values[values.length - 1];
    return { weak, strong, gap: round(Math.abs(strong.index - weak.index), 1) };
  };
  const [w0, w1] = [full[0], full[full.length - 1]];
  const first = at(w0);
  const last = at(w1);
  const always = full.every((w) => at(w).weak.name === last.weak.name);
  const count = chineseCount(dims.length);
  const who = always ? `最弱的一直是${last.weak.name}` : `${formatWave(w1)}最弱的是${last.weak.name}`;
  const delta = round(last.gap - first.gap, 1);
  const move =
    delta < 0
      ? `差距缩小了 ${formatNumber(-delta, 1)}`
      : delta > 0
        ? `差距扩大了 ${formatNumber(delta, 1)}`
        : "差距没有变化";
  return (
    `${formatWave(w0)}至${formatWave(w1)}，${meta.name}${count}个方面中${who}（${formatWave(w1)} ${formatIndex(last.weak.index)}）；` +
    `它与最强的${last.strong.name}（${formatIndex(last.strong.index)}）相差 ${formatNumber(last.gap, 1)}，` +
    `${formatWave(w0)}相差 ${formatNumber(first.gap, 1)}，${move}。`
  );
}

/** Sentences for the top of the page; with `focus`, led by how that section's dimensions drew together or apart. */
export function trendsFinding(d: TrendsFindingData, focus?: string): string[] {
  const gap = focus ? dimensionGap(d, focus) : "";
  const lead = gap ? [gap] : [];
  const { wave, previous, compared, better, worse } = latestChanges(d);
  if (wave == null) return ["还没有调查数据。"];
  if (previous == null || compared === 0) return [...lead, `目前只有${formatWave(wave)}一轮调查，还不能比较变化。`];
  const sentences = [
    ...lead,
    `与${formatWave(previous)}相比，${formatWave(wave)}可比较的${formatCount(compared)}项指数中，` +
      `${formatCount(better.length)}项明显改善，${formatCount(worse.length)}项明显变差，其余基本持平（变化不明显）。`
  ];
  // A higher-is-worse index (存在问题) is named with what its change means, so that "-3.8" under 改善 does not puzzle.
  const worseIsHigher = new Set(d.sections.filter((s) => s.direction === "higher_is_worse").map((s) => s.code));
  const name = (c: LatestChange) =>
    worseIsHigher.has(c.series.section)
      ? `${c.series.name}（问题${c.change < 0 ? "减轻" : "加重"} ${formatNumber(Math.abs(c.change), 1)}）`
      : `${c.series.name}（${formatChange(c.change)}）`;
  if (better.length) sentences.push(`改善最明显的是${better.slice(0, 3).map(name).join("、")}。`);
  if (worse.length) sentences.push(`需要注意的是${worse.slice(0, 3).map(name).join("、")}。`);
  return sentences;
}
