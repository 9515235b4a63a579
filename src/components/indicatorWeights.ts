// IndicatorWeights(indicators, {width, weights}): one bar per indicator of a domain, its share of the domain's weight
// in percent, coloured by kind (process 过程 / outcome 结果). With `weights` (an analyst's what-if weights) the bars are
// those weights, and a thin tick marks each indicator's defined share for comparison.
import * as Plot from "@observablehq/plot";
import { formatPercent, wrapText } from "./format.js";
import type { Weights } from "./weighting.js";

export interface WeightIndicator {
  code: string;
  name: string;
  domain: string;
  kind: string;
  weight: number;
}

export const KIND_NAMES: Record<string, string> = {
  process: "过程类（台帐、记录、活动）",
  outcome: "结果类（实效、成果、满意度）"
};
export const KIND_COLORS: Record<string, string> = { process: "#efb118", outcome: "#4269d0" };

/** The narrowest plot area (between the margins) the indicator charts draw, in pixels. */
export const MIN_PLOT_WIDTH = 60;

export interface WeightBar {
  code: string;
  name: string;
  kind: string;
  share: number;
  defined: number;
}

/** Each indicator's share of its domain's total weight (at `weights`, and as defined). */
export function weightBars(
  indicators: readonly WeightIndicator[],
  { domain = "party_building", weights = {} }: { domain?: string; weights?: Weights } = {}
): WeightBar[] {
  const of = indicators.filter((i) => i.domain === domain);
  const total = of.reduce((s, i) => s + (weights[i.code] ?? i.weight), 0);
  const defined = of.reduce((s, i) => s + i.weight, 0);
  return of.map((i) => ({
    code: i.code,
    name: i.name,
    kind: i.kind,
    share: total > 0 ? (weights[i.code] ?? i.weight) / total : 0,
    defined: defined > 0 ? i.weight / defined : 0
  }));
}

export function IndicatorWeights(
  indicators: readonly WeightIndicator[],
  {
    domain = "party_building",
    weights,
    width = 640,
    document = globalThis.document
  }: { domain?: string; weights?: Weights; width?: number; document?: Document } = {}
): HTMLElement | SVGSVGElement {
  const bars = weightBars(indicators, { domain, weights });
  const labelWidth = width < 480 ? 9 : 13;
  const lines = new Map(bars.map((b) => [b.code, wrapText(b.name, { maxWidth: labelWidth, maxLines: 2 })]));
  const max = Math.max(0.4, ...bars.map((b) => Math.max(b.share, b.defined)));
  const kinds = [...new Set(bars.map((b) => b.kind))];
  const marginLeft = Math.round(labelWidth * 12.5) + 8;
  const marginRight = 48;
  const chart = Plot.plot({
    document,
    // Never narrower than its margins (a card is briefly very narrow while a resize lays the page out again): Plot
    // would draw bars of negative width. The SVG scales down to its box (max-width: 100%).
    width: Math.max(width, marginLeft + marginRight + MIN_PLOT_WIDTH),
    height: 50 + bars.length * 34,
    marginLeft,
    marginRight,
    marginTop: 10,
    marginBottom: 36,
    style: { fontSize: "12px" },
    x: {
      domain: [0, max],
      label: "占党建考核权重的比例",
      labelAnchor: "center",
      labelOffset: 30,
      tickFormat: (d: number) => formatPercent(d),
      grid: true
    },
    y: { domain: bars.map((b) => b.code), label: null, padding: 0.25 },
    color: {
      domain: kinds,
      range: kinds.map((k) => KIND_COLORS[k] ?? "#999"),
      tickFormat: (k: string) => KIND_NAMES[k] ?? k,
      legend: true
    },
    marks: [
      Plot.axisY({
        tickSize: 0,
        tickFormat: (code: string) => (lines.get(code) ?? [code]).join("\n"),
        lineHeight: 1.15
      }),
      Plot.barX(bars, { x: "share", y: "code", fill: "kind", className: "indicator-weight-bar" }),
      Plot.text(bars, {
        x: "share",
        y: "code",
        text: (b: WeightBar) => formatPercent(b.share),
        dx: 6,
        textAnchor: "start"
      }),
      weights
        ? Plot.tickX(bars, {
            x: "defined",
            y: "code",
            stroke: "currentColor",
            strokeWidth: 2,
            strokeDasharray: "3,2",
            className: "indicator-weight-defined"
          })
        : null
    ]
  });
  chart.classList.add("indicator-weights");
  return chart;
}
