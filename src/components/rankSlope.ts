// RankSlope(shifts, {width, highlight, all}): every unit's rank under the defined weights (left) and under the analyst's
// weights (right), joined by a line: rising units green, falling red, unchanged grey. Only the units that move most
// (and the one the reader picked) are named, in 12 px, their labels kept apart; the other lines stay faint and
// compact, so the chart reads at a glance whatever the number of units. `all: true` names every unit in rank order.
// When no unit moves, a sentence says so instead of a chart of flat lines.
// Input: rankShifts() of src/components/weighting.ts plus the units' names.
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
  /** Height of one rank step in pixels; default 7 (14 when every unit is named). */
  step?: number;
  /** Headings of the two columns. */
  left?: string;
  right?: string;
  /** How many of the units that move most are named. */
  top?: number;
  /** A unit (code) drawn dark and named, whether it moved or not. */
  highlight?: string | null;
  /** Name every unit (rank order on both sides). */
  all?: boolean;
  /** Font size of the names, in pixels. */
  fontSize?: number;
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

/** The units that move most, biggest move first (ties: the better new rank first), at most `top`. */
export function biggestMovers(points: readonly RankSlopePoint[], top: number): RankSlopePoint[] {
  return points
    .filter((p) => p.moved > 0)
    .sort((a, b) => b.moved - a.moved || a.afterAt - b.afterAt)
    .slice(0, Math.max(0, top));
}

/**
 * Positions for labels wanted at `at` (same units as the chart's y), at least `gap` apart and within [lo, hi], each as
 * close to its wish as the others allow; returned in the input order.
 */
export function spreadLabels(at: readonly number[], gap: number, lo: number, hi: number): number[] {
  const order = at.map((y, i) => ({ y, i })).sort((a, b) => a.y - b.y || a.i - b.i);
  const ys = order.map((o) => Math.min(Math.max(o.y, lo), hi));
  for (let k = 1; k < ys.length; k++) ys[k] = Math.max(ys[k], ys[k - 1] + gap);
  if (ys.length && ys[ys.length - 1] > hi) {
    ys[ys.length - 1] = hi;
    for (let k = ys.length - 2; k >= 0; k--) ys[k] = Math.min(ys[k], ys[k + 1] - gap);
  }
  const out = new Array<number>(at.length);
  order.forEach((o, k) => (out[o.i] = ys[k]));
  return out;
}

const COLORS: Record<Direction, string> = { up: "#3ca951", down: "#d1493f", same: "#aaa" };
const HIGHLIGHT = "#222";

