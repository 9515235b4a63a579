// Quadrant(units, {x, y, width}): one dot per unit on two scores (by default the party-building and the business
// assessment totals), with the medians drawn as dashed lines that cut the plane into four quadrants. The units strong
// in one and weak in the other (两张皮) sit in the top-left and bottom-right quadrants; the caller names the quadrants
// and chooses which units get their name printed (in order of priority: a name goes above, below, right or left of
// its dot, wherever it overlaps nothing already there; one without room is left out, so a phone shows fewer names). Without medians it is a plain scatter of two unit-level scores.
// With `band` (points off the diagonal, e.g. 50 on percentile ranks) it draws the diagonal y = x and the shaded band
// y = x ± band instead: the units outside it are the ones the mart called 两张皮 (the caller highlights them; the
// chart decides nothing).
import * as Plot from "@observablehq/plot";
import { formatIndex, textWidth } from "./format.js";

export interface QuadrantUnit {
  code: string;
  name: string;
  [field: string]: unknown;
}

export type Accessor = string | ((unit: QuadrantUnit) => number | null | undefined);

export interface QuadrantOptions {
  /** The horizontal score: a field name or an accessor; default "partyBuilding". */
  x?: Accessor;
  /** The vertical score; default "business". */
  y?: Accessor;
  xLabel?: string;
  yLabel?: string;
  /** Where the vertical and horizontal dividing lines go (the medians); null draws none. */
  xMedian?: number | null;
  yMedian?: number | null;
  /** Captions of the quadrants: [top-left, top-right, bottom-left, bottom-right]. */
  corners?: [string, string, string, string] | null;
  /** Codes of the units whose names are printed beside their dots (and drawn darker). */
  label?: Iterable<string>;
  /** Codes of units drawn darker without their names (e.g. every unit outside the band). */
  highlight?: Iterable<string>;
  /** Half-width of the band around the diagonal y = x, in the axes' units; null draws none. */
  band?: number | null;
  /** A value axis domain shared by both axes, e.g. [60, 100]; by default each axis fits its data. */
  domain?: [number, number];
  width?: number;
  height?: number;
  document?: Document;
}

export interface QuadrantPoint {
  code: string;
  name: string;
  x: number;
  y: number;
  labelled: boolean;
  highlighted: boolean;
  /** "top-left" … relative to the medians; "" without medians or on a line. */
  corner: "" | "top-left" | "top-right" | "bottom-left" | "bottom-right";
}

/** A box in the chart's pixels: left, top, right, bottom. */
export type Box = [number, number, number, number];

export interface LabelRequest {
  code: string;
  name: string;
  /** The dot's centre, in px. */
  px: number;
  py: number;
}

const overlaps = (a: Box, b: Box) => a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3];

/**
 * Where each requested name goes, in priority order: above its dot, else below, right or left of it, wherever it
 * stays inside the frame and clear of the names already placed and of the obstacles (the corner captions, the
 * highlighted dots: a name never touches a 5 px box around its own dot, so that box may be among them). A name with no free place is left out (its dot stays highlighted). Returns the centre of each
 * placed name, in px, by unit code.
 */
export function placeLabels(
  requests: readonly LabelRequest[],
  { frame, obstacles = [], fontSize = 11 }: { frame: Box; obstacles?: Box[]; fontSize?: number }
): Map<string, { cx: number; cy: number }> {
  const placed = new Map<string, { cx: number; cy: number }>();
  const taken = [...obstacles];
  const h = fontSize + 3;
  for (const r of requests) {
    const w = textWidth(r.name) * fontSize + 4;
    const candidates = [
      { cx: r.px, cy: r.py - 6 - h / 2 },
      { cx: r.px, cy: r.py + 6 + h / 2 },
      { cx: r.px + 7 + w / 2, cy: r.py },
      { cx: r.px - 7 - w / 2, cy: r.py }
    ];
    for (const c of candidates) {
      const box: Box = [c.cx - w / 2, c.cy - h / 2, c.cx + w / 2, c.cy + h / 2];
      const inside = box[0] >= frame[0] && box[1] >= frame[1] && box[2] <= frame[2] && box[3] <= frame[3];
      if (!inside || taken.some((t) => overlaps(t, box))) continue;
      placed.set(r.code, c);
      taken.push(box);
      break;
    }
  }
  return placed;
}

