// One unit against its category and all respondents, per scale: the unit's 0–100 index as a dot with its 95%
// interval, the category's and the whole's index as ticks. A suppressed unit row shows 样本量不足，已隐去 instead
// of the dot (the category and the whole are large groups and stay visible).
import * as Plot from "@observablehq/plot";
import { SUPPRESSED_NOTE, formatCount, formatIndex, formatInterval } from "./format.js";

export interface UnitCompareRow {
  code: string;
  name: string;
  n?: number | null;
  index: number | null;
  low?: number | null;
  high?: number | null;
  suppressed: boolean;
  category: number | null;
  all: number | null;
}

export interface UnitCompareOptions {
  width?: number;
  /** Legend names of the three marks. */
  labels?: { unit: string; category: string; all: string };
  domain?: [number, number];
  document?: Document;
}

const isNum = (x: number | null | undefined): x is number => typeof x === "number" && Number.isFinite(x);

/**
 * UnitCompare(rows, {width}) → a <figure> (legend + SVG) with the class "unit-compare". Mark groups: unit-compare-dot,
 * unit-compare-ci, unit-compare-category, unit-compare-all, unit-compare-suppressed.
 */
export function UnitCompare(
  rows: UnitCompareRow[],
  {
    width = 640,
    labels = { unit: "本单位", category: "本类单位", all: "全体" },
    domain = [0, 100],
    document = globalThis.document
  }: UnitCompareOptions = {}
): HTMLElement | SVGSVGElement {
  const shown = rows.filter((r) => !r.suppressed && isNum(r.index));
  const withCi = shown.filter((r) => isNum(r.low) && isNum(r.high));
  const hidden = rows.filter((r) => r.suppressed || !isNum(r.index));
  const nameOf = new Map(rows.map((r) => [r.code, r.name]));
  const chart = Plot.plot({
    document,
    width,
    height: 40 + 36 + rows.length * 34,
    marginTop: 20,
    marginBottom: 36,
    marginLeft: 84,
    marginRight: 20,
    style: { fontSize: "12px" },
    x: { domain, grid: true, label: "指数（0–100）", labelAnchor: "center", labelOffset: 32 },
    y: { domain: rows.map((r) => r.code), label: null, padding: 0.3 },
    color: {
      type: "ordinal",
      domain: [labels.unit, labels.category, labels.all],
      range: ["#4269d0", "#efb118", "#555"],
      legend: true
    },
    marks: [
      Plot.axisY({ tickSize: 0, tickFormat: (code: string) => nameOf.get(code) ?? code }),
      Plot.ruleY(withCi, {
        x1: "low",
        x2: "high",
        y: "code",
        stroke: () => labels.unit,
        strokeWidth: 2,
        strokeOpacity: 0.5,
        className: "unit-compare-ci"
      }),
      Plot.tickX(
        rows.filter((r) => isNum(r.category)),
        { x: "category", y: "code", stroke: () => labels.category, strokeWidth: 3, className: "unit-compare-category" }
      ),
      Plot.tickX(
        rows.filter((r) => isNum(r.all)),
        {
          x: "all",
          y: "code",
          stroke: () => labels.all,
          strokeWidth: 2,
          strokeDasharray: "3,2",
          className: "unit-compare-all"
        }
      ),
      Plot.dot(shown, {
        x: "index",
        y: "code",
        fill: () => labels.unit,
        r: 5,
        className: "unit-compare-dot",
        tip: {
          channels: {
            项目: "name",
            [labels.unit]: (d: UnitCompareRow) => formatIndex(d.index),
            "95%区间": (d: UnitCompareRow) => formatInterval(d.low, d.high, 1),
            样本量: (d: UnitCompareRow) => formatCount(d.n),
            [labels.category]: (d: UnitCompareRow) => formatIndex(d.category),
            [labels.all]: (d: UnitCompareRow) => formatIndex(d.all)
          },
          format: { x: false, y: false, fill: false }
        }
      }),
      Plot.text(shown, {
        x: "index",
        y: "code",
        text: (d: UnitCompareRow) => formatIndex(d.index),
        dy: -11,
        fill: "currentColor",
        className: "unit-compare-label"
      }),
      Plot.text(hidden, {
        x: domain[0],
        y: "code",
        text: () => SUPPRESSED_NOTE,
        dx: 6,
        textAnchor: "start",
        fill: "currentColor",
        fillOpacity: 0.6,
        className: "unit-compare-suppressed"
      })
    ]
  });
  chart.classList.add("unit-compare");
  return chart;
}
