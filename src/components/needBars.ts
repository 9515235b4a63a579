// The measures page's overview chart: every part of every measure as a bar of its need (the mean gap, 0–100, of the
// sub-dimensions of its basis section it addresses; pipeline/marts/measures.ts), in the order given (the report's),
// coloured by measure; parts that apply (需加强) are drawn solid, the others pale. Parts without evidence (suppressed
// groups) show 样本量不足，已隐去.
import * as Plot from "@observablehq/plot";
import { SUPPRESSED_NOTE, formatIndex, textWidth } from "./format.js";

export interface NeedPart {
  code: string;
  name: string;
  /** The measure's name (colour and legend). */
  measure: string;
  need: number | null;
  applies: boolean;
}

export interface NeedBarsOptions {
  width?: number;
  /** Measure names in legend order. */
  measures?: string[];
  /** What the gap is measured on (原因剖析), for the axis. */
  basisName?: string | null;
  fontSize?: number;
  document?: Document;
}

/** NeedBars(parts, {width}) → a <figure class="need-bars">; bars (class need-bars-bar) in the order given. */
export function NeedBars(
  parts: NeedPart[],
  { width = 640, measures, basisName = null, fontSize = 12, document = globalThis.document }: NeedBarsOptions = {}
): HTMLElement | SVGSVGElement {
  const shown = parts.filter((p) => p.need != null && Number.isFinite(p.need));
  const hidden = parts.filter((p) => !shown.includes(p));
  const domain = measures ?? [...new Set(parts.map((p) => p.measure))];
  const marginLeft = Math.ceil(Math.max(4, ...parts.map((p) => textWidth(p.name))) * fontSize) + 12;
  const max = Math.min(100, Math.max(50, Math.ceil(Math.max(0, ...shown.map((p) => p.need!)) / 10) * 10 + 10));
  const chart = Plot.plot({
    document,
    width,
    height: 30 + 40 + parts.length * 28,
    marginTop: 30,
    marginBottom: 40,
    marginLeft,
    marginRight: 48,
    style: { fontSize: `${fontSize}px` },
    x: {
      domain: [0, max],
      label: `差距（${basisName ? `${basisName}，` : ""}0–100，越大越需要加强）`,
      labelAnchor: "center",
      labelOffset: 32,
      grid: true
    },
    y: { domain: parts.map((p) => p.code), label: null, padding: 0.25 },
    color: { type: "ordinal", domain, range: ["#4269d0", "#efb118", "#a463f2", "#6cc5b0", "#9c6b4e"], legend: true },
    marks: [
      Plot.axisY({ tickSize: 0, tickFormat: (code: string) => parts.find((p) => p.code === code)?.name ?? code }),
      Plot.barX(shown, {
        x: "need",
        y: "code",
        fill: "measure",
        fillOpacity: (p: NeedPart) => (p.applies ? 0.9 : 0.35),
        className: "need-bars-bar",
        tip: {
          channels: {
            措施: "measure",
            具体措施: "name",
            差距: (p: NeedPart) => formatIndex(p.need),
            状态: (p: NeedPart) => (p.applies ? "需加强" : "可巩固")
          },
          format: { x: false, y: false, fill: false }
        }
      }),
      Plot.text(shown, {
        x: "need",
        y: "code",
        text: (p: NeedPart) => `${formatIndex(p.need)}${p.applies ? " 需加强" : ""}`,
        dx: 6,
        textAnchor: "start"
      }),
      Plot.text(hidden, {
        x: 0,
        y: "code",
        text: () => SUPPRESSED_NOTE,
        dx: 6,
        textAnchor: "start",
        fillOpacity: 0.6,
        className: "need-bars-suppressed"
      }),
      Plot.ruleX([0])
    ]
  });
  chart.classList.add("need-bars");
  return chart;
}
