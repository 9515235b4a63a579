// How a cause goes with the problems (pipeline/marts/driver-correlations.ts): Pearson r with its 95% interval for each of the
// cause's scales against each problem dimension (CorrelationDots, one panel per problem), and the standardized
// regression of each problem on all causes together (RegressionTable: betas, R², n). Both must be shown with the
// caveat that correlation is not cause (DriverCaveat, the text from pipeline/stats/drivers.ts). Leaders read them,
// so what they print is in words (相关系数, 合计能说明的差异), never the symbols r, β or R².
import * as Plot from "@observablehq/plot";
import type { CorrelationRow } from "../../pipeline/contracts/drivers.ts";
import { SUPPRESSED_NOTE, formatCount, formatNumber, formatPercent, textWidth, wrapText } from "./format.js";

/** One correlation of the mart (pipeline/marts/driver-correlations.ts), without its wave. */
export type CorrelationCell = Omit<CorrelationRow, "wave">;

export interface Named {
  code: string;
  name: string;
}

/** r to two decimals with a typographic minus: "−0.41". */
export function formatR(r: number | null | undefined): string {
  return formatNumber(r, 2).replace(/^-/, "−");
}

/** A p value as a report prints it: "p < 0.001", "p = 0.034". */
export function formatP(p: number | null | undefined): string {
  if (p == null || !Number.isFinite(p)) return "—";
  return p < 0.001 ? "p < 0.001" : `p = ${formatNumber(p, 3)}`;
}

/** How strong a correlation is, in words: |r| < 0.1 几乎不相关, < 0.3 较弱, < 0.5 中等, else 较强 (程度的正/负相关). */
export function strengthWords(r: number): string {
  const a = Math.abs(r);
  if (a < 0.1) return "几乎不相关";
  return `${a < 0.3 ? "较弱" : a < 0.5 ? "中等" : "较强"}程度的${r < 0 ? "负" : "正"}相关`;
}

export interface CorrelationDotsOptions {
  /** The rows of the chart (cause scales), in order; their names label the rows. */
  predictors: Named[];
  /** The panels (problem dimensions), in order. */
  outcomes: Named[];
  width?: number;
  fontSize?: number;
  document?: Document;
}

/** Narrower panels than this (a phone) are stacked, one chart per problem, on a shared r axis. */
export const CORRELATION_PANEL_MIN_WIDTH = 150;

/**
 * CorrelationDots(cells, {predictors, outcomes, width}) → a <figure> with the class "correlation-dots": one panel per
 * outcome, one row per predictor, a dot at r (class correlation-dots-dot) and its interval (correlation-dots-ci).
 * When the panels would be narrower than CORRELATION_PANEL_MIN_WIDTH, a <div class="correlation-dots"> of one such
 * chart per outcome, one under the other, all on the same r axis.
 */
export function CorrelationDots(
  cells: CorrelationCell[],
  options: CorrelationDotsOptions
): HTMLElement | SVGSVGElement {
  const { predictors, outcomes, width = 640, fontSize = 12, document = globalThis.document } = options;
  const labelOf = new Map(predictors.map((p) => [p.code, wrapText(p.name, { maxWidth: 7, maxLines: 2 })]));
  const marginLeft = Math.ceil(Math.max(3, ...[...labelOf.values()].flat().map((l) => textWidth(l))) * fontSize) + 10;
  const panel = (width - marginLeft - 12) / Math.max(1, outcomes.length);
  if (outcomes.length < 2 || panel >= CORRELATION_PANEL_MIN_WIDTH) return correlationPanels(cells, options, null);
  const stack = document.createElement("div");
  stack.className = "correlation-dots correlation-dots--stacked";
  const limit = correlationLimit(cells, predictors, outcomes);
  for (const outcome of outcomes)
    stack.appendChild(correlationPanels(cells, { ...options, outcomes: [outcome] }, limit));
  return stack;
}

/** The cells drawn: not suppressed, with r, of the given predictors and outcomes. */
function shownCells(cells: CorrelationCell[], predictors: Named[], outcomes: Named[]): CorrelationCell[] {
  return cells.filter(
    (c) =>
      !c.suppressed &&
      c.r != null &&
      predictors.some((p) => p.code === c.predictor) &&
      outcomes.some((o) => o.code === c.outcome)
  );
}

/** The r axis runs from −limit to limit: wide enough for every interval, in steps of 0.2, at least ±0.5. */
function correlationLimit(cells: CorrelationCell[], predictors: Named[], outcomes: Named[]): number {
  const shown = shownCells(cells, predictors, outcomes);
  const reach = Math.max(0.5, ...shown.flatMap((c) => [Math.abs(c.ciLow ?? c.r!), Math.abs(c.ciHigh ?? c.r!)]));
  return Math.min(1, Math.ceil(reach * 5) / 5);
}

