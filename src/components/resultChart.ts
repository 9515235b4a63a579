// A chart for the result of an analyst's query (the explore page): it looks at the result's columns and picks
//   - "scores": rows with name, index, index_low and index_high (a scale_scores query) → ScoreBars, one bar per row
//     with its 95% interval;
//   - "trend":  a wave (or year) column and a value column → one line per series (the first text column);
//   - "bars":   a text column and a value column → one horizontal bar per row, in the result's order;
// or returns null when the result has nothing to draw (the page then shows the table only).
// The value column is the first of index, mean, agree_share, rate, share, party_building, business present, else the
// first other numeric column. Suppressed rows (suppressed = true, or a null value) are left out of the lines and bars.
import * as Plot from "@observablehq/plot";
import { ScoreBars, type ScoreRow } from "./scoreBars.js";
import { formatNumber, wrapText } from "./format.js";

export type ResultRow = Record<string, unknown>;
export type ResultShape = "scores" | "trend" | "bars";

export interface ResultChartOptions {
  width?: number;
  /** At most this many bars (the first rows of the result). */
  maxBars?: number;
  document?: Document;
}

const PREFERRED_VALUES = ["index", "mean", "agree_share", "rate", "share", "party_building", "business", "count"];
const NOT_VALUES = new Set(["wave", "year", "n", "headcount", "previous_wave", "score", "scale_min", "scale_max"]);
const TIME = ["wave", "year"];

const isNum = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);

/** Columns whose non-null values are all numbers / all strings (columns that are null throughout count as neither). */
function columnKinds(rows: ResultRow[]): { numeric: string[]; text: string[] } {
  const names = rows.length ? Object.keys(rows[0]) : [];
  const present = (c: string) => rows.map((r) => r[c]).filter((v) => v !== null && v !== undefined);
  return {
    numeric: names.filter((c) => present(c).length > 0 && present(c).every(isNum)),
    text: names.filter((c) => present(c).length > 0 && present(c).every((v) => typeof v === "string"))
  };
}

/** The column drawn as the value: a preferred statistic if present, else the first other numeric column. */
export function valueColumn(rows: ResultRow[]): string | null {
  const { numeric } = columnKinds(rows);
  return PREFERRED_VALUES.find((c) => numeric.includes(c)) ?? numeric.find((c) => !NOT_VALUES.has(c)) ?? null;
}

/** Which chart a result gets, or null for none. */
export function resultShape(rows: ResultRow[]): ResultShape | null {
  if (rows.length === 0) return null;
  const { numeric, text } = columnKinds(rows);
  if (text.includes("name") && ["index", "index_low", "index_high"].every((c) => numeric.includes(c))) return "scores";
  const value = valueColumn(rows);
  if (!value) return null;
  if (TIME.some((c) => numeric.includes(c) && c !== value)) return "trend";
  if (text.length > 0) return "bars";
  return null;
}

/** Text columns whose value differs between rows (they tell rows with the same name apart). */
function varying(rows: ResultRow[], columns: string[]): string[] {
  return columns.filter((c) => new Set(rows.map((r) => String(r[c]))).size > 1);
}

/** A row's label for the scores and bars charts: its name (or first text column) plus whatever else varies. */
function labels(rows: ResultRow[], main: string): string[] {
  const { text, numeric } = columnKinds(rows);
  const extra = varying(rows, [
    ...text.filter((c) => c !== main && c !== "code" && c !== "section" && c !== "dimension"),
    ...numeric.filter((c) => TIME.includes(c))
  ]);
  return rows.map((r) => [r[main], ...extra.map((c) => r[c])].filter((v) => v !== null && v !== undefined).join(" · "));
}

function scoresChart(rows: ResultRow[], width: number, document: Document): Element {
  const label = labels(rows, "name");
  const colourBy = ["section_name", "dimension", "breakdown_name"].find((c) =>
    rows.some((r) => typeof r[c] === "string")
  );
  const scores: ScoreRow[] = rows.map((r, i) => ({
    code: `r${i}`,
    // ScoreBars keeps 96 px for the labels: one line of about 7 characters.
    name: wrapText(label[i], { maxWidth: 7, maxLines: 1 })[0],
    dimension: colourBy ? String(r[colourBy]) : undefined,
    n: isNum(r.n) ? r.n : null,
    index: isNum(r.index) ? r.index : null,
    indexLow: isNum(r.index_low) ? r.index_low : null,
    indexHigh: isNum(r.index_high) ? r.index_high : null,
    suppressed: r.suppressed === true || !isNum(r.index)
  }));
  return ScoreBars(scores, { width, measure: "index", document });
}

/** Decimals for the value labels: as many as the values have, at most two (one for values of 10 and more). */
export function labelDigits(values: number[]): number {
  const decimals = (v: number) => (String(Math.round(v * 1e4) / 1e4).split(".")[1] ?? "").length;
  const cap = values.some((v) => Math.abs(v) >= 10) ? 1 : 2;
  return Math.min(cap, Math.max(0, ...values.map(decimals)));
}

/** A y domain that is never a single point (Plot would draw a flat axis without ticks). */
function spread(values: number[]): [number, number] | undefined {
  if (values.length === 0) return undefined;
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  return lo === hi ? [Math.min(0, lo - 1), Math.max(lo + 1, 1)] : undefined;
}

