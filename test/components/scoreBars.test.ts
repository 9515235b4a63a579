// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import { ScoreBars, scoreBarValues, type ScoreRow } from "../../src/components/scoreBars.ts";

/** A row as the site publishes it (the index and its interval), given on the 1–5 answer scale for readability. */
const toIndex = (x: number) => ((x - 1) / 4) * 100;
const row = (code: string, mean: number | null, ci: [number, number] | null, dimension = "mechanisms"): ScoreRow => ({
  code,
  name: `名称${code}`,
  dimension,
  n: mean == null ? null : 100,
  index: mean == null ? null : toIndex(mean),
  indexLow: ci ? toIndex(ci[0]) : null,
  indexHigh: ci ? toIndex(ci[1]) : null,
  suppressed: mean == null
});

interface Chart extends Element {
  scale(name: string): { invert(v: number): number };
}

describe("ScoreBars", () => {
  it("draws each score on the answer scale as a bar from the start of the scale and its 95% interval as a line", () => {
    const rows = [row("a", 2.93, [2.86, 3.0]), row("b", 3.5, [3.4, 3.6], "cognition")];
    const chart = ScoreBars(rows, {
      width: 600,
      dimensions: [
        { code: "mechanisms", name: "制度机制" },
        { code: "cognition", name: "思想认识" }
      ],
      document
    }) as unknown as Chart;
    expect(chart.classList.contains("score-bars")).toBe(true);
    const x = chart.scale("x");
    const bars = [...chart.querySelectorAll("g.score-bars-bar rect")];
    expect(bars).toHaveLength(2);
    expect(x.invert(Number(bars[0].getAttribute("x")))).toBeCloseTo(1, 6);
    expect(x.invert(Number(bars[0].getAttribute("x")) + Number(bars[0].getAttribute("width")))).toBeCloseTo(2.93, 6);
    const ci = [...chart.querySelectorAll("g.score-bars-ci line")];
    expect(ci).toHaveLength(2);
    expect(x.invert(Number(ci[0].getAttribute("x1")))).toBeCloseTo(2.86, 6);
    expect(x.invert(Number(ci[0].getAttribute("x2")))).toBeCloseTo(3.0, 6);
    expect(chart.textContent).toContain("2.93");
    expect(chart.textContent).toContain("制度机制"); // legend
    const ticks = [...chart.querySelectorAll('g[aria-label="y-axis tick label"] text')].map((t) => t.textContent);
    expect(ticks).toEqual(["名称a", "名称b"]); // names, not codes
  });

  it("rescales to the 0–100 index", () => {
    const [bar] = scoreBarValues([row("a", 3, [2.8, 3.2])], { measure: "index" });
    expect(bar.value).toBeCloseTo(50);
    expect(bar.low).toBeCloseTo(45);
    expect(bar.high).toBeCloseTo(55);
  });

  it("shows the suppression note instead of a bar", () => {
    const chart = ScoreBars([row("a", 3, [2.9, 3.1]), row("b", null, null)], { width: 600, document });
    expect(chart.querySelectorAll("g.score-bars-bar rect")).toHaveLength(1);
    const notes = [...chart.querySelectorAll("g.score-bars-suppressed text")];
    expect(notes.map((t) => t.textContent)).toEqual(["样本量不足，已隐去"]);
  });
});