function correlationPanels(
  cells: CorrelationCell[],
  { predictors, outcomes, width = 640, fontSize = 12, document = globalThis.document }: CorrelationDotsOptions,
  sharedLimit: number | null
): HTMLElement | SVGSVGElement {
  const shown = shownCells(cells, predictors, outcomes);
  const hidden = cells.filter(
    (c) =>
      !shown.includes(c) && predictors.some((p) => p.code === c.predictor) && outcomes.some((o) => o.code === c.outcome)
  );
  const outcomeName = new Map(outcomes.map((o) => [o.code, o.name]));
  const labelOf = new Map(predictors.map((p) => [p.code, wrapText(p.name, { maxWidth: 7, maxLines: 2 })]));
  const marginLeft = Math.ceil(Math.max(3, ...[...labelOf.values()].flat().map((l) => textWidth(l))) * fontSize) + 10;
  const limit = sharedLimit ?? correlationLimit(cells, predictors, outcomes);
  // Five ticks per panel where there is room; three in a narrow panel, short of its ends, so that neighbouring panels'
  // labels do not touch.
  const panel = (width - marginLeft - 12) / Math.max(1, outcomes.length);
  const ticks = panel < 240 ? [-limit / 2, 0, limit / 2] : [-limit, -limit / 2, 0, limit / 2, limit];
  const chart = Plot.plot({
    document,
    width,
    height: 40 + 40 + predictors.length * 30,
    marginTop: 40,
    marginBottom: 40,
    marginLeft,
    marginRight: 12,
    style: { fontSize: `${fontSize}px` },
    fx: {
      domain: outcomes.map((o) => o.code),
      tickFormat: (code: string) => outcomeName.get(code) ?? code,
      label: null,
      padding: 0.12
    },
    x: {
      domain: [-limit, limit],
      ticks,
      tickFormat: (d: number) => formatNumber(d, 1).replace(/^-/, "−"),
      // Stacked on a phone, the axis has no room for the explanation (the chart's caption gives it).
      label: sharedLimit == null ? "相关系数（负值：原因得分越高，问题越轻）" : "相关系数",
      labelAnchor: "center",
      labelOffset: 32,
      grid: true
    },
    y: { domain: predictors.map((p) => p.code), label: null, padding: 0.3 },
    marks: [
      Plot.axisFx({ anchor: "top", label: null, tickFormat: (code: string) => outcomeName.get(code) ?? code }),
      Plot.axisY({
        tickSize: 0,
        tickFormat: (code: string) => (labelOf.get(code) ?? [code]).join("\n"),
        lineWidth: Infinity
      }),
      Plot.ruleX([0], { strokeOpacity: 0.5 }),
      Plot.ruleY(shown, {
        fx: "outcome",
        x1: "ciLow",
        x2: "ciHigh",
        y: "predictor",
        stroke: "#4269d0",
        strokeWidth: 2,
        strokeOpacity: 0.5,
        className: "correlation-dots-ci"
      }),
      Plot.dot(shown, {
        fx: "outcome",
        x: "r",
        y: "predictor",
        r: 4,
        fill: "#4269d0",
        className: "correlation-dots-dot",
        tip: {
          channels: {
            问题: (c: CorrelationCell) => outcomeName.get(c.outcome) ?? c.outcome,
            相关系数: (c: CorrelationCell) => formatR(c.r),
            误差范围: (c: CorrelationCell) => `${formatR(c.ciLow)}～${formatR(c.ciHigh)}`,
            样本量: (c: CorrelationCell) => formatCount(c.n)
          },
          format: { x: false, y: false, fx: false }
        }
      }),
      Plot.text(hidden, {
        fx: "outcome",
        x: 0,
        y: "predictor",
        text: () => SUPPRESSED_NOTE,
        fillOpacity: 0.6,
        className: "correlation-dots-suppressed"
      })
    ]
  });
  chart.classList.add("correlation-dots");
  return chart;
}

export interface RegressionModel {
  outcome: string;
  n: number | null;
  rSquared: number | null;
  coefficients: { predictor: string; beta: number; p: number }[] | null;
  suppressed: boolean;
}

export interface RegressionTableOptions {
  predictors: Named[];
  outcomes: Named[];
  /** A predictor to emphasise (the page's cause). */
  highlight?: string | null;
  document?: Document;
}

/**
 * RegressionTable(models, {predictors, outcomes}) → a <table class="regression-table">: one row per problem, the
 * standardized β of each cause under the cause's name (no significance marks: the table is not adjusted for
 * multiplicity), R² as the share of the problem's differences the causes together account for (合计能说明的差异), and
 * n. A suppressed model reads 样本量不足，已隐去.
 */
export function RegressionTable(
  models: RegressionModel[],
  { predictors, outcomes, highlight = null, document = globalThis.document }: RegressionTableOptions
): HTMLTableElement {
  const table = document.createElement("table");
  table.className = "regression-table";
  const head = table.createTHead().insertRow();
  for (const text of ["问题", ...predictors.map((p) => p.name), "合计能说明的差异", "样本量"]) {
    const th = document.createElement("th");
    th.textContent = text;
    head.appendChild(th);
  }
  const body = table.createTBody();
  for (const o of outcomes) {
    const model = models.find((m) => m.outcome === o.code);
    const tr = body.insertRow();
    tr.dataset.outcome = o.code;
    tr.insertCell().textContent = o.name;
    if (!model || model.suppressed || !model.coefficients) {
      const td = tr.insertCell();
      td.colSpan = predictors.length + 2;
      td.className = "suppressed-note";
      td.textContent = SUPPRESSED_NOTE;
      continue;
    }
    for (const p of predictors) {
      const c = model.coefficients.find((k) => k.predictor === p.code);
      const td = tr.insertCell();
      td.dataset.predictor = p.code;
      // No significance mark: the table holds many tests at once, unadjusted for multiplicity; the betas say how
      // strongly each cause goes with each problem, and the page's text does not call any of them proven.
      td.textContent = c ? formatR(c.beta) : "—";
      if (p.code === highlight) td.style.fontWeight = "700";
    }
    tr.insertCell().textContent = formatPercent(model.rSquared);
    tr.insertCell().textContent = formatCount(model.n);
  }
  return table;
}