export function RankSlope(
  rows: readonly RankSlopeRow[],
  {
    width = 640,
    step,
    left = "现行权重排名",
    right = "调整后排名",
    top = 10,
    highlight = null,
    all = false,
    fontSize = 12,
    document = globalThis.document
  }: RankSlopeOptions = {}
): HTMLElement | SVGSVGElement {
  const data = rankSlopeLayout(rows);
  const picked = data.find((d) => d.unit === highlight) ?? null;
  if (!all && data.every((d) => d.moved === 0)) {
    const p = document.createElement("p");
    p.className = "rank-slope rank-slope--unchanged muted";
    p.textContent = `各单位排名没有变化。拖动上方的滑块或选择一个起点，这里将画出排名上升和下降最多的单位。${
      picked ? `${picked.name}排第 ${picked.before} 名。` : ""
    }`;
    return p;
  }
  const n = Math.max(1, data.length);
  const lineGap = fontSize + 2;
  const rankStep = step ?? (all ? lineGap : 7);
  const named = all ? data : [...new Set([...biggestMovers(data, top), ...(picked ? [picked] : [])])];
  const isNamed = new Set(named.map((d) => d.unit));

  // The names take up to a third of the width on each side (cut to fit); the slopes get the middle.
  const arrowText = (d: RankSlopePoint) =>
    d.direction === "same" ? "" : `${d.direction === "up" ? "▲" : "▼"}${d.moved}`;
  const widest = Math.max(6, ...named.map((d) => textWidth(`${d.after}. ${d.name} ${arrowText(d)}`)));
  // On a phone the names get more of the width (the slopes still read in a narrow middle).
  const side = Math.round(Math.min(width * (width < 500 ? 0.42 : 0.36), 24 + fontSize * widest));
  const room = (side - 16) / fontSize - textWidth(`${n}. `);
  const cut = (name: string, reserve: number) =>
    wrapText(name, { maxWidth: Math.max(2, room - reserve), maxLines: 1, balance: false })[0];
  const beforeLabel = (d: RankSlopePoint) => `${d.before}. ${cut(d.name, 0)}`;
  const afterLabel = (d: RankSlopePoint) =>
    `${d.after}. ${cut(d.name, arrowText(d) ? textWidth(` ${arrowText(d)}`) : 0)}${arrowText(d) ? ` ${arrowText(d)}` : ""}`;

  // Label positions in rank units, kept a line apart (in all-mode the ranks are already a line apart).
  const gap = lineGap / rankStep;
  const beforeY = spreadLabels(
    named.map((d) => d.beforeAt),
    gap,
    0.5,
    n + 0.5
  );
  const afterY = spreadLabels(
    named.map((d) => d.afterAt),
    gap,
    0.5,
    n + 0.5
  );
  const labels = named.map((d, i) => ({ ...d, beforeY: beforeY[i], afterY: afterY[i] }));
  type Label = (typeof labels)[number];
  // The lines run from x = 0 to 1; names sit a little outside, joined to their line's end by a short leader.
  const out = 0.04;
  const stroke = (d: RankSlopePoint) => (d.unit === picked?.unit ? HIGHLIGHT : COLORS[d.direction]);
  const faint = data.filter((d) => !isNamed.has(d.unit));
  const height = 44 + Math.ceil(n * rankStep) + 12;

  const chart = Plot.plot({
    document,
    width,
    height,
    marginTop: 44,
    marginBottom: 12,
    marginLeft: side,
    marginRight: side,
    style: { fontSize: `${fontSize}px` },
    x: { domain: [-out, 1 + out], axis: null },
    y: { domain: [0.5, n + 0.5], reverse: true, axis: null },
    marks: [
      // The column headings over the names (not over the slopes, which may be narrow on a phone).
      ...(
        [
          [left, -out, "end", -4],
          [right, 1 + out, "start", 4]
        ] as const
      ).map(([heading, x, textAnchor, dx]) =>
        Plot.text([heading], {
          x: [x],
          frameAnchor: "top",
          dy: -32,
          dx,
          text: (d: string) => d,
          textAnchor,
          fontWeight: 600,
          fontSize: fontSize + 1
        })
      ),
      // The units not named: thin and faint, for the shape of the whole ranking.
      Plot.link(faint, {
        x1: 0,
        x2: 1,
        y1: "beforeAt",
        y2: "afterAt",
        stroke: (d: RankSlopePoint) => COLORS[d.direction],
        strokeWidth: 1,
        strokeOpacity: (d: RankSlopePoint) => (d.direction === "same" ? 0.35 : 0.5),
        className: "rank-slope-line rank-slope-faint"
      }),
      Plot.link(labels, {
        x1: 0,
        x2: 1,
        y1: "beforeAt",
        y2: "afterAt",
        stroke,
        strokeWidth: (d: Label) => (d.unit === picked?.unit ? 3 : all && d.direction === "same" ? 1 : 2.2),
        strokeOpacity: (d: Label) => (all && d.direction === "same" && d.unit !== picked?.unit ? 0.6 : 0.95),
        className: "rank-slope-line rank-slope-named"
      }),
      all
        ? null
        : Plot.link(labels, {
            x1: -out,
            x2: 0,
            y1: "beforeY",
            y2: "beforeAt",
            stroke,
            strokeOpacity: 0.5,
            className: "rank-slope-leader"
          }),
      all
        ? null
        : Plot.link(labels, {
            x1: 1,
            x2: 1 + out,
            y1: "afterAt",
            y2: "afterY",
            stroke,
            strokeOpacity: 0.5,
            className: "rank-slope-leader"
          }),
      // The names: the picked unit's in bold (Plot's fontWeight is one value per mark).
      ...[false, true].flatMap((bold) => {
        const of = labels.filter((d) => (d.unit === picked?.unit) === bold);
        return [
          Plot.text(of, {
            x: -out,
            y: "beforeY",
            text: beforeLabel,
            textAnchor: "end",
            dx: -4,
            fill: bold ? HIGHLIGHT : "currentColor",
            fontWeight: bold ? 700 : 400,
            className: "rank-slope-before"
          }),
          Plot.text(of, {
            x: 1 + out,
            y: "afterY",
            text: afterLabel,
            textAnchor: "start",
            dx: 4,
            fill: (d: Label) => (bold ? HIGHLIGHT : d.direction === "same" ? "currentColor" : COLORS[d.direction]),
            fontWeight: bold ? 700 : 400,
            className: "rank-slope-after"
          })
        ];
      })
    ]
  });
  chart.classList.add("rank-slope");
  return chart;
}
