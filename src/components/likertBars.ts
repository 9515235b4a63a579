// Diverging stacked bars of Likert answers, drawn by favourability: one bar per item, the unfavourable answers left of
// zero, the favourable right of zero, and the neutral middle category split half and half across zero. Which answers
// are favourable depends on the item: agreeing is favourable on a positively worded item of a higher-is-better
// section, unfavourable on a reverse-worded one (反向题) and on every item of a higher-is-worse section (存在问题,
// where agreeing says the problem exists). One palette for every page: unfavourable reds, a neutral grey,
// favourable blues. Items whose group is too small are not drawn; the note 样本量不足，已隐去 stands in their row.
import * as Plot from "@observablehq/plot";
import { SUPPRESSED_NOTE, formatCount, formatPercent, wrapText } from "./format.js";

export { SUPPRESSED_NOTE };

export interface LikertScale {
  min: number;
  max: number;
  /** One label per score, min..max. */
  labels: string[];
  /** Scores at or above this count as agreeing; scores at or below min + max - agreeFrom as disagreeing. */
  agreeFrom: number;
}

export interface LikertItem {
  code: string;
  text: string;
  /** Reverse-worded item: agreeing is unfavourable in a higher-is-better section; its label carries （反向题）. */
  reverse?: boolean;
  n: number | null;
  /** Raw answer counts per score min..max; null when suppressed. */
  counts: number[] | null;
  suppressed: boolean;
}

export type LikertSide = "disagree" | "neutral" | "agree";

export interface LikertSegment {
  code: string;
  text: string;
  /** The raw answer score and its label (非常同意 …), as the respondent chose it. */
  score: number;
  label: string;
  /** What the answer means for this item: 很不利 … 很有利 (favourabilityLabels), and its rank, 0 = least favourable. */
  favourability: string;
  rank: number;
  /** The least or the most favourable category (drawn in the darkest colours). */
  extreme: boolean;
  side: "unfavourable" | "neutral" | "favourable";
  count: number;
  share: number;
  /** Left and right ends on the share axis (negative = left of zero). */
  x1: number;
  x2: number;
}

export const REVERSE_NOTE = "（反向题）";

/** Which side of zero each score of the scale falls on. */
export function likertSides(scale: LikertScale): LikertSide[] {
  const disagreeTo = scale.min + scale.max - scale.agreeFrom;
  return scale.labels.map((_, i) => {
    const score = scale.min + i;
    return score >= scale.agreeFrom ? "agree" : score <= disagreeTo ? "disagree" : "neutral";
  });
}

/**
 * The favourability words of a scale's categories, least favourable first: 很不利 · 较不利 · 一般 · 较有利 · 很有利 on
 * the five-point scale (the neutral middle keeps the scale's own label).
 */
export function favourabilityLabels(scale: LikertScale): string[] {
  const sides = likertSides(scale);
  const d = sides.filter((x) => x === "disagree").length;
  const a = sides.filter((x) => x === "agree").length;
  const m = sides.length - d - a;
  const graded = (n: number, word: string) =>
    n === 1
      ? [word]
      : n === 2
        ? [`很${word}`, `较${word}`]
        : Array.from({ length: n }, (_, i) => (i === 0 ? `很${word}` : i === n - 1 ? `稍${word}` : `${word}${n - i}`));
  const middle =
    m === 1 ? [scale.labels[d] ?? "一般"] : Array.from({ length: m }, (_, i) => `${scale.labels[d + i] ?? "中间"}`);
  return [...graded(d, "不利"), ...middle, ...[...graded(a, "有利")].reverse()];
}

/** Whether agreeing with the item is unfavourable: a reverse-worded item, or any item of a higher-is-worse section. */
export function agreeingIsUnfavourable(item: Pick<LikertItem, "reverse">, direction: LikertDirection): boolean {
  return (direction === "higher_is_worse") !== Boolean(item.reverse);
}

export type LikertDirection = "higher_is_better" | "higher_is_worse";

/**
 * The segments of one item's bar, least favourable first. Shares are of the item's answers (sum of counts). An item
 * whose agreeing answers are unfavourable has its categories in reverse score order, so that 非常同意 is drawn at
 * the far left as 很不利. Categories without answers are kept with zero width.
 */
