// The headline sentence of the causes page, written from the numbers: which cause (dimension) and which
// sub-dimension score weakest, for the chosen wave and group, and how the weakest cause moved since the
// previous wave. Plain Chinese for leaders; no statistics jargon beyond 指数 and 均值.
import { describeChange } from "./indexCard.js";
import { formatCount, formatIndex, formatMean, formatPercent } from "./format.js";

export interface FindingScore {
  level: "dimension" | "subdimension";
  code: string;
  name: string;
  dimension: string;
  n: number | null;
  mean: number | null;
  index: number | null;
  agreeShare: number | null;
  suppressed: boolean;
}

export interface FindingDimension {
  code: string;
  name: string;
  /** The report's wording of the problem, e.g. 制度机制不健全. */
  summary?: string;
}

export interface FindingOptions {
  /** Score rows of one wave and one group (both levels). */
  scores: FindingScore[];
  /** The same group's rows in the comparison wave, if any. */
  previous?: FindingScore[] | null;
  dimensions: FindingDimension[];
  wave: number | string;
  previousWave?: number | string | null;
  /** Who answered, e.g. 全体受访党务干部 or “党支部书记”群体. */
  who: string;
  minGroupSize: number;
  higherIsBetter?: boolean;
}

const usable = (d: FindingScore) => !d.suppressed && d.index != null && Number.isFinite(d.index);

function weakest(rows: FindingScore[], higherIsBetter: boolean): FindingScore | undefined {
  let best: FindingScore | undefined;
  for (const d of rows) {
    if (!usable(d)) continue;
    if (!best || (higherIsBetter ? d.index! < best.index! : d.index! > best.index!)) best = d;
  }
  return best;
}

/** The finding as a list of sentences (join them with "" to print a paragraph). */
export function causesFinding({
  scores,
  previous = null,
  dimensions,
  wave,
  previousWave = null,
  who,
  minGroupSize,
  higherIsBetter = true
}: FindingOptions): string[] {
  const dims = scores.filter((d) => d.level === "dimension");
  const subs = scores.filter((d) => d.level === "subdimension");
  const weak = weakest(dims, higherIsBetter);
  if (!weak) {
    return [`${wave}年${who}的有效样本少于${minGroupSize}人，按匿名规则不显示统计结果。`];
  }
  const strong = weakest(dims, !higherIsBetter);
  const dim = dimensions.find((d) => d.code === weak.code);
  const sentences: string[] = [];
  sentences.push(
    `${wave}年，${who}（${formatCount(weak.n)}人）对${dims.length === 3 ? "三" : formatCount(dims.length)}个方面的评价中，` +
      `“${weak.name}”得分最低（指数${formatIndex(weak.index)}，均值${formatMean(weak.mean)}分，` +
      `持认同态度的占${formatPercent(weak.agreeShare)}）` +
      (dim?.summary ? `，说明“${dim.summary}”是党建与业务“两张皮”的突出原因。` : "。")
  );
  if (strong && strong.code !== weak.code) {
    sentences.push(`相对较好的是“${strong.name}”（指数${formatIndex(strong.index)}）。`);
  }
  const sub = weakest(subs, higherIsBetter);
  if (sub) {
    const parent = dimensions.find((d) => d.code === sub.dimension);
    sentences.push(
      `在${subs.length === 9 ? "九" : formatCount(subs.length)}个具体方面中，` +
        `${parent ? `${parent.name}中的` : ""}“${sub.name}”最为薄弱（指数${formatIndex(sub.index)}）。`
    );
  }
  const before = previous?.find((d) => d.level === "dimension" && d.code === weak.code);
  if (previousWave != null && before && usable(before)) {
    const { words, text } = describeChange(weak.index! - before.index!, { changeFrom: `${previousWave}年` });
    sentences.push(
      words.endsWith("持平")
        ? `“${weak.name}”指数${words}。`
        : `“${weak.name}”指数${words}${text.replace(/^[+-]/, "")}。`
    );
  }
  return sentences;
}