function trendChart(rows: ResultRow[], value: string, width: number, document: Document): Element {
  const { numeric, text } = columnKinds(rows);
  const time = TIME.find((c) => numeric.includes(c) && c !== value)!;
  // A series is one combination of the text columns that vary (e.g. section · name); the rest label nothing.
  const keys = varying(rows, text);
  const seriesOf = (r: ResultRow) => keys.map((c) => r[c] ?? "—").join(" · ");
  const points = rows
    .filter((r) => isNum(r[value]) && isNum(r[time]) && r.suppressed !== true)
    .map((r) => ({ time: r[time] as number, value: r[value] as number, series: seriesOf(r) }));
  const times = [...new Set(points.map((p) => p.time))].sort((a, b) => a - b);
  const series = [...new Set(points.map((p) => p.series))];
  const digits = labelDigits(points.map((p) => p.value));
  const labelled = keys.length > 0;
  return Plot.plot({
    document,
    width,
    height: 340,
    marginLeft: 48,
    marginRight: labelled ? Math.round(Math.max(80, Math.min(220, width * 0.28))) : 24,
    style: { fontSize: "12px" },
    x: { label: time === "wave" ? "调查轮次" : "年度", ticks: times, tickFormat: (d: number) => String(d) },
    y: { label: value, grid: true, nice: true, domain: spread(points.map((p) => p.value)) },
    color: { domain: series, legend: labelled && series.length <= 10 },
    marks: [
      Plot.lineY(points, {
        x: "time",
        y: "value",
        z: "series",
        stroke: labelled ? "series" : "currentColor",
        sort: "time",
        className: "result-chart-line"
      }),
      Plot.dot(points, {
        x: "time",
        y: "value",
        fill: labelled ? "series" : "currentColor",
        r: 2.5,
        title: (p: { time: number; value: number; series: string }) =>
          `${labelled ? `${p.series} · ` : ""}${p.time}：${formatNumber(p.value, digits)}`
      }),
      // Each line named at its last point (the legend alone cannot tell a dozen colours apart).
      labelled
        ? Plot.text(
            points,
            Plot.selectLast({
              x: "time",
              y: "value",
              z: "series",
              text: "series",
              fill: "series",
              dx: 6,
              textAnchor: "start",
              lineWidth: 12
            })
          )
        : null
    ]
  }) as unknown as Element;
}

function barsChart(rows: ResultRow[], value: string, width: number, maxBars: number, document: Document): Element {
  const { text } = columnKinds(rows);
  const main = text.includes("name") ? "name" : text[0];
  const shown = rows.slice(0, maxBars);
  const label = labels(shown, main);
  const bars = shown
    .map((r, i) => ({ key: `r${i}`, label: label[i], value: r[value] }))
    .filter(
      (b): b is { key: string; label: string; value: number } =>
        isNum(b.value) && shown[Number(b.key.slice(1))].suppressed !== true
    );
  const labelWidth = Math.round(Math.max(120, Math.min(280, width * 0.35)));
  const digits = labelDigits(bars.map((b) => b.value));
  const labelOf = new Map(
    shown.map((_, i) => [`r${i}`, wrapText(label[i], { maxWidth: (labelWidth - 12) / 12, maxLines: 2 }).join("\n")])
  );
  return Plot.plot({
    document,
    width,
    height: 40 + 28 * shown.length,
    marginLeft: labelWidth,
    marginRight: 56,
    style: { fontSize: "12px" },
    // Room for the value written after the longest bars, on either side.
    x: { label: value, grid: true, nice: true, insetLeft: bars.some((b) => b.value < 0) ? 40 : 0, insetRight: 40 },
    y: { domain: shown.map((_, i) => `r${i}`), label: null, padding: 0.25 },
    marks: [
      Plot.axisY({ tickSize: 0, tickFormat: (k: string) => labelOf.get(k) ?? k, lineWidth: Infinity }),
      Plot.barX(bars, {
        x: "value",
        y: "key",
        fill: "#4269d0",
        fillOpacity: 0.85,
        className: "result-chart-bar",
        title: (b: { label: string; value: number }) => `${b.label}：${formatNumber(b.value, digits)}`
      }),
      // The value after the bar's end: right of a positive bar, left of a negative one.
      Plot.text(
        bars.filter((b) => b.value >= 0),
        {
          x: "value",
          y: "key",
          text: (b: { value: number }) => formatNumber(b.value, digits),
          dx: 4,
          textAnchor: "start",
          className: "result-chart-value"
        }
      ),
      Plot.text(
        bars.filter((b) => b.value < 0),
        {
          x: "value",
          y: "key",
          text: (b: { value: number }) => formatNumber(b.value, digits),
          dx: -4,
          textAnchor: "end",
          className: "result-chart-value"
        }
      ),
      Plot.ruleX([0])
    ]
  }) as unknown as Element;
}

/**
 * ResultChart(rows, {width}) → an element with the class "result-chart" and data-shape = scores | trend | bars, or
 * null when the result has no column to draw.
 */
export function ResultChart(
  rows: ResultRow[],
  { width = 640, maxBars = 40, document = globalThis.document }: ResultChartOptions = {}
): Element | null {
  const shape = resultShape(rows);
  if (!shape) return null;
  const value = valueColumn(rows)!;
  const chart =
    shape === "scores"
      ? scoresChart(rows, width, document)
      : shape === "trend"
        ? trendChart(rows, value, width, document)
        : barsChart(rows, value, width, maxBars, document);
  chart.classList.add("result-chart");
  chart.setAttribute("data-shape", shape);
  return chart;
}