export function likertSegments(
  item: LikertItem,
  scale: LikertScale,
  direction: LikertDirection = "higher_is_better"
): LikertSegment[] {
  if (item.suppressed || !item.counts) return [];
  const flip = agreeingIsUnfavourable(item, direction);
  const counts = flip ? [...item.counts].reverse() : item.counts;
  const total = counts.reduce((a, b) => a + b, 0);
  const sides = likertSides(scale);
  const words = favourabilityLabels(scale);
  const k = scale.labels.length;
  const shares = counts.map((c) => (total > 0 ? c / total : 0));
  const neutral = shares.reduce((a, s, i) => (sides[i] === "neutral" ? a + s : a), 0);
  const segments: LikertSegment[] = counts.map((count, i) => {
    const score = flip ? scale.max - i : scale.min + i;
    return {
      code: item.code,
      text: item.text,
      score,
      label: scale.labels[score - scale.min] ?? String(score),
      favourability: words[i],
      rank: i,
      extreme: i === 0 || i === k - 1,
      side: sides[i] === "disagree" ? "unfavourable" : sides[i] === "agree" ? "favourable" : "neutral",
      count,
      share: shares[i],
      x1: 0,
      x2: 0
    };
  });
  // Unfavourable: from the edge of the neutral block outward to the left, the mildest category first.
  const half = neutral > 0 ? neutral / 2 : 0;
  let cursor = 0 - half; // not -half: -0 would leak into the output
  for (let i = counts.length - 1; i >= 0; i--) {
    if (sides[i] !== "disagree") continue;
    segments[i].x2 = cursor;
    segments[i].x1 = cursor -= shares[i];
  }
  // Neutral: centred on zero; favourable: from its right edge outward, the mildest category first.
  cursor = 0 - half;
  for (let i = 0; i < counts.length; i++) {
    if (sides[i] === "disagree") continue;
    if (sides[i] === "agree" && cursor < half) cursor = half;
    segments[i].x1 = cursor;
    segments[i].x2 = cursor += shares[i];
  }
  return segments;
}

/**
 * The one Likert palette: k categories from unfavourable (red) through a visible neutral grey (odd k) to favourable
 * (blue), red–blue so that it also reads for the commonest colour-vision deficiencies.
 */
export function likertColors(k: number): string[] {
  const palettes: Record<number, string[]> = {
    2: ["#d6604d", "#4393c3"],
    3: ["#d6604d", "#cfcfcf", "#4393c3"],
    4: ["#b2182b", "#f4a582", "#92c5de", "#2166ac"],
    5: ["#b2182b", "#f4a582", "#cfcfcf", "#92c5de", "#2166ac"],
    6: ["#b2182b", "#ef8a62", "#fddbc7", "#d1e5f0", "#67a9cf", "#2166ac"],
    7: ["#b2182b", "#ef8a62", "#fddbc7", "#cfcfcf", "#d1e5f0", "#67a9cf", "#2166ac"]
  };
  if (palettes[k]) return palettes[k];
  const range = Plot.scale({
    color: { type: "ordinal", scheme: "RdBu", domain: Array.from({ length: k }, (_, i) => i) }
  }).range as string[];
  return range;
}

export interface LikertBarsOptions {
  scale: LikertScale;
  /** The section's direction: on a higher-is-worse section (存在问题) agreeing with an item is unfavourable. */
  direction?: LikertDirection;
  width?: number;
  /** Width of the item labels on the left, in px; defaults to about 38% of the width. Narrower than
   *  LIKERT_NARROW_WIDTH, the labels go above their bars instead, across the whole width (a phone). */
  labelWidth?: number;
  /** Height of one item row, in px. */
  rowHeight?: number;
  fontSize?: number;
  /** One colour per category, least favourable first; defaults to likertColors (red = unfavourable, blue = favourable). */
  colors?: string[];
  document?: Document;
}

/** Below this chart width (a phone) each question is written above its bar, not beside it. */
export const LIKERT_NARROW_WIDTH = 520;

/**
 * LikertBars(items, {scale, direction, width}) → a <figure> (color legend + SVG) as returned by Plot.
 * The figure carries the class "likert-bars"; every bar segment is a <rect> in the mark group with the class
 * "likert-segments" (least favourable first within an item), every suppression note a <text> in "likert-suppressed".
 * The legend names the categories by favourability (很不利 … 很有利); a bar's tooltip gives the answer as chosen.
 */
