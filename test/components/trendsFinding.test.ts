import { describe, expect, it } from "vitest";
import {
  latestChanges,
  trendsFinding,
  type TrendsFindingData,
  type TrendsFindingSeries
} from "../../src/components/trendsFinding.ts";

const series = (
  section: string,
  code: string,
  name: string,
  change: number | null,
  significant: boolean | null,
  suppressed = false
): TrendsFindingSeries => ({
  section,
  level: "dimension",
  code,
  name,
  points: [
    { wave: 2024, index: 50, change: null, significant: null, suppressed: false },
    {
      wave: 2025,
      index: suppressed ? null : 50 + (change ?? 0),
      change: suppressed ? null : change,
      significant: suppressed ? null : significant,
      suppressed
    }
  ]
});

const data = (): TrendsFindingData => ({
  waves: [2024, 2025],
  changeTest: "Welch t",
  sections: [
    { code: "causes", name: "原因剖析", direction: "higher_is_better" },
    { code: "problems", name: "存在问题", direction: "higher_is_worse" }
  ],
  series: [
    series("causes", "mechanisms", "制度机制", 2.3, true),
    series("causes", "capacity", "能力素质", -3.1, true),
    series("causes", "cognition", "思想认识", 0.4, false),
    series("problems", "methods", "工作抓手", -3.8, true),
    series("problems", "attitude", "工作态度", null, null, true)
  ]
});

describe("trendsFinding", () => {
  it("counts significant changes into the latest wave by direction, largest first", () => {
    const c = latestChanges(data());
    expect(c.compared).toBe(4);
    expect(c.better.map((x) => x.series.code)).toEqual(["methods", "mechanisms"]); // a falling problem is better
    expect(c.worse.map((x) => x.series.code)).toEqual(["capacity"]);
    expect(trendsFinding(data())).toEqual([
      "与2024年相比，2025年可比较的4项指数中，2项明显改善，1项明显变差，其余基本持平（变化不明显）。",
      "改善最明显的是工作抓手（-3.8）、制度机制（+2.3）。",
      "需要注意的是能力素质（-3.1）。"
    ]);
  });

  it("says when there is nothing to compare", () => {
    expect(trendsFinding({ ...data(), waves: [2025] })).toEqual(["目前只有2025年一轮调查，还不能比较变化。"]);
  });
});
