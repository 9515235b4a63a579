// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import { NeedBars, type NeedPart } from "../../src/components/needBars.ts";

interface Chart extends Element {
  scale(name: string): { invert(v: number): number };
}

describe("NeedBars", () => {
  it("draws each part's need as a bar in the order given, solid when it applies, and notes parts without evidence", () => {
    const parts: NeedPart[] = [
      { code: "duty_mechanism", name: "强化责任机制", measure: "强化剂", need: 55.1, applies: true },
      { code: "pooled_resources", name: "工作资源要整合", measure: "粘合剂", need: 44.9, applies: false },
      { code: "political_awareness", name: "提升政治意识", measure: "助推剂", need: null, applies: false }
    ];
    const chart = NeedBars(parts, {
      width: 600,
      measures: ["助推剂", "粘合剂", "强化剂"],
      document
    }) as unknown as Chart;
    expect(chart.classList.contains("need-bars")).toBe(true);
    const bars = [...chart.querySelectorAll("g.need-bars-bar rect")];
    expect(bars).toHaveLength(2);
    const x = chart.scale("x");
    expect(x.invert(Number(bars[0].getAttribute("x")) + Number(bars[0].getAttribute("width")))).toBeCloseTo(55.1, 6);
    expect(bars.map((b) => Number(b.getAttribute("fill-opacity")))).toEqual([0.9, 0.35]);
    expect(chart.textContent).toContain("55.1 需加强");
    expect([...chart.querySelectorAll("g.need-bars-suppressed text")].map((t) => t.textContent)).toEqual([
      "样本量不足，已隐去"
    ]);
  });
});
