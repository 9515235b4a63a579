// One breakdown at a glance: the 0–100 index of each group (身份, 党务工作年限, 单位类别 …) as a dot with its 95%
// interval, and everyone's index as a dashed line, so that a reader sees which groups lie clearly above or below.
// Groups too small to publish show 样本量不足，已隐去 in their row.
import * as Plot from "@observablehq/plot";
import { SUPPRESSED_NOTE, formatIndex, textWidth, wrapText } from "./format.js";

export interface GroupScore {
  group: string;
  n: number | null;
  /** The index's 95% interval. */
  indexLow: number | null;
  indexHigh: number | null;
  index: number | null;
  suppressed: boolean;
}

export interface GroupDot {
  group: string;
  value: number;
  low: number;
  high: number;
  n: number;
}

export interface GroupDotsOptions {
  width?: number;
  /** Everyone's index, drawn as a dashed reference line. */
  overall?: number | null;
  /** The x axis; defaults to a range around the data, in steps of 10, within 0–100. */
  domain?: [number, number];
  /** Dot colour. */
  color?: string;
  fontSize?: number;
  document?: Document;
}

/** The drawn dots: the non-suppressed groups on the index scale, in input order. */
export function groupDotValues(rows: GroupScore[]): GroupDot[] {
  return rows
    .filter((d) => !d.suppressed && d.index != null && d.indexLow != null && d.indexHigh != null && d.n != null)
    .map((d) => ({ group: d.group, value: d.index!, low: d.indexLow!, high: d.indexHigh!, n: d.n! }));
}

/**
 * GroupDots(rows, {width, overall}) → a <figure> with the class "group-dots": one row per group (input
 * order), a dot (class group-dots-dot) at its index and a line for its interval (group-dots-ci).
 */
export function GroupDots(
  rows: GroupScore[],
  {
    width = 320,
    overall = null,
    domain,
    color = "#4269d0",
    fontSize = 12,
    document = globalThis.document
  }: GroupDotsOptions = {}
): HTMLElement | SVGSVGElement {
  const dots = groupDotValues(rows);
  const suppressed = rows.filter((d) => !dots.some((x) => x.group === d.group));
  const values = [...dots.flatMap((d) => [d.low, d.high]), ...(overall == null ? [] : [overall])];
  const x: [number, number] =
    domain ??
    (values.length
      ? [
          Math.max(0, Math.floor(Math.min(...values) / 10) * 10),
          Math.min(100, Math.ceil(Math.max(...values) / 10) * 10)
        ]
      : [0, 100]);
  if (x[1] - x[0] < 20) x[1] = Math.min(100, x[0] + 20);
  // Labels wrap to two lines of at most 6 characters; the margin fits the widest line.
  const labelOf = new Map(rows.map((d) => [d.group, wrapText(d.group, { maxWidth: 6, maxLines: 2 })]));
  const marginLeft = Math.ceil(Math.max(3, ...[...labelOf.values()].flat().map((l) => textWidth(l))) * fontSize) + 10;
  const chart = Plot.plot({
    document,
    width,
    height: 28 + 36 + rows.length * 34,
    marginTop: 28,
    marginBottom: 36,
    marginLeft,
    marginRight: 40,
    style: { fontSize: `${fontSize}px` },
    x: {
      domain: x,
      label: "指数（0–100）",
      labelAnchor: "center",
      labelOffset: 30,
      grid: true,
      ticks: Math.max(2, Math.round((x[1] - x[0]) / 10))
    },
    y: { domain: rows.map((d) => d.group), label: null, padding: 0.3 },
    marks: [
      Plot.axisY({ tickSize: 0, tickFormat: (g: string) => (labelOf.get(g) ?? [g]).join("\n"), lineWidth: Infinity }),
      overall == null
        ? null
        : Plot.ruleX([overall], { stroke: "currentColor", strokeDasharray: "4,3", strokeOpacity: 0.6 }),
      overall == null
        ? null
        : Plot.text([overall], {
            x: (d: number) => d,
            frameAnchor: "top",
            dy: -16,
            text: () => `全体 ${formatIndex(overall)}`,
            fillOpacity: 0.7
          }),
      Plot.ruleY(dots, {
        x1: "low",
        x2: "high",
        y: "group",
        stroke: color,
        strokeWidth: 2,
        strokeOpacity: 0.5,
        className: "group-dots-ci"
      }),
      Plot.dot(dots, {
        x: "value",
        y: "group",
        r: 4.5,
        fill: color,
        className: "group-dots-dot",
        tip: {
          channels: {
            群体: "group",
            指数: (d: GroupDot) => formatIndex(d.value),
            误差范围: (d: GroupDot) => `${formatIndex(d.low)}–${formatIndex(d.high)}`,
            样本量: "n"
          },
          format: { x: false, y: false }
        }
      }),
      Plot.text(dots, {
        x: "high",
        y: "group",
        text: (d: GroupDot) => formatIndex(d.value),
        dx: 6,
        textAnchor: "start"
      }),
      Plot.text(suppressed, {
        x: x[0],
        y: "group",
        text: () => SUPPRESSED_NOTE,
        dx: 4,
        textAnchor: "start",
        fillOpacity: 0.6,
        className: "group-dots-suppressed"
      })
    ]
  });
  chart.classList.add("group-dots");
  return chart;
}
