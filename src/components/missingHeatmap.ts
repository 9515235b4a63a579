// MissingHeatmap(rows, {questions, width}): the share of respondents who gave no answer, per question (rows, in
// codebook order) and wave (columns), as a grid of cells shaded from white (none) to dark red; shares of 5% and
// more are printed in the cell; open-text questions, mostly left empty, do not set the scale (their cells saturate). No colour ramp legend (Plot draws it on a canvas); the numbers in the cells are the key.
import * as Plot from "@observablehq/plot";
import { formatPercent, wrapText } from "./format.js";

export interface MissingRow {
  wave: number;
  question: string;
  share: number;
  missing: number;
  respondents: number;
}

export interface MissingQuestion {
  code: string;
  number: number | null;
  text: string;
  /** Open-text questions ("text") are mostly left empty: they do not set the colour scale (their cells saturate). */
  type?: string;
}

export function MissingHeatmap(
  rows: readonly MissingRow[],
  {
    questions,
    width = 640,
    document = globalThis.document
  }: { questions: readonly MissingQuestion[]; width?: number; document?: Document }
): HTMLElement | SVGSVGElement {
  const waves = [...new Set(rows.map((r) => r.wave))].sort((a, b) => a - b);
  const codes = questions.map((q) => q.code).filter((c) => rows.some((r) => r.question === c));
  const labelWidth = width < 560 ? 10 : 16;
  const label = new Map(
    questions.map((q) => [
      q.code,
      wrapText(`${q.number ?? ""}${q.number == null ? "" : "、"}${q.text}`, { maxWidth: labelWidth, maxLines: 1 })[0]
    ])
  );
  const open = new Set(questions.filter((q) => q.type === "text").map((q) => q.code));
  const max = Math.max(0.05, ...rows.filter((r) => !open.has(r.question)).map((r) => r.share));
  const chart = Plot.plot({
    document,
    width,
    height: 40 + codes.length * 15, // 53 questions stay within one printed A4 page
    marginLeft: Math.round(labelWidth * 12) + 8,
    marginTop: 30,
    marginBottom: 8,
    marginRight: 8,
    style: { fontSize: "10.5px" },
    x: { domain: waves, axis: "top", label: null, tickFormat: (w: number) => `${w}年`, padding: 0.04 },
    y: { domain: codes, label: null, tickFormat: (c: string) => label.get(c) ?? c, padding: 0.04, tickSize: 0 },
    color: { type: "linear", domain: [0, max], range: ["#ffffff", "#b2182b"], clamp: true, legend: false },
    marks: [
      Plot.cell(rows, {
        x: "wave",
        y: "question",
        fill: "share",
        stroke: "#eee",
        className: "missing-cell",
        tip: {
          channels: {
            题目: (r: MissingRow) => label.get(r.question) ?? r.question,
            未作答: (r: MissingRow) => `${r.missing} / ${r.respondents}（${formatPercent(r.share, 1)}）`
          },
          format: { x: (w: number) => `${w}年`, y: false, fill: false }
        }
      }),
      Plot.text(
        rows.filter((r) => r.share >= 0.05),
        {
          x: "wave",
          y: "question",
          text: (r: MissingRow) => formatPercent(r.share),
          fill: (r: MissingRow) => (r.share > max * 0.6 ? "white" : "black")
        }
      )
    ]
  });
  chart.classList.add("missing-heatmap");
  return chart;
}
