// ShareTrend(rows, {width}): the share of respondents choosing each option of one question, wave by wave: a line per
// option with its 95% (Wilson) interval as a band, the option's name at the end of its line.
import * as Plot from "@observablehq/plot";
import { formatPercent } from "./format.js";

export interface ShareRow {
  wave: number;
  label: string;
  share: number;
  low: number;
  high: number;
  n?: number;
}

/** The end-of-line labels, moved apart (in share units) so that two options with about the same share stay readable. */
export function spreadLabels<T extends { share: number }>(rows: readonly T[], gap: number): (T & { labelY: number })[] {
  const sorted = [...rows].sort((a, b) => a.share - b.share).map((r) => ({ ...r, labelY: r.share }));
  for (let i = 1; i < sorted.length; i++) sorted[i].labelY = Math.max(sorted[i].labelY, sorted[i - 1].labelY + gap);
  // Centre the block that was pushed up back over the values it labels.
  const shift = sorted.reduce((s, r) => s + r.labelY - r.share, 0) / Math.max(1, sorted.length);
  return sorted.map((r) => ({ ...r, labelY: r.labelY - shift }));
}

const PALETTE = ["#efb118", "#4269d0", "#3ca951", "#9c6b4e", "#a463f2", "#ff725c"];

/** Below this width (a phone) the options are named in a legend, not at the line ends. */
export const NARROW_WIDTH = 560;

export function ShareTrend(
  rows: readonly ShareRow[],
  {
    width = 640,
    options,
    document = globalThis.document
  }: { width?: number; options?: string[]; document?: Document } = {}
): HTMLElement | SVGSVGElement {
  const labels = options ?? [...new Set(rows.map((r) => r.label))];
  const waves = [...new Set(rows.map((r) => r.wave))].sort((a, b) => a - b);
  const last = waves.at(-1);
  const top = Math.max(0.6, ...rows.map((r) => r.high));
  const ends = spreadLabels(
    rows.filter((r) => r.wave === last),
    top * 0.055
  );
  // On a phone the options' texts do not fit at the line ends: a legend above names them, and every other year is
  // labelled (always the latest), so that the years do not run together.
  const narrow = width < NARROW_WIDTH;
  const ticks = narrow ? waves.filter((_, i) => (waves.length - 1 - i) % 2 === 0) : waves;
  const chart = Plot.plot({
    document,
    width,
    height: 320,
    marginLeft: 44,
    marginRight: narrow ? 16 : Math.min(190, Math.round(width * 0.3)),
    marginTop: 28,
    marginBottom: 36,
    style: { fontSize: "12px" },
    x: { type: "point", domain: waves, ticks, label: null, tickFormat: (w: number) => `${w}年` },
    y: { domain: [0, top], label: "选择该项的比例", tickFormat: (d: number) => formatPercent(d), grid: true },
    color: { domain: labels, range: PALETTE, legend: narrow },
    marks: [
      Plot.areaY(rows, {
        x: "wave",
        y1: "low",
        y2: "high",
        fill: "label",
        fillOpacity: 0.15,
        className: "share-trend-band"
      }),
      Plot.line(rows, {
        x: "wave",
        y: "share",
        stroke: "label",
        strokeWidth: 2,
        marker: "circle-stroke",
        className: "share-trend-line"
      }),
      Plot.text(narrow ? [] : ends, {
        x: "wave",
        y: "labelY",
        text: (r: ShareRow) => `${r.label} ${formatPercent(r.share)}`,
        fill: "label",
        textAnchor: "start",
        dx: 8,
        className: "share-trend-end"
      }),
      Plot.tip(
        rows,
        Plot.pointer({
          x: "wave",
          y: "share",
          channels: {
            选项: "label",
            比例: (r: ShareRow) => formatPercent(r.share, 1),
            误差范围: (r: ShareRow) => `${formatPercent(r.low, 1)}–${formatPercent(r.high, 1)}`
          },
          format: { x: (w: number) => `${w}年`, y: false, stroke: false }
        })
      )
    ]
  });
  chart.classList.add("share-trend");
  return chart;
}
