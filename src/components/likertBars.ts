// Diverging stacked bars of Likert answers: one bar per item, the shares of each answer score laid out so that
// disagreeing answers lie left of zero, agreeing answers right of zero, and the neutral middle category is split
// half and half across zero. Items whose group is too small are not drawn; the note 样本量不足，已隐去 stands in
// their row instead.
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
  /** Reverse-keyed item: its raw answers are shown, and its label carries （反向题）. */
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
  score: number;
  label: string;
  side: LikertSide;
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
 * The segments of one item's bar, in score order. Shares are of the item's answers (sum of counts).
 * Categories without answers are kept with zero width.
 */
export function likertSegments(item: LikertItem, scale: LikertScale): LikertSegment[] {
  if (item.suppressed || !item.counts) return [];
  const counts = item.counts;
  const total = counts.reduce((a, b) => a + b, 0);
  const sides = likertSides(scale);
  const shares = counts.map((c) => (total > 0 ? c / total : 0));
  const neutral = shares.reduce((a, s, i) => (sides[i] === "neutral" ? a + s : a), 0);
  const segments: LikertSegment[] = counts.map((count, i) => ({
    code: item.code,
    text: item.text,
    score: scale.min + i,
    label: scale.labels[i] ?? String(scale.min + i),
    side: sides[i],
    count,
    share: shares[i],
    x1: 0,
    x2: 0
  }));
  // Disagreeing: from the edge of the neutral block outward to the left, the mildest category first.
  const half = neutral > 0 ? neutral / 2 : 0;
  let cursor = 0 - half; // not -half: -0 would leak into the output
  for (let i = counts.length - 1; i >= 0; i--) {
    if (sides[i] !== "disagree") continue;
    segments[i].x2 = cursor;
    segments[i].x1 = cursor -= shares[i];
  }
  // Neutral: centred on zero; agreeing: from its right edge outward, the mildest category first.
  cursor = 0 - half;
  for (let i = 0; i < counts.length; i++) {
    if (sides[i] === "disagree") continue;
    if (sides[i] === "agree" && cursor < half) cursor = half;
    segments[i].x1 = cursor;
    segments[i].x2 = cursor += shares[i];
  }
  return segments;
}

/** A diverging palette for k ordered categories, with a visible grey for an odd middle category. */
export function likertColors(k: number): string[] {
  const palettes: Record<number, string[]> = {
    2: ["#bf812d", "#35978f"],
    3: ["#bf812d", "#cfcfcf", "#35978f"],
    4: ["#a6611a", "#dfc27d", "#80cdc1", "#018571"],
    5: ["#a6611a", "#dfc27d", "#cfcfcf", "#80cdc1", "#018571"],
    6: ["#8c510a", "#d8b365", "#f6e8c3", "#c7eae5", "#5ab4ac", "#01665e"],
    7: ["#8c510a", "#d8b365", "#f6e8c3", "#cfcfcf", "#c7eae5", "#5ab4ac", "#01665e"]
  };
  if (palettes[k]) return palettes[k];
  const range = Plot.scale({
    color: { type: "ordinal", scheme: "BrBG", domain: Array.from({ length: k }, (_, i) => i) }
  }).range as string[];
  return range;
}

export interface LikertBarsOptions {
  scale: LikertScale;
  width?: number;
  /** Width of the item labels on the left, in px; defaults to about 38% of the width. Narrower than
   *  LIKERT_NARROW_WIDTH, the labels go above their bars instead, across the whole width (a phone). */
  labelWidth?: number;
  /** Height of one item row, in px. */
  rowHeight?: number;
  fontSize?: number;
  /** One colour per score, min..max; defaults to likertColors (brown = disagree, teal = agree). A page whose
   *  agreeing answers are bad news (存在问题) passes them reversed. */
  colors?: string[];
  document?: Document;
}

/** Below this chart width (a phone) each question is written above its bar, not beside it. */
export const LIKERT_NARROW_WIDTH = 520;

/**
 * LikertBars(items, {scale, width}) → a <figure> (color legend + SVG) as returned by Plot.
 * The figure carries the class "likert-bars"; every bar segment is a <rect> in the mark group with the class
 * "likert-segments", every suppression note a <text> in "likert-suppressed".
 */
export function LikertBars(
  items: LikertItem[],
  {
    scale,
    width = 640,
    labelWidth = Math.round(Math.max(140, Math.min(300, width * 0.38))),
    rowHeight = 42,
    fontSize = 12,
    colors = likertColors(scale.labels.length),
    document = globalThis.document
  }: LikertBarsOptions
): HTMLElement | SVGSVGElement {
  const segments = items.flatMap((item) => likertSegments(item, scale));
  const suppressed = items.filter((item) => item.suppressed || !item.counts);
  const extremes = new Set([scale.labels[0], scale.labels[scale.labels.length - 1]]);

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
      label: "← 不同意　　　　占比　　　　同意 →",
      labelAnchor: "center",
      labelOffset: 34
    },
    y: {
      domain: items.map((item) => item.code),
      padding: narrow ? 0 : 0.3,
      label: null,
      axis: narrow ? null : undefined
    },
    color: { type: "ordinal", domain: scale.labels, range: colors, legend: true },
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
        fill: "label",
        ...barInset,
        className: "likert-segments",
        tip: {
          channels: {
            题目: "text",
            回答: "label",
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
          fill: (s: LikertSegment) => (extremes.has(s.label) ? "white" : "#222"),
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
