// A 0–100 index over the survey waves: one line per series with its 95% confidence band, ▲/▼ above the waves whose
// change since the previous wave is significant (the marts' change test; changeBadge.ts decides arrow and colour),
// and 样本量不足/已隐去 where a wave is suppressed. Comparison series (a unit's category, all respondents) can be drawn
// dashed and without a band. With `endLabels`, each line is named at its end with its last value (no legend to look
// up), the labels pushed apart where lines end close together.
import * as Plot from "@observablehq/plot";
import { changeView } from "./changeBadge.js";
import {
  SUPPRESSED_NOTE,
  formatChange,
  formatCount,
  formatIndex,
  formatInterval,
  formatWave,
  textWidth
} from "./format.js";

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
  /** Name each line at its last shown wave with its value ("制度机制 59.2") instead of a legend. */
  endLabels?: boolean;
  /** Opacity of the 95% bands (0: none). */
  bandOpacity?: number;
  document?: Document;
}

export const TREND_COLORS = ["#4269d0", "#efb118", "#ff725c", "#6cc5b0", "#a463f2", "#9c6b4e", "#97bbf5", "#3ca951"];
/**
 * Colours of lines named at their ends: dark enough for text on white and on paper, and none of them the green/red
 * of a verdict (a line is a series, not good or bad news).
 */
export const LABELLED_COLORS = ["#3559b7", "#8a3ffc", "#a0522d", "#0f7d6f", "#6b6b6b"];

/** Font size of the end labels (px); ≥ 8 pt when printed at the page's scale. */
const END_LABEL_SIZE = 12;

/**
 * Pushes label positions (pixels, any order) apart to at least `gap`, keeping them within [top, bottom] and as close
 * to where they belong as possible. Returns the positions in the input's order.
 */
export function dodgeLabels(ys: number[], gap: number, top = -Infinity, bottom = Infinity): number[] {
  const order = ys.map((y, i) => ({ y, i })).sort((a, b) => a.y - b.y || a.i - b.i);
  const placed = order.map((o) => o.y);
  // Forward pass pushes down, backward pass pulls up from the bottom edge, a final pass restores the gap from the top.
  for (let k = 0; k < placed.length; k++) placed[k] = Math.max(placed[k], k ? placed[k - 1] + gap : top);
  for (let k = placed.length - 1; k >= 0; k--)
    placed[k] = Math.min(placed[k], k < placed.length - 1 ? placed[k + 1] - gap : bottom);
  for (let k = 0; k < placed.length; k++) placed[k] = Math.max(placed[k], k ? placed[k - 1] + gap : top);
  const out = new Array<number>(ys.length);
  order.forEach((o, k) => (out[o.i] = placed[k]));
  return out;
}

/** The text that names a line at its end: its label and its last value. */
export function endLabelText(label: string, index: number | null | undefined): string {
  return `${label} ${formatIndex(index)}`;
}

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
    endLabels = false,
    bandOpacity = 0.16,
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
  const palette = endLabels && colors === TREND_COLORS ? LABELLED_COLORS : colors;

  // Each solid series named at its last shown wave; the labels dodged in pixels, then placed back in index units.
  const marginTop = 24;
  const marginBottom = 30;
  const ends = endLabels
    ? series.flatMap((s) => {
        const last = [...s.points].reverse().find((p) => !p.suppressed && isNum(p.index));
        return last
          ? [{ label: s.label, wave: last.wave, index: last.index!, text: endLabelText(s.label, last.index) }]
          : [];
      })
    : [];
  const marginRight = ends.length
    ? Math.ceil(Math.max(...ends.map((e) => textWidth(e.text))) * END_LABEL_SIZE) + 14
    : 16;
  const marginLeft = 44;
  const plotHeight = Math.max(1, height - marginTop - marginBottom);
  const [d0, d1] = domain;
  const toPx = (v: number) => marginTop + ((d1 - v) / (d1 - d0)) * plotHeight;
  const fromPx = (px: number) => d1 - ((px - marginTop) / plotHeight) * (d1 - d0);
  const dodged = dodgeLabels(
    ends.map((e) => toPx(e.index)),
    END_LABEL_SIZE + 2,
    marginTop,
    height - marginBottom
  );
  const endMarks = ends.map((e, i) => ({ ...e, at: fromPx(dodged[i]) }));
  // Narrow charts label every other wave (always the last), so that the years never run together.
  const perWave = (width - marginLeft - marginRight) / Math.max(1, waves.length - 1);
  const ticks = perWave >= 38 ? waves : waves.filter((_, i) => (waves.length - 1 - i) % 2 === 0);

  const chart = Plot.plot({
    document,
    width,
    height,
    marginTop,
    marginLeft,
    marginRight,
    marginBottom,
    style: { fontSize: "12px" },
    x: { domain: [x0 - pad, x1 + pad], ticks, tickFormat: (d: number) => `${d}`, label: null },
    y: { domain, grid: true, label: yLabel, labelArrow: "none" },
    color: { type: "ordinal", domain: labels, range: palette, legend: labels.length > 1 && !endLabels },
    marks: [
      Plot.areaY(
        solid.filter((p) => isNum(p.low) && isNum(p.high) && isNum(p.index)),
        {
          x: "wave",
          y1: "low",
          y2: "high",
          z: "key",
          fill: "label",
          fillOpacity: bandOpacity,
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
      }),
      Plot.text(endMarks, {
        x: "wave",
        y: "at",
        text: "text",
        fill: "label",
        dx: 8,
        textAnchor: "start",
        fontSize: END_LABEL_SIZE,
        fontWeight: 600,
        className: "trend-band-end-label"
      })
    ]
  });
  chart.classList.add("trend-band");
  return chart;
}
