// The headline sentences of a section page (工作成效, 存在问题, 原因剖析), written from the numbers of one wave and
// group: which dimension and which sub-dimension stand out, and whether it changed significantly since the previous
// wave. Direction-aware: on a higher-is-better section the weakest is the lowest index; on a higher-is-worse section
// (problems) the most severe is the highest, and a fall is an easing. Plain Chinese for leaders.
import { rowChange } from "./dimensionCard.js";
import { formatCount, formatIndex, formatPercent } from "./format.js";

export interface FindingRow {
  level: string;
  code: string;
  name: string;
  dimension: string | null;
  n: number | null;
  index: number | null;
  agreeShare: number | null;
  indexChange: number | null;
  changeSignificant: boolean | null;
  /** The wave the change is measured from: the series' previous shown wave (absent: the page's previous wave). */
  previousWave?: number | null;
  suppressed: boolean;
}

export interface SectionFindingOptions {
  /** Score rows of one wave and one group (all levels). */
  scores: FindingRow[];
  dimensions: { code: string; name: string; summary?: string | null }[];
  wave: number | string;
  previousWave?: number | string | null;
  /** Who answered, e.g. 全体受访党务干部 or “党支部书记”群体. */
  who: string;
  minGroupSize: number;
  higherIsBetter?: boolean;
  /** What the scores are about, e.g. 三个方面 / 三类问题; defaults to N个方面. */
  dimensionsNoun?: string;
  /** An explanation after the standout dimension, e.g. (d) => `说明“${d.summary}”是…的突出原因`. */
  explain?: (dimension: { code: string; name: string; summary?: string | null }) => string;
}

const NUMBERS = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];
/** A numeral for an order (第二, 二、): 2 → 二, 9 → 九; above ten in digits. */
export function numeral(k: number): string {
  return NUMBERS[k] ?? formatCount(k);
}

/** A count before a measure word (两个方面, 九个方面): 2 → 两; above ten in digits. */
export function countWord(k: number): string {
  return k === 2 ? "两" : numeral(k);
}

/** A name in quotation marks, unless it brings its own (做“老样子” stays as it is): “考核机制”. */
export function quote(name: string): string {
  return /[“”]/.test(name) ? name : `“${name}”`;
}

const usable = (d: FindingRow) => !d.suppressed && d.index != null && Number.isFinite(d.index);

/** The row that stands out: the lowest index where higher is better, the highest where higher is worse. */
export function standout<T extends FindingRow>(rows: T[], higherIsBetter: boolean, weakest = true): T | undefined {
  const lowFirst = higherIsBetter === weakest;
  let best: T | undefined;
  for (const d of rows)
    if (usable(d) && (!best || (lowFirst ? d.index! < best.index! : d.index! > best.index!))) best = d;
  return best;
}

/** The finding as sentences (join them with "" for a paragraph). */
export function sectionFinding({
  scores,
  dimensions,
  wave,
  previousWave = null,
  who,
  minGroupSize,
  higherIsBetter = true,
  dimensionsNoun,
  explain
}: SectionFindingOptions): string[] {
  const dims = scores.filter((d) => d.level === "dimension");
  const subs = scores.filter((d) => d.level === "subdimension");
  const weak = standout(dims, higherIsBetter);
  if (!weak) return [`${wave}年${who}的有效样本少于${minGroupSize}人，按匿名规则不显示统计结果。`];
  const strong = standout(dims, higherIsBetter, false);
  const dim = dimensions.find((d) => d.code === weak.code);
  const noun = dimensionsNoun ?? `${countWord(dims.length)}个方面`;
  const sentences: string[] = [];
  const label = (d: FindingRow) => {
    const s = dimensions.find((x) => x.code === d.code)?.summary;
    return higherIsBetter || !s ? quote(d.name) : quote(`${d.name}：${s}`);
  };
  sentences.push(
    `${wave}年，${who}（${formatCount(weak.n)}人）对${noun}的评价中，${label(weak)}${higherIsBetter ? "得分最低" : "最为突出"}` +
      `（指数${formatIndex(weak.index)}，${higherIsBetter ? "持认同态度的占" : "认为存在该问题的占"}${formatPercent(weak.agreeShare)}）` +
      (explain && dim ? `，${explain(dim)}。` : "。")
  );
  if (strong && strong.code !== weak.code)
    sentences.push(
      `${higherIsBetter ? "相对较好的是" : "相对较轻的是"}${label(strong)}（指数${formatIndex(strong.index)}）。`
    );
  const sub = standout(subs, higherIsBetter);
  if (sub) {
    const parent = dimensions.find((d) => d.code === sub.dimension);
    sentences.push(
      `在${countWord(subs.length)}个具体方面中，${parent ? `${parent.name}中的` : ""}${quote(sub.name)}${higherIsBetter ? "最为薄弱" : "最为突出"}（指数${formatIndex(sub.index)}）。`
    );
  }
  if (previousWave != null) {
    // Against the series' own previous shown wave (the mart's), which for a group hidden last wave is an earlier one.
    const from = weak.previousWave ?? previousWave;
    const change = rowChange(weak, { changeFrom: `${from}年`, higherIsBetter });
    if (change.tone === "none") sentences.push(`${quote(weak.name)}暂无${previousWave}年的可比数据。`);
    else if (change.tone === "neutral") sentences.push(`${quote(weak.name)}指数${change.words}。`);
    else {
      const meaning = higherIsBetter
        ? change.tone === "better"
          ? "有所改善"
          : "有所退步"
        : change.tone === "better"
          ? "问题有所缓解"
          : "问题有所加重";
      sentences.push(`${quote(weak.name)}指数${change.words}，${meaning}。`);
    }
  }
  return sentences;
}
