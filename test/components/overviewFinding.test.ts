import { describe, expect, it } from "vitest";
import {
  changePhrase,
  chineseCount,
  overviewFinding,
  overviewHeadline,
  responseFinding,
  type FindingIndex,
  type OverviewData
} from "../../src/components/overviewFinding.ts";

const idx = (
  code: string,
  name: string,
  index: number | null,
  change: number | null,
  significant: boolean | null,
  direction: FindingIndex["direction"] = "higher_is_better"
): FindingIndex => ({
  code,
  name,
  direction,
  n: index == null ? null : 558,
  index,
  previousWave: 2024,
  indexChange: change,
  changeSignificant: significant,
  suppressed: index == null
});

function data(): OverviewData {
  return {
    minGroupSize: 5,
    wave: 2025,
    previousWave: 2024,
    response: {
      all: { name: "全体", headcount: 828, n: 565, rate: 565 / 828, suppressed: false },
      previousAll: { name: "全体", headcount: 828, n: 581, rate: 581 / 828, suppressed: false },
      categories: [
        { name: "党政机关", headcount: 534, n: 374, rate: 374 / 534, suppressed: false },
        { name: "群团组织", headcount: 43, n: 22, rate: 22 / 43, suppressed: false }
      ]
    },
    sections: [
      idx("achievements", "工作成效", 75.51, 1.19, true),
      idx("problems", "存在问题", 48.12, -1.6, true, "higher_is_worse"),
      idx("causes", "原因剖析", 65.66, 2.32, true)
    ],
    focus: { code: "causes", name: "原因剖析", direction: "higher_is_better" },
    dimensions: [
      { ...idx("cognition", "思想认识", 71.22, 1.73, true), summary: "思想认识不到位" },
      { ...idx("capacity", "能力素质", 66.47, 2.9, true), summary: "能力素质有欠缺" },
      { ...idx("mechanisms", "制度机制", 59.2174, 2.2666, false), summary: "制度机制不健全" }
    ],
    weakest: [
      {
        ...idx("mech_assessment", "考核机制", 52.91, 2.2, true),
        dimensionName: "制度机制",
        measures: [{ name: "强化剂", part: "强化责任机制" }]
      },
      {
        ...idx("mech_incentive", "激励机制", 61.94, 2.8, true),
        dimensionName: "制度机制",
        measures: [{ name: "强化剂", part: "强化责任落实" }]
      }
    ],
    lagging: [
      {
        code: "U003",
        name: "市纪委监委机关",
        category: "党政机关",
        n: 9,
        index: 57.31,
        adjustedP: 0.004,
        weakest: { name: "制度机制", index: 54.2 }
      },
      {
        code: "U026",
        name: "市水利局",
        category: "党政机关",
        n: 7,
        index: 57.61,
        adjustedP: 0.031,
        weakest: { name: "制度机制", index: 50.6 }
      }
    ],
    rankedUnits: 58,
    unitComparison: { fdr: 0.05, compared: 58, worse: 2, better: 1 }
  };
}

const text = (d: OverviewData, key: string) => overviewFinding(d).find((p) => p.key === key)?.text ?? "";

