import { describe, expect, it } from "vitest";
import { causesFinding, type FindingScore } from "../../src/components/causesFinding.ts";

const dimensions = [
  { code: "cognition", name: "思想认识", summary: "思想认识不到位" },
  { code: "capacity", name: "能力素质", summary: "能力素质有欠缺" },
  { code: "mechanisms", name: "制度机制", summary: "制度机制不健全" }
];
const s = (level: FindingScore["level"], code: string, name: string, dimension: string, index: number | null): FindingScore => ({
  level, code, name, dimension, n: index == null ? null : 588, mean: index == null ? null : 1 + (index / 100) * 4,
  index, agreeShare: index == null ? null : 0.2, suppressed: index == null
});
const current = [
  s("dimension", "cognition", "思想认识", "cognition", 61.5),
  s("dimension", "capacity", "能力素质", "capacity", 49.1),
  s("dimension", "mechanisms", "制度机制", "mechanisms", 45.3),
  s("subdimension", "cog_vague", "模糊认识", "cognition", 63.7),
  s("subdimension", "mech_assessment", "考核机制", "mechanisms", 42.2),
  s("subdimension", "mech_incentive", "激励机制", "mechanisms", 43.2)
];

describe("causesFinding", () => {
  it("names the weakest cause and sub-dimension, and the change since the previous wave", () => {
    const text = causesFinding({
      scores: current,
      previous: [s("dimension", "mechanisms", "制度机制", "mechanisms", 42.7)],
      dimensions, wave: 2021, previousWave: 2019, who: "全体受访党务干部", minGroupSize: 5
    }).join("");
    expect(text).toContain("2021年，全体受访党务干部（588人）");
    expect(text).toContain("“制度机制”得分最低（指数45.3");
    expect(text).toContain("“制度机制不健全”");
    expect(text).toContain("相对较好的是“思想认识”");
    expect(text).toContain("制度机制中的“考核机制”最为薄弱（指数42.2）");
    expect(text).toContain("“制度机制”指数较2019年上升2.6。");
  });

  it("says the group is too small when everything is suppressed", () => {
    const text = causesFinding({
      scores: current.map((d) => ({ ...d, n: null, mean: null, index: null, agreeShare: null, suppressed: true })),
      dimensions, wave: 2019, who: "“党组（党委）书记”群体", minGroupSize: 5
    });
    expect(text).toEqual(["2019年“党组（党委）书记”群体的有效样本少于5人，按匿名规则不显示统计结果。"]);
  });
});
