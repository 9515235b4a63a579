// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import {
  CorrelationDots,
  RegressionTable,
  formatP,
  formatR,
  strengthWords,
  type CorrelationCell
} from "../../src/components/drivers.ts";

const cell = (predictor: string, outcome: string, r: number | null): CorrelationCell => ({
  predictor,
  outcome,
  n: r == null ? null : 500,
  r,
  ciLow: r == null ? null : r - 0.08,
  ciHigh: r == null ? null : r + 0.08,
  p: r == null ? null : 0.0001,
  suppressed: r == null
});
const predictors = [
  { code: "cog_vague", name: "模糊认识" },
  { code: "cog_value", name: "价值偏差" }
];
const outcomes = [
  { code: "attitude", name: "工作态度" },
  { code: "methods", name: "工作抓手" }
];

interface Chart extends Element {
  scale(name: string): { invert(v: number): number };
}

describe("CorrelationDots", () => {
  it("draws r with its interval for each cause scale in one panel per problem, and notes suppressed cells", () => {
    const cells = [
      cell("cog_vague", "attitude", -0.41),
      cell("cog_value", "attitude", -0.2),
      cell("cog_vague", "methods", -0.1),
      cell("cog_value", "methods", null)
    ];
    const chart = CorrelationDots(cells, { predictors, outcomes, width: 600, document }) as unknown as Chart;
    expect(chart.classList.contains("correlation-dots")).toBe(true);
    const dots = [...chart.querySelectorAll("g.correlation-dots-dot circle")];
    expect(dots).toHaveLength(3);
    const x = chart.scale("x");
    const xs = dots.map((d) => x.invert(Number(d.getAttribute("cx"))));
    expect(xs.map((v) => Math.round(v * 100) / 100).sort((a, b) => a - b)).toEqual([-0.41, -0.2, -0.1]);
    expect(chart.querySelectorAll("g.correlation-dots-ci line")).toHaveLength(3);
    expect([...chart.querySelectorAll("g.correlation-dots-suppressed text")].map((t) => t.textContent)).toEqual([
      "样本量不足，已隐去"
    ]);
    expect(chart.textContent).toContain("工作态度");
    expect(chart.textContent).toContain("工作抓手");
  });
});

describe("RegressionTable", () => {
  it("lists each problem's betas under the causes' names (no significance marks: the table's tests are not adjusted), R² as a share in words and n, and hides a suppressed model", () => {
    const table = RegressionTable(
      [
        {
          outcome: "attitude",
          n: 547,
          rSquared: 0.1953,
          coefficients: [
            { predictor: "cog_vague", beta: -0.3413, p: 0.0001 },
            { predictor: "cog_value", beta: 0.0098, p: 0.81 }
          ],
          suppressed: false
        },
        { outcome: "methods", n: null, rSquared: null, coefficients: null, suppressed: true }
      ],
      { predictors, outcomes, highlight: "cog_vague", document }
    );
    const rows = [...table.tBodies[0].rows].map((r) => [...r.cells].map((c) => c.textContent));
    expect(rows).toEqual([
      ["工作态度", "−0.34", "0.01", "20%", "547"],
      ["工作抓手", "样本量不足，已隐去"]
    ]);
    expect([...table.tHead!.rows[0].cells].map((c) => c.textContent)).toEqual([
      "问题",
      "模糊认识",
      "价值偏差",
      "合计能说明的差异",
      "样本量"
    ]);
  });
});

describe("formatters", () => {
  it("print r, p and the strength in words", () => {
    expect(formatR(-0.408)).toBe("−0.41");
    expect(formatR(0.2)).toBe("0.20");
    expect(formatP(0.00001)).toBe("p < 0.001");
    expect(formatP(0.0341)).toBe("p = 0.034");
    expect(strengthWords(-0.41)).toBe("中等程度的负相关");
    expect(strengthWords(0.05)).toBe("几乎不相关");
    expect(strengthWords(0.25)).toBe("较弱程度的正相关");
  });
});