const valueOf = (unit: QuadrantUnit, accessor: Accessor): number | null => {
  const v = typeof accessor === "function" ? accessor(unit) : unit[accessor];
  return typeof v === "number" && Number.isFinite(v) ? v : null;
};

/** The drawn points: units with both scores, and the quadrant each falls in. */
export function quadrantPoints(
  units: readonly QuadrantUnit[],
  {
    x = "partyBuilding",
    y = "business",
    xMedian = null,
    yMedian = null,
    label = [],
    highlight = []
  }: Pick<QuadrantOptions, "x" | "y" | "xMedian" | "yMedian" | "label" | "highlight"> = {}
): QuadrantPoint[] {
  const labelled = new Set(label);
  const highlighted = new Set(highlight);
  return units.flatMap((u) => {
    const px = valueOf(u, x);
    const py = valueOf(u, y);
    if (px === null || py === null) return [];
    let corner: QuadrantPoint["corner"] = "";
    if (xMedian != null && yMedian != null && px !== xMedian && py !== yMedian)
      corner = `${py > yMedian ? "top" : "bottom"}-${px > xMedian ? "right" : "left"}`;
    const named = labelled.has(u.code);
    return [
      {
        code: u.code,
        name: u.name,
        x: px,
        y: py,
        labelled: named,
        highlighted: named || highlighted.has(u.code),
        corner
      }
    ];
  });
}

