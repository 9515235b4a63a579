// The headline of the trends page, written from data/trends.json (pipeline/marts/trends.ts): between the last two
// waves, how many of the published indices changed significantly for the better or the worse (a section's direction
// decides which way is better; changeBadge.ts decides, as for every card), and the largest of those changes.
import { changeView } from "./changeBadge.js";
import { formatChange, formatCount, formatWave } from "./format.js";

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

/** Sentences for the top of the page. */
export function trendsFinding(d: TrendsFindingData): string[] {
  const { wave, previous, compared, better, worse } = latestChanges(d);
  if (wave == null) return ["还没有调查数据。"];
  if (previous == null || compared === 0) return [`目前只有${formatWave(wave)}一轮调查，还不能比较变化。`];
  const sentences = [
    `与${formatWave(previous)}相比，${formatWave(wave)}可比较的${formatCount(compared)}项指数中，` +
      `${formatCount(better.length)}项明显改善，${formatCount(worse.length)}项明显变差，其余基本持平（变化不明显）。`
  ];
  const name = (c: LatestChange) => `${c.series.name}（${formatChange(c.change)}）`;
  if (better.length) sentences.push(`改善最明显的是${better.slice(0, 3).map(name).join("、")}。`);
  if (worse.length) sentences.push(`需要注意的是${worse.slice(0, 3).map(name).join("、")}。`);
  return sentences;
}
