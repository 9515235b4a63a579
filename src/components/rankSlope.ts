// RankSlope(shifts, {width}): every unit's rank under the defined weights (left) and under the analyst's weights
// (right), joined by a line: rising units green, falling red, unchanged grey; the names of the units are printed in
// rank order on both sides. Input: rankShifts() of src/components/weighting.ts plus the units' names.
import * as Plot from "@observablehq/plot";
import { textWidth, wrapText } from "./format.js";

export interface RankSlopeRow {
  unit: string;
  name: string;
  before: number;
  after: number;
}

export interface RankSlopeOptions {
  width?: number;
  /** Height of one rank step in pixels: 11 keeps 73 units within one printed A4 page. */
  step?: number;
  /** Headings of the two columns. */
  left?: string;
  right?: string;
  /** A move of at least this many places is drawn thick. */
  emphasize?: number;
  document?: Document;
}

export type Direction = "up" | "down" | "same";

export function directionOf(row: Pick<RankSlopeRow, "before" | "after">): Direction {
  return row.after < row.before ? "up" : row.after > row.before ? "down" : "same";
}

export interface RankSlopePoint extends RankSlopeRow {
  direction: Direction;
  moved: number;
  /** Line positions 1..n on each side: the rank order, tied ranks one below the other (by unit code). */
  beforeAt: number;
  afterAt: number;
}

export function rankSlopeLayout(rows: readonly RankSlopeRow[]): RankSlopePoint[] {
  const order = (key: "before" | "after") =>
    new Map(
      [...rows]
        .sort((a, b) => a[key] - b[key] || (a.unit < b.unit ? -1 : a.unit > b.unit ? 1 : 0))
        .map((r, i) => [r.unit, i + 1])
    );
  const before = order("before");
  const after = order("after");
  return rows.map((r) => ({
    ...r,
    direction: directionOf(r),
    moved: Math.abs(r.before - r.after),
    beforeAt: before.get(r.unit)!,
    afterAt: after.get(r.unit)!
  }));
}

const COLORS: Record<Direction, string> = { up: "#3ca951", down: "#d1493f", same: "#aaa" };

export function RankSlope(
  rows: readonly RankSlopeRow[],
  {
    width = 640,
    step = 11,
    left = "现行权重排名",
    right = "调整后排名",
    emphasize = 5,
    document = globalThis.document
  }: RankSlopeOptions = {}
): HTMLElement | SVGSVGElement {
  const data = rankSlopeLayout(rows);
  const n = Math.max(1, data.length);
  // Labels take up to a third of the width on each side (names cut to fit); the slopes get the middle.
  const side = Math.round(
    Math.min(width * 0.36, 20 + 10 * Math.max(...data.map((d) => textWidth(`${d.before}. ${d.name} ▲99`)), 6))
  );
  const fit = Math.max(4, (side - 40) / 10);
  const label = (rank: number, name: string) =>
    `${rank}. ${wrapText(name, { maxWidth: fit, maxLines: 1, balance: false })[0]}`;
  const chart = Plot.plot({
    document,
    width,
    height: 40 + n * step + 10,
    marginTop: 40,
    marginBottom: 10,
    marginLeft: side,
    marginRight: side,
    style: { fontSize: "10px" },
    x: { domain: [0, 1], axis: null },
    y: { domain: [0.5, n + 0.5], reverse: true, axis: null },
    marks: [
      Plot.text([left, right], {
        x: [0, 1],
        frameAnchor: "top",
        dy: -30,
        text: (d: string) => d,
        fontWeight: 600,
        fontSize: 12
      }),
      Plot.link(data, {
        x1: 0,
        x2: 1,
        y1: "beforeAt",
        y2: "afterAt",
        stroke: (d: (typeof data)[number]) => COLORS[d.direction],
        strokeWidth: (d: (typeof data)[number]) => (d.moved >= emphasize ? 2.2 : 1),
        strokeOpacity: (d: (typeof data)[number]) => (d.direction === "same" ? 0.6 : 0.9),
        className: "rank-slope-line"
      }),
      Plot.text(data, {
        x: 0,
        y: "beforeAt",
        text: (d: (typeof data)[number]) => label(d.before, d.name),
        textAnchor: "end",
        dx: -6,
        className: "rank-slope-before"
      }),
      Plot.text(data, {
        x: 1,
        y: "afterAt",
        text: (d: (typeof data)[number]) =>
          `${label(d.after, d.name)}${d.direction === "same" ? "" : d.direction === "up" ? ` ▲${d.moved}` : ` ▼${d.moved}`}`,
        textAnchor: "start",
        dx: 6,
        fill: (d: (typeof data)[number]) => (d.direction === "same" ? "currentColor" : COLORS[d.direction]),
        className: "rank-slope-after"
      })
    ]
  });
  chart.classList.add("rank-slope");
  return chart;
}