export function Quadrant(
  units: readonly QuadrantUnit[],
  {
    x = "partyBuilding",
    y = "business",
    xLabel = "党建考核得分",
    yLabel = "业务考核得分",
    xMedian = null,
    yMedian = null,
    corners = null,
    label = [],
    highlight = [],
    band = null,
    domain,
    width = 640,
    height = Math.round(Math.min(560, Math.max(320, width * 0.62))),
    document = globalThis.document
  }: QuadrantOptions = {}
): HTMLElement | SVGSVGElement {
  const points = quadrantPoints(units, { x, y, xMedian, yMedian, label, highlight });
  const pad = (values: number[]): [number, number] => {
    const lo = Math.min(...values);
    const hi = Math.max(...values);
    const m = (hi - lo) * 0.06 || 1;
    return [Math.floor(lo - m), Math.ceil(hi + m)];
  };
  const xDomain = domain ?? (points.length ? pad(points.map((p) => p.x).concat(xMedian ?? [])) : [0, 100]);
  const yDomain = domain ?? (points.length ? pad(points.map((p) => p.y).concat(yMedian ?? [])) : [0, 100]);
  // The diagonal and the band, drawn across the x domain and clipped to the frame.
  const across = (offset: number) => [
    { x: xDomain[0], y: xDomain[0] + offset },
    { x: xDomain[1], y: xDomain[1] + offset }
  ];
  const bandMarks =
    band == null
      ? []
      : [
          Plot.areaY(across(0), {
            x: "x",
            y1: (d: { y: number }) => d.y - band,
            y2: (d: { y: number }) => d.y + band,
            fill: "currentColor",
            fillOpacity: 0.07,
            clip: true,
            className: "quadrant-band"
          }),
          Plot.line(across(0), {
            x: "x",
            y: "y",
            stroke: "currentColor",
            strokeDasharray: "5,4",
            strokeOpacity: 0.7,
            clip: true,
            className: "quadrant-diagonal"
          }),
          ...[-band, band].map((offset) =>
            Plot.line(across(offset), {
              x: "x",
              y: "y",
              stroke: "currentColor",
              strokeOpacity: 0.35,
              clip: true,
              className: "quadrant-band-edge"
            })
          )
        ];
  const cornerText =
    corners && band != null
      ? [
          { text: corners[0], frameAnchor: "top-left" as const },
          { text: corners[3], frameAnchor: "bottom-right" as const }
        ]
      : corners && xMedian != null && yMedian != null
        ? [
            { text: corners[0], frameAnchor: "top-left" as const },
            { text: corners[1], frameAnchor: "top-right" as const },
            { text: corners[2], frameAnchor: "bottom-left" as const },
            { text: corners[3], frameAnchor: "bottom-right" as const }
          ]
        : [];
  // The names go where they do not overlap one another, the corner captions or the highlighted dots (placeLabels),
  // in the caller's order of priority; the rest are left out. Positions in px, from the scales' domains and ranges.
  const margin = { left: 52, right: 20, top: 24, bottom: 44 };
  const frame: Box = [margin.left, margin.top, width - margin.right, height - margin.bottom];
  const px = (v: number) => frame[0] + ((v - xDomain[0]) / (xDomain[1] - xDomain[0])) * (frame[2] - frame[0]);
  const py = (v: number) => frame[3] - ((v - yDomain[0]) / (yDomain[1] - yDomain[0])) * (frame[3] - frame[1]);
  const cornerBoxes = cornerText
    .filter((c) => c.text)
    .map((c): Box => {
      const w = textWidth(c.text) * 12 + 4;
      const left = c.frameAnchor.endsWith("left") ? frame[0] + 6 : frame[2] - 6 - w;
      const top = c.frameAnchor.startsWith("top") ? frame[1] + 4 : frame[3] - 4 - 16;
      return [left, top, left + w, top + 16];
    });
  const dotBoxes = points
    .filter((p) => p.highlighted)
    .map((p): Box => [px(p.x) - 5, py(p.y) - 5, px(p.x) + 5, py(p.y) + 5]);
  const priority = [...label];
  const requests = points
    .filter((p) => p.labelled)
    .sort((a, b) => priority.indexOf(a.code) - priority.indexOf(b.code))
    .map((p) => ({ code: p.code, name: p.name, px: px(p.x), py: py(p.y) }));
  const placed = placeLabels(requests, { frame, obstacles: [...cornerBoxes, ...dotBoxes] });
  const labelled = points
    .filter((p) => placed.has(p.code))
    .map((p) => {
      const { cx, cy } = placed.get(p.code)!;
      return {
        ...p,
        lx: xDomain[0] + ((cx - frame[0]) / (frame[2] - frame[0])) * (xDomain[1] - xDomain[0]),
        ly: yDomain[0] + ((frame[3] - cy) / (frame[3] - frame[1])) * (yDomain[1] - yDomain[0])
      };
    });
  const chart = Plot.plot({
    document,
    width,
    height,
    marginLeft: margin.left,
    marginRight: margin.right,
    marginTop: margin.top,
    marginBottom: margin.bottom,
    style: { fontSize: "12px" },
    x: { domain: xDomain, label: xLabel, labelAnchor: "center", labelOffset: 36, grid: true },
    y: { domain: yDomain, label: yLabel, labelAnchor: "center", labelArrow: "none", grid: true },
    marks: [
      ...bandMarks,
      xMedian == null
        ? null
        : Plot.ruleX([xMedian], {
            stroke: "currentColor",
            strokeDasharray: "5,4",
            strokeOpacity: 0.7,
            className: "quadrant-median-x"
          }),
      yMedian == null
        ? null
        : Plot.ruleY([yMedian], {
            stroke: "currentColor",
            strokeDasharray: "5,4",
            strokeOpacity: 0.7,
            className: "quadrant-median-y"
          }),
      ...cornerText.map((c) =>
        Plot.text([c], {
          text: "text",
          frameAnchor: c.frameAnchor,
          dx: c.frameAnchor.endsWith("left") ? 6 : -6,
          dy: c.frameAnchor.startsWith("top") ? 4 : -4,
          fill: "#777",
          fontWeight: 600,
          className: "quadrant-corner"
        })
      ),
      Plot.dot(points, {
        x: "x",
        y: "y",
        r: (p: QuadrantPoint) => (p.highlighted ? 4.5 : 3.5),
        fill: (p: QuadrantPoint) => (p.highlighted ? "#d1493f" : "#4269d0"),
        fillOpacity: (p: QuadrantPoint) => (p.highlighted ? 0.95 : 0.55),
        stroke: "white",
        strokeWidth: 0.5,
        className: "quadrant-dot",
        tip: {
          channels: {
            单位: "name",
            [xLabel]: (p: QuadrantPoint) => formatIndex(p.x),
            [yLabel]: (p: QuadrantPoint) => formatIndex(p.y)
          },
          format: { x: false, y: false, r: false, fill: false, fillOpacity: false }
        }
      }),
      Plot.text(labelled, {
        x: "lx",
        y: "ly",
        text: "name",
        fontSize: 11,
        fill: "currentColor",
        stroke: "var(--theme-background, white)",
        strokeWidth: 3,
        paintOrder: "stroke",
        className: "quadrant-label"
      })
    ]
  });
  chart.classList.add("quadrant");
  return chart;
}
