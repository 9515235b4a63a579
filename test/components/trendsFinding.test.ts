import { describe, expect, it } from "vitest";
import {
  dimensionGap,
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
      "改善最明显的是工作抓手（问题减轻 3.8）、制度机制（+2.3）。",
      "需要注意的是能力素质（-3.1）。"
    ]);
  });

  it("says when there is nothing to compare", () => {
    expect(trendsFinding({ ...data(), waves: [2025] })).toEqual(["目前只有2025年一轮调查，还不能比较变化。"]);
  });
});

describe("dimensionGap", () => {
  const over = (code: string, name: string, values: (number | null)[]): TrendsFindingSeries => ({
    section: "causes",
    level: "dimension",
    code,
    name,
    points: values.map((v, i) => ({
      wave: 2019 + i,
      index: v,
      change: null,
      significant: null,
      suppressed: v == null
    }))
  });
  const gapData = (mechanisms: (number | null)[]): TrendsFindingData => ({
    waves: [2019, 2020, 2021],
    changeTest: "Welch t",
    sections: [{ code: "causes", name: "原因剖析", direction: "higher_is_better" }],
    series: [
      over("cognition", "思想认识", [64.3, 66.0, 71.3]),
      over("capacity", "能力素质", [56.8, 58.7, 66.5]),
      over("mechanisms", "制度机制", mechanisms)
    ]
  });

  it("says how the gap between the weakest and the strongest dimension moved, from the published values", () => {
    expect(dimensionGap(gapData([47.9, 49.6, 59.2]), "causes")).toBe(
      "2019年至2021年，原因剖析三个方面中最弱的一直是制度机制（2021年 59.2）；它与最强的思想认识（71.3）相差 12.1，" +
        "2019年相差 16.4，差距缩小了 4.3。"
    );
    expect(trendsFinding(gapData([47.9, 49.6, 59.2]), "causes")[0]).toMatch(/^2019年至2021年/);
    expect(trendsFinding(gapData([47.9, 49.6, 59.2]))[0]).not.toMatch(/^2019年至2021年/);
  });

  it("names the last wave's weakest when it was not always the same, and skips hidden waves", () => {
    expect(dimensionGap(gapData([null, 49.6, 59.2]), "causes")).toBe(
      "2020年至2021年，原因剖析三个方面中最弱的一直是制度机制（2021年 59.2）；它与最强的思想认识（71.3）相差 12.1，" +
        "2020年相差 16.4，差距缩小了 4.3。"
    );
    expect(dimensionGap(gapData([60.0, 60.0, 59.2]), "causes")).toContain("2021年最弱的是制度机制");
    expect(dimensionGap(gapData([null, null, 59.2]), "causes")).toBe("");
    expect(dimensionGap(gapData([1, 2, 3]), "problems")).toBe("");
  });
});
