// Horizontal bars of a score per dimension or sub-dimension with its 95% confidence interval: either the 0–100 index
// or the same read back on the answer scale (1–5: min + index / 100 · (max − min)). The site publishes the index
// only (to one decimal); the mean is its linear image. Suppressed rows show 样本量不足，已隐去 instead of a bar.
import * as Plot from "@observablehq/plot";
import { SUPPRESSED_NOTE, formatIndex, formatMean } from "./format.js";

export interface ScoreRow {
  code: string;
  name: string;
  /** The dimension a sub-dimension belongs to (its code); colours the bars. */
  dimension?: string;
  n: number | null;
  index: number | null;
  indexLow: number | null;
  indexHigh: number | null;
  suppressed: boolean;
}

export interface ScoreBarsOptions {
  width?: number;
  /** The value axis; defaults to [scale.min, scale.max] for means and [0, 100] for the index. */
  domain?: [number, number];
  /** "mean" (default) or "index": the index interval is the mean's interval rescaled to 0–100. */
  measure?: "mean" | "index";
  /** The answer scale; only min and max are used. */
  scale?: { min: number; max: number };
  /** Display names of the dimensions (code → name), for the colour legend. */
  dimensions?: { code: string; name: string }[];
  /** A reference line (defaults to the scale midpoint, 一般); null for none. */
  reference?: number | null;
  /** A higher-is-worse section (存在问题): the axis says that a higher score means a more serious problem. */
  higherIsWorse?: boolean;
  document?: Document;
}

export interface ScoreBar {
  code: string;
  name: string;
  group: string;
  value: number;
  low: number;
  high: number;
}

/** The drawn values of the non-suppressed rows, on the chosen measure. */
export function scoreBarValues(
  scores: ScoreRow[],
  {
    measure = "mean",
    scale = { min: 1, max: 5 },
    dimensions = []
  }: Pick<ScoreBarsOptions, "measure" | "scale" | "dimensions"> = {}
): ScoreBar[] {
  const onScale = (x: number) => (measure === "index" ? x : scale.min + (x / 100) * (scale.max - scale.min));
  const nameOf = new Map(dimensions.map((d) => [d.code, d.name]));
  return scores
    .filter((d) => !d.suppressed && d.index != null && d.indexLow != null && d.indexHigh != null)
    .map((d) => ({
      code: d.code,
      name: d.name,
      group: nameOf.get(d.dimension ?? "") ?? d.dimension ?? d.name,
      value: onScale(d.index!),
      low: onScale(d.indexLow!),
      high: onScale(d.indexHigh!)
    }));
}

/**
 * ScoreBars(scores, {width, domain}) → a <figure> with the class "score-bars": one bar per row (in input
 * order) from the start of the axis to the score, a black line for the 95% CI, and the score written after it.
 */
export function ScoreBars(
  scores: ScoreRow[],
  {
    width = 640,
    measure = "mean",
    scale = { min: 1, max: 5 },
    domain = measure === "index" ? [0, 100] : [scale.min, scale.max],
    dimensions = [],
    reference = measure === "index" ? 50 : (scale.min + scale.max) / 2,
    higherIsWorse = false,
    document = globalThis.document
  }: ScoreBarsOptions = {}
): HTMLElement | SVGSVGElement {
  const bars = scoreBarValues(scores, { measure, scale, dimensions });
  const suppressed = scores.filter((d) => d.suppressed || d.index == null);
  const format = measure === "index" ? formatIndex : formatMean;
  const groups = [...new Set(bars.map((b) => b.group))];
  const nameOf = new Map(scores.map((d) => [d.code, d.name]));
  const chart = Plot.plot({
    document,
    width,
    height: 30 + 36 + scores.length * 30,
    marginTop: 30,
    marginBottom: 36,
    marginLeft: 96,
    marginRight: 48,
    style: { fontSize: "12px" },
    x: {
      domain,
      label:
        (measure === "index" ? "指数（0–100）" : `均值（${scale.min}–${scale.max}分）`) +
        (higherIsWorse ? "，越高问题越突出 →" : ""),
      labelAnchor: "center",
      labelOffset: 32,
      grid: true
    },
    y: { domain: scores.map((d) => d.code), label: null, padding: 0.25 },
    color: {
      type: "ordinal",
      domain: groups,
      range: ["#4269d0", "#efb118", "#a463f2", "#6cc5b0", "#9c6b4e", "#97bbf5"],
      legend: groups.length > 1
    },
    marks: [
      Plot.axisY({ tickSize: 0, tickFormat: (code: string) => nameOf.get(code) ?? code }),
      Plot.barX(bars, {
        x1: domain[0],
        x2: "value",
        y: "code",
        fill: "group",
        fillOpacity: 0.85,
        className: "score-bars-bar",
        tip: {
          channels: {
            项目: "name",
            得分: (d: ScoreBar) => format(d.value),
            误差范围: (d: ScoreBar) => `${format(d.low)}–${format(d.high)}`
          },
          format: { x1: false, x2: false, y: false, fill: false }
        }
      }),
      Plot.ruleY(bars, {
        x1: "low",
        x2: "high",
        y: "code",
        stroke: "currentColor",
        strokeWidth: 1.5,
        className: "score-bars-ci"
      }),
      Plot.tickX(bars, { x: "low", y: "code", stroke: "currentColor", inset: 6 }),
      Plot.tickX(bars, { x: "high", y: "code", stroke: "currentColor", inset: 6 }),
      Plot.text(bars, { x: "high", y: "code", text: (d: ScoreBar) => format(d.value), dx: 6, textAnchor: "start" }),
      Plot.text(suppressed, {
        x: domain[0],
        y: "code",
        text: () => SUPPRESSED_NOTE,
        dx: 6,
        textAnchor: "start",
        fill: "currentColor",
        fillOpacity: 0.6,
        className: "score-bars-suppressed"
      }),
      reference == null
        ? null
        : Plot.ruleX([reference], { stroke: "currentColor", strokeDasharray: "4,3", strokeOpacity: 0.6 }),
      reference == null
        ? null
        : Plot.text([reference], {
            x: (d: number) => d,
            frameAnchor: "top",
            dy: -18,
            text: () => (measure === "index" ? "中点" : "一般"),
            fillOpacity: 0.7
          })
    ]
  });
  chart.classList.add("score-bars");
  return chart;
}
