// ScoreRanges(summary, {width}): how the units scored each indicator in one year, as a percentage of its maximum:
// a thin line from the lowest to the highest unit, a thick bar over the middle half (quartiles) and a tick at the
// median, coloured by kind. An indicator whose bar is short scores every unit alike: it weighs without ranking.
import * as Plot from "@observablehq/plot";
import { formatIndex, wrapText } from "./format.js";
import { KIND_COLORS, KIND_NAMES, MIN_PLOT_WIDTH } from "./indicatorWeights.js";

export interface ScoreRangeRow {
  indicator: string;
  name: string;
  kind: string;
  min: number;
  q1: number;
  median: number;
  q3: number;
  max: number;
}

export function ScoreRanges(
  rows: readonly ScoreRangeRow[],
  {
    width = 640,
    domain,
    document = globalThis.document
  }: { width?: number; domain?: [number, number]; document?: Document } = {}
): HTMLElement | SVGSVGElement {
  const labelWidth = width < 480 ? 9 : 13;
  const lines = new Map(rows.map((r) => [r.indicator, wrapText(r.name, { maxWidth: labelWidth, maxLines: 2 })]));
  const lo = rows.length ? Math.min(...rows.map((r) => r.min)) : 0;
  const kinds = [...new Set(rows.map((r) => r.kind))];
  const marginLeft = Math.round(labelWidth * 12.5) + 8;
  const marginRight = 20;
  const chart = Plot.plot({
    document,
    // Never narrower than its margins (see IndicatorWeights): no bar of negative width while a resize settles.
    width: Math.max(width, marginLeft + marginRight + MIN_PLOT_WIDTH),
    height: 50 + rows.length * 34,
    marginLeft,
    marginRight,
    marginTop: 10,
    marginBottom: 36,
    style: { fontSize: "12px" },
    x: {
      domain: domain ?? [Math.max(0, Math.floor(lo / 10) * 10), 100],
      label: "得分率（得分 ÷ 满分，%）",
      labelAnchor: "center",
      labelOffset: 30,
      grid: true
    },
    y: { domain: rows.map((r) => r.indicator), label: null, padding: 0.3 },
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
      Plot.ruleY(rows, {
        y: "indicator",
        x1: "min",
        x2: "max",
        stroke: "kind",
        strokeWidth: 1.5,
        className: "score-range-extent"
      }),
      Plot.barX(rows, {
        y: "indicator",
        x1: "q1",
        x2: "q3",
        fill: "kind",
        fillOpacity: 0.85,
        className: "score-range-iqr",
        tip: {
          channels: {
            指标: "name",
            最低: (r: ScoreRangeRow) => formatIndex(r.min),
            中位数: (r: ScoreRangeRow) => formatIndex(r.median),
            最高: (r: ScoreRangeRow) => formatIndex(r.max)
          },
          format: { x1: false, x2: false, y: false, fill: false }
        }
      }),
      Plot.tickX(rows, {
        y: "indicator",
        x: "median",
        stroke: "white",
        strokeWidth: 2,
        className: "score-range-median"
      })
    ]
  });
  chart.classList.add("score-ranges");
  return chart;
}
