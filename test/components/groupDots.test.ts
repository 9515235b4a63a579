// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import { GroupDots, groupDotValues, type GroupScore } from "../../src/components/groupDots.ts";

const row = (group: string, mean: number | null, half = 0.1): GroupScore => ({
  group,
  n: mean == null ? null : 50,
  index: mean == null ? null : ((mean - 1) / 4) * 100,
  indexLow: mean == null ? null : ((mean - half - 1) / 4) * 100,
  indexHigh: mean == null ? null : ((mean + half - 1) / 4) * 100,
  suppressed: mean == null
});

interface Chart extends Element {
  scale(name: string): { invert(v: number): number };
}

describe("GroupDots", () => {
  it("puts each group's index and interval on the 0–100 scale", () => {
    const [d] = groupDotValues([row("党支部书记", 3, 0.2)]);
    expect(d.value).toBeCloseTo(50);
    expect(d.low).toBeCloseTo(45);
    expect(d.high).toBeCloseTo(55);
  });

  it("draws a dot and an interval per group, everyone's index as a line, and notes suppressed groups", () => {
    const rows = [
      row("党组（党委）书记", null),
      row("机关党委（党总支）书记", 3.6),
      row("党支部书记", 3.2),
      row("兼职党务干部", 3.0)
    ];
    const chart = GroupDots(rows, { width: 360, overall: 55, document }) as unknown as Chart;
    expect(chart.classList.contains("group-dots")).toBe(true);
    const x = chart.scale("x");
    const dots = [...chart.querySelectorAll("g.group-dots-dot circle")];
    expect(dots).toHaveLength(3);
    expect(x.invert(Number(dots[0].getAttribute("cx")))).toBeCloseTo(65, 6);
    expect(chart.querySelectorAll("g.group-dots-ci line")).toHaveLength(3);
    expect([...chart.querySelectorAll("g.group-dots-suppressed text")].map((t) => t.textContent)).toEqual([
      "样本量不足，已隐去"
    ]);
    expect(chart.textContent).toContain("全体 55.0");
    // Long group names wrap instead of being cut: every label line is at most six characters wide.
    const lines = [...chart.querySelectorAll('g[aria-label="y-axis tick label"] tspan')].map(
      (t) => t.textContent ?? ""
    );
    expect(lines.join("")).toContain("机关党委（党总支）书记");
  });
});