export function LikertBars(
  items: LikertItem[],
  {
    scale,
    direction = "higher_is_better",
    width = 640,
    labelWidth = Math.round(Math.max(140, Math.min(300, width * 0.38))),
    rowHeight = 42,
    fontSize = 12,
    colors = likertColors(scale.labels.length),
    document = globalThis.document
  }: LikertBarsOptions
): HTMLElement | SVGSVGElement {
  const segments = items.flatMap((item) => likertSegments(item, scale, direction));
  const suppressed = items.filter((item) => item.suppressed || !item.counts);

  // Symmetric axis, wide enough for the longer side of any bar, in steps of 10%.
  const reach = Math.max(0.5, ...segments.map((s) => Math.max(-s.x1, s.x2)));
  const limit = Math.min(1, Math.ceil(reach * 10 - 1e-9) / 10);

  // Wide: the questions in a left margin, two lines at most. Narrow: each question above its bar, across the width,
  // three lines at most, so that neither the questions nor the axis are squeezed.
  const narrow = width < LIKERT_NARROW_WIDTH;
  const marginLeft = narrow ? 18 : labelWidth;
  const marginRight = narrow ? 18 : 12;
  const maxWidth = narrow ? (width - 8 - marginRight) / fontSize : (labelWidth - 16) / fontSize;
  const lines = new Map(
    items.map((item) => [
      item.code,
      wrapText(item.text, { maxWidth, maxLines: narrow ? 3 : 2, suffix: item.reverse ? REVERSE_NOTE : "" })
    ])
  );
  const labelOf = new Map([...lines].map(([code, l]) => [code, l.join("\n")]));
  const lineHeight = Math.round(fontSize * 1.25);
  const labelLines = Math.max(1, ...[...lines.values()].map((l) => l.length));
  // Narrow rows: the label's lines, then a 22 px bar; marks are placed in the row's band by insets and offsets.
  const labelBlock = labelLines * lineHeight + 4;
  const barHeight = 22;
  const rowStep = narrow ? labelBlock + barHeight + 12 : rowHeight;
  const barInset = narrow ? { insetTop: labelBlock, insetBottom: rowStep - labelBlock - barHeight } : {};
  const barDy = narrow ? (labelBlock - (rowStep - labelBlock - barHeight)) / 2 : 0;
  const half = Math.round(limit * 5) / 10;
  const ticks = narrow ? [-limit, -half, 0, half, limit] : 2 * Math.round(limit * 5);

  const chart = Plot.plot({
    document,
    width,
    height: 24 + 40 + items.length * rowStep,
    marginTop: 24,
    marginBottom: 40,
    marginLeft,
    marginRight,
    style: { fontSize: `${fontSize}px` },
    x: {
      domain: [-limit, limit],
      tickFormat: (d: number) => formatPercent(Math.abs(d)),
      ticks,
      label: narrow ? "← 不利　占比　有利 →" : "← 不利　　　　占比　　　　有利 →",
      labelAnchor: "center",
      labelOffset: 34
    },
    y: {
      domain: items.map((item) => item.code),
      padding: narrow ? 0 : 0.3,
      label: null,
      axis: narrow ? null : undefined
    },
    color: { type: "ordinal", domain: favourabilityLabels(scale), range: colors, legend: true },
    marks: [
      narrow
        ? Plot.text(items, {
            x: -limit,
            dx: -10,
            y: "code",
            text: (item: LikertItem) => labelOf.get(item.code) ?? item.code,
            textAnchor: "start",
            lineAnchor: "top",
            lineWidth: Infinity,
            dy: -rowStep / 2 + 2,
            fill: "currentColor",
            className: "likert-labels"
          })
        : Plot.axisY({ tickSize: 0, tickFormat: (code: string) => labelOf.get(code) ?? code, lineWidth: Infinity }),
      Plot.gridX({ strokeOpacity: 0.08 }),
      Plot.barX(segments, {
        x1: "x1",
        x2: "x2",
        y: "code",
        fill: "favourability",
        ...barInset,
        className: "likert-segments",
        tip: {
          channels: {
            题目: "text",
            回答: "label",
            含义: "favourability",
            人数: (d: LikertSegment) => formatCount(d.count),
            占比: (d: LikertSegment) => formatPercent(d.share, 1)
          },
          format: { x1: false, x2: false, y: false, fill: false }
        }
      }),
      Plot.text(
        segments.filter((s) => s.share >= 0.07),
        {
          x: (s: LikertSegment) => (s.x1 + s.x2) / 2,
          y: "code",
          text: (s: LikertSegment) => formatPercent(s.share),
          fill: (s: LikertSegment) => (s.extreme ? "white" : "#222"),
          fontSize: 10,
          dy: barDy,
          pointerEvents: "none"
        }
      ),
      Plot.text(suppressed, {
        x: 0,
        y: "code",
        text: () => SUPPRESSED_NOTE,
        fill: "currentColor",
        fillOpacity: 0.6,
        dy: barDy,
        className: "likert-suppressed"
      }),
      // The zero line: through the whole frame; narrow, only through each bar (not across the questions).
      narrow
        ? Plot.ruleX(items, { x: () => 0, y: "code", strokeOpacity: 0.6, ...barInset })
        : Plot.ruleX([0], { strokeOpacity: 0.6 })
    ]
  });
  chart.classList.add("likert-bars");
  return chart;
}
