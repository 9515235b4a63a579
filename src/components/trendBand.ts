// A 0–100 index over the survey waves: one line per series with its 95% confidence band, ▲/▼ above the waves whose
// change since the previous wave is significant (the marts' change test; changeBadge.ts decides arrow and colour),
// and 样本量不足/已隐去 where a wave is suppressed. Comparison series (a unit's category, all respondents) can be drawn
// dashed and without a band.
import * as Plot from "@observablehq/plot";
import { changeView } from "./changeBadge.js";
import { SUPPRESSED_NOTE, formatChange, formatCount, formatIndex, formatInterval, formatWave } from "./format.js";

export interface TrendBandPoint {
  wave: number;
  index: number | null;
  /** The 95% interval of the index; no band where either is null. */
  low?: number | null;
  high?: number | null;
  /** Change since the previous wave and whether it is significant (true: marked ▲/▼). */
  change?: number | null;
  significant?: boolean | null;
  n?: number | null;
  suppressed?: boolean;
}

export interface TrendBandSeries {
  /** Unique key of the series. */
  key: string;
  /** Legend label, e.g. 全体, 党政机关, 本单位. */
  label: string;
  points: TrendBandPoint[];
  /** Draw as a dashed comparison line without dots, band or significance marks. */
  dashed?: boolean;
}

export interface TrendBandOptions {
  width?: number;
  height?: number;
  /** The index axis; defaults to the data's range (with the bands), padded to steps of 5 within 0–100. */
  domain?: [number, number];
  /** The waves on the x axis; defaults to every wave in the data. */
  waves?: number[];
  /** Colours the significance marks: a significant rise is good (green) unless higher is worse. */
  higherIsBetter?: boolean;
  /** Series colours in series order. */
  colors?: string[];
  yLabel?: string | null;
  document?: Document;
}

export const TREND_COLORS = ["#4269d0", "#efb118", "#ff725c", "#6cc5b0", "#a463f2", "#9c6b4e", "#97bbf5", "#3ca951"];

interface Flat extends TrendBandPoint {
  key: string;
  label: string;
  dashed: boolean;
}

const isNum = (x: number | null | undefined): x is number => typeof x === "number" && Number.isFinite(x);

/** The index axis: the range of every index and band bound, widened to multiples of 5 with a little room, within 0–100. */
export function trendDomain(series: TrendBandSeries[]): [number, number] {
  const values = series.flatMap((s) => s.points.flatMap((p) => [p.index, p.low, p.high].filter(isNum)));
  if (!values.length) return [0, 100];
  const lo = Math.max(0, Math.floor((Math.min(...values) - 2) / 5) * 5);
  const hi = Math.min(100, Math.ceil((Math.max(...values) + 2) / 5) * 5);
  return hi - lo < 10 ? [Math.max(0, hi - 10), Math.max(10, hi)] : [lo, hi];
}

/** The significant changes of a series: [{wave, change}] for every point marked ▲/▼ (changeBadge.ts gives it an arrow). */
export function significantChanges(series: TrendBandSeries): { wave: number; change: number }[] {
  return series.points
    .filter((p) => changeView({ change: p.change, significant: p.significant, suppressed: p.suppressed }).arrow !== "")
    .map((p) => ({ wave: p.wave, change: p.change! }));
}

/**
 * One sentence on a series for a card's subtitle: first and last published index, and which waves changed
 * significantly. E.g. "2019年 55.1 → 2025年 60.3；明显变化：2021年 ▲+2.3、2024年 ▼-1.8".
 */
export function describeTrend(series: TrendBandSeries): string {
  const published = series.points.filter((p) => !p.suppressed && isNum(p.index));
  if (!published.length) return SUPPRESSED_NOTE;
  const first = published[0];
  const last = published[published.length - 1];
  const range =
    first === last
      ? `${formatWave(first.wave)} ${formatIndex(first.index)}`
      : `${formatWave(first.wave)} ${formatIndex(first.index)} → ${formatWave(last.wave)} ${formatIndex(last.index)}`;
  const changes = significantChanges(series);
  const tail = changes.length
    ? `明显变化：${changes.map((c) => `${formatWave(c.wave)} ${c.change > 0 ? "▲" : "▼"}${formatChange(c.change)}`).join("、")}`
    : published.length > 1
      ? "各轮之间变化不明显"
      : "";
  return tail ? `${range}；${tail}` : range;
}