describe("overviewFinding", () => {
  it("says how many answered, against the roster and the previous wave, and which category answered least", () => {
    expect(responseFinding(data())).toBe(
      "2025年共回收问卷565份，占名册828名党务干部的68.2%（2024年为70.2%）。剔除答题过快等不计分的答卷后，计入得分的有效问卷558份。" +
        "各类单位中，回收率最高的是党政机关（70.0%），最低的是群团组织（51.2%）。"
    );
  });

  it("leads with one sentence: the weakest cause, the weakest item, its remedy and what changed, without statistics", () => {
    expect(overviewHeadline(data())).toBe(
      "2025年调查显示，“两张皮”的三方面原因中，制度机制最薄弱（指数 59.2），其中“考核机制”得分最低（52.9），" +
        "对策是当好“强化剂”：强化责任机制；与2024年相比，思想认识上升 1.7（向好）、能力素质上升 2.9（向好），制度机制基本持平。"
    );
    const d = data();
    for (const x of d.dimensions) x.changeSignificant = false;
    expect(overviewHeadline(d)).toMatch(/；与2024年相比，三个方面都基本持平。$/);
    d.previousWave = null;
    for (const x of d.dimensions) Object.assign(x, { previousWave: null, indexChange: null, changeSignificant: null });
    expect(overviewHeadline(d)).toMatch(/对策是当好“强化剂”：强化责任机制。$/);
    expect(overviewHeadline(d)).not.toMatch(/p\s*[<=]|显著|Welch|置信/);
  });

  it("names the weakest item's own dimension when it is not in the weakest cause", () => {
    const d = data();
    d.weakest[0] = { ...d.weakest[0], name: "业务水平", dimensionName: "能力素质", measures: [] };
    expect(overviewHeadline(d)).toContain(
      "制度机制最薄弱（指数 59.2），具体方面中能力素质的“业务水平”得分最低（52.9）；"
    );
  });

  it("says nothing but the anonymity rule when every cause is hidden", () => {
    const d = data();
    for (const x of d.dimensions)
      Object.assign(x, { index: null, n: null, indexChange: null, changeSignificant: null, suppressed: true });
    expect(overviewHeadline(d)).toBe("2025年原因剖析的各方面样本量不足5人，按匿名规则不显示。");
  });

  it("names the weakest cause with its change as its verdict shows it: not significant is 基本持平", () => {
    expect(text(data(), "causes")).toContain(
      "原因剖析的三个方面中，制度机制指数59.2，仍是三个方面中最弱的一个，与2024年基本持平（变化不明显），说明“制度机制不健全”是党建与业务“两张皮”的突出原因。"
    );
    expect(text(data(), "causes")).toContain("思想认识71.2（较2024年上升 1.7）");
  });

  it("says 是 rather than 仍是 when the weakest cause was not the weakest a wave before", () => {
    const d = data();
    d.dimensions[2].indexChange = 20; // 制度机制 was 39.2 before… still weakest
    expect(text(d, "causes")).toContain("仍是");
    d.dimensions[1].indexChange = 30; // 能力素质 was 36.5 before: the weakest then
    expect(text(d, "causes")).toContain("，是三个方面中最弱的一个");
  });

  it("reads a fall of a problem index as a fall, and says what a high problem index means", () => {
    expect(text(data(), "sections")).toContain("存在问题指数48.1（较2024年下降 1.6，越高表示问题越突出）");
    expect(text(data(), "sections")).toMatch(/^问卷三个部分的总体情况：/);
  });

  it("lists the weakest sub-dimensions with their measures, and the lagging units", () => {
    expect(text(data(), "weakest")).toBe(
      "得分最低的两个具体方面都在制度机制：“考核机制”（52.9）和“激励机制”（61.9）。对应的对策是“强化剂”：强化责任机制、强化责任落实。"
    );
    expect(text(data(), "lagging")).toBe(
      "在答卷人数不少于5人的58个单位中，把每个单位的原因剖析指数与同类其他单位（同一类别中除本单位以外的全部答卷）相比，" +
        "排除偶然波动（已考虑同时比较许多单位）后，市纪委监委机关（党政机关，57.3，9人）和市水利局（党政机关，57.6，7人）仍明显偏低。" +
        "这些单位最弱的都是制度机制。"
    );
  });

  it("says plainly that no unit is lower than its peers when none passes the adjustment, and names nobody", () => {
    const d = data();
    d.lagging = [];
    d.unitComparison = { fdr: 0.05, compared: 58, worse: 0, better: 0 };
    const t = text(d, "lagging");
    expect(t).toBe(
      "在答卷人数不少于5人的58个单位中，把每个单位的原因剖析指数与同类其他单位（同一类别中除本单位以外的全部答卷）相比，" +
        "排除偶然波动（已考虑同时比较许多单位）后，没有单位明显偏低；各单位之间的差别可能只是偶然波动，不宜据此点名。"
    );
    expect(t).not.toContain("市");
  });

  it("says how many more units lag than it lists, and what 'worse' means on a problem scale", () => {
    const d = data();
    d.unitComparison.worse = 7;
    d.lagging = [d.lagging[0]];
    d.focus = { code: "problems", name: "存在问题", direction: "higher_is_worse" };
    expect(text(d, "lagging")).toContain(
      "市纪委监委机关（党政机关，57.3，9人）等7个单位仍明显偏高（问题更突出）。该单位最弱的是制度机制。"
    );
  });

  it("says when there are no units to compare", () => {
    const d = data();
    d.rankedUnits = 0;
    d.lagging = [];
    expect(text(d, "lagging")).toBe("2025年没有样本量达到5人的单位可供比较。");
    d.rankedUnits = 3;
    d.unitComparison = { fdr: 0.05, compared: 0, worse: 0, better: 0 };
    expect(text(d, "lagging")).toBe("2025年答卷人数不少于5人的单位，都没有同类其他单位可供比较。");
  });

  it("prints no number for suppressed causes", () => {
    const d = data();
    for (const x of d.dimensions)
      Object.assign(x, { index: null, n: null, indexChange: null, changeSignificant: null, suppressed: true });
    expect(text(d, "causes")).toBe("原因剖析的各方面样本量不足5人，按匿名规则不显示。");
  });

  it("words a change", () => {
    expect(changePhrase(idx("x", "x", 50, 0.04, false))).toBe("与2024年基本持平（变化不明显）");
    expect(changePhrase(idx("x", "x", 50, 3.2, false))).toBe("与2024年基本持平（变化不明显）");
    expect(changePhrase(idx("x", "x", 50, 3.2, true))).toBe("较2024年上升 3.2");
    expect(changePhrase(idx("x", "x", 50, null, null))).toBe("");
    expect(chineseCount(3)).toBe("三");
    expect(chineseCount(58)).toBe("58");
  });
});