/**
 * TrendBand(series, {width}) → a <figure> (legend + SVG) or <svg> with the class "trend-band". Mark groups carry the
 * classes trend-band-area (bands), trend-band-line, trend-band-dot, trend-band-significant (▲/▼ texts) and
 * trend-band-suppressed (notes), so tests can find them.
 */
export function TrendBand(
  series: TrendBandSeries[],
  {
    width = 640,
    height = 240,
    domain = trendDomain(series),
    waves = [...new Set(series.flatMap((s) => s.points.map((p) => p.wave)))].sort((a, b) => a - b),
    higherIsBetter = true,
    colors = TREND_COLORS,
    yLabel = "指数（0–100）",
    document = globalThis.document
  }: TrendBandOptions = {}
): HTMLElement | SVGSVGElement {
  const flat: Flat[] = series.flatMap((s) =>
    s.points.map((p) => ({
      ...p,
      key: s.key,
      label: s.label,
      dashed: !!s.dashed,
      index: p.suppressed ? null : p.index
    }))
  );
  const solid = flat.filter((p) => !p.dashed);
  const dashed = flat.filter((p) => p.dashed);
  const shown = solid.filter((p) => isNum(p.index));
  const verdict = (p: Flat) => changeView({ change: p.change, significant: p.significant, higherIsBetter });
  const better = shown.filter((p) => verdict(p).tone === "better");
  const worse = shown.filter((p) => verdict(p).tone === "worse");
  // One note per suppressed wave (several series hidden at once share it).
  const hiddenWaves = [...new Set(solid.filter((p) => p.suppressed).map((p) => p.wave))].map((wave) => ({ wave }));
  const labels = series.map((s) => s.label);
  const [x0, x1] = waves.length ? [waves[0], waves[waves.length - 1]] : [0, 1];
  const pad = Math.max(0.3, (x1 - x0) * 0.04);
  const sigText = (p: Flat) => verdict(p).arrow;

  const chart = Plot.plot({
    document,
    width,
    height,
    marginTop: 24,
    marginLeft: 44,
    marginRight: 16,
    marginBottom: 30,
    style: { fontSize: "12px" },
    x: { domain: [x0 - pad, x1 + pad], ticks: waves, tickFormat: (d: number) => `${d}`, label: null },
    y: { domain, grid: true, label: yLabel, labelArrow: "none" },
    color: { type: "ordinal", domain: labels, range: colors, legend: labels.length > 1 },
    marks: [
      Plot.areaY(
        solid.filter((p) => isNum(p.low) && isNum(p.high) && isNum(p.index)),
        {
          x: "wave",
          y1: "low",
          y2: "high",
          z: "key",
          fill: "label",
          fillOpacity: 0.16,
          curve: "linear",
          className: "trend-band-area"
        }
      ),
      Plot.lineY(dashed, {
        x: "wave",
        y: "index",
        z: "key",
        stroke: "label",
        strokeWidth: 1.5,
        strokeDasharray: "5,4",
        className: "trend-band-compare"
      }),
      Plot.lineY(solid, {
        x: "wave",
        y: "index",
        z: "key",
        stroke: "label",
        strokeWidth: 2,
        className: "trend-band-line"
      }),
      Plot.dot(shown, {
        x: "wave",
        y: "index",
        fill: "label",
        r: 3.5,
        className: "trend-band-dot",
        tip: {
          channels: {
            系列: "label",
            轮次: (d: Flat) => formatWave(d.wave),
            指数: (d: Flat) => formatIndex(d.index),
            误差范围: (d: Flat) => formatInterval(d.low, d.high, 1),
            样本量: (d: Flat) => formatCount(d.n),
            较上一轮: (d: Flat) => verdict(d).short
          },
          format: { x: false, y: false, fill: false }
        }
      }),
      Plot.text(better, {
        x: "wave",
        y: "index",
        text: sigText,
        dy: -12,
        fill: "#2e8540",
        fontSize: 12,
        className: "trend-band-significant"
      }),
      Plot.text(worse, {
        x: "wave",
        y: "index",
        text: sigText,
        dy: -12,
        fill: "#c0392b",
        fontSize: 12,
        className: "trend-band-significant"
      }),
      Plot.text(hiddenWaves, {
        x: "wave",
        frameAnchor: "bottom",
        dy: -6,
        text: () => "样本量不足\n已隐去",
        lineHeight: 1.2,
        fontSize: 10,
        fill: "currentColor",
        fillOpacity: 0.6,
        className: "trend-band-suppressed"
      })
    ]
  });
  chart.classList.add("trend-band");
  return chart;
}
