import { describe, expect, it } from "vitest";
import { countWord, numeral, quote, sectionFinding, type FindingRow } from "../../src/components/sectionFinding.ts";

const row = (
  level: string,
  code: string,
  name: string,
  index: number | null,
  extra: Partial<FindingRow> = {}
): FindingRow => ({
  level,
  code,
  name,
  dimension: level === "subdimension" ? (extra.dimension ?? null) : code,
  n: index === null ? null : 558,
  index,
  agreeShare: index === null ? null : 0.3,
  indexChange: null,
  changeSignificant: null,
  suppressed: index === null,
  ...extra
});

const problems = [
  { code: "attitude", name: "工作态度", summary: "热情不高" },
  { code: "positioning", name: "工作定位", summary: "思路不清" },
  { code: "methods", name: "工作抓手", summary: "办法不多" }
];

describe("sectionFinding", () => {
  it("names the weakest and strongest dimension and sub-dimension where higher is better", () => {
    const scores = [
      row("dimension", "cognition", "思想认识", 71.2),
      row("dimension", "mechanisms", "制度机制", 59.2, { indexChange: 2.3, changeSignificant: true }),
      row("subdimension", "mech_assessment", "考核机制", 52.9, { dimension: "mechanisms" }),
      row("subdimension", "cog_vague", "模糊认识", 72.5, { dimension: "cognition" })
    ];
    const dims = [
      { code: "cognition", name: "思想认识", summary: "思想认识不到位" },
      { code: "mechanisms", name: "制度机制", summary: "制度机制不健全" }
    ];
    const text = sectionFinding({
      scores,
      dimensions: dims,
      wave: 2025,
      previousWave: 2024,
      who: "全体受访党务干部",
      minGroupSize: 5,
      explain: (d) => `说明“${d.summary}”是突出原因`
    }).join("");
    expect(text).toContain(
      "2025年，全体受访党务干部（558人）对两个方面的评价中，“制度机制”得分最低（指数59.2，持认同态度的占30%），说明“制度机制不健全”是突出原因。"
    );
    expect(text).toContain("相对较好的是“思想认识”（指数71.2）。");
    expect(text).toContain("制度机制中的“考核机制”最为薄弱（指数52.9）");
    expect(text).toContain("“制度机制”指数较2024年上升 2.3，有所改善。");
  });

  it("names the most severe problem where higher is worse, and reads a fall as an easing", () => {
    const scores = [
      row("dimension", "attitude", "工作态度", 45.1),
      row("dimension", "positioning", "工作定位", 48.6, { indexChange: -3.1, changeSignificant: true }),
      row("dimension", "methods", "工作抓手", 44.0),
      row("subdimension", "prb_formalism", "导向偏离主题", 55.5, { dimension: "positioning" })
    ];
    const text = sectionFinding({
      scores,
      dimensions: problems,
      wave: 2025,
      previousWave: 2024,
      who: "全体受访党务干部",
      minGroupSize: 5,
      higherIsBetter: false,
      dimensionsNoun: "三类问题"
    }).join("");
    expect(text).toContain("对三类问题的评价中，“工作定位：思路不清”最为突出（指数48.6，认为存在该问题的占30%）。");
    expect(text).toContain("相对较轻的是“工作抓手：办法不多”（指数44.0）。");
    expect(text).toContain("工作定位中的“导向偏离主题”最为突出（指数55.5）");
    expect(text).toContain("“工作定位”指数较2024年下降 3.1，问题有所缓解。");
  });

  it("does not call a non-significant change a rise", () => {
    const scores = [row("dimension", "attitude", "工作态度", 45.1, { indexChange: 1.2, changeSignificant: false })];
    const text = sectionFinding({
      scores,
      dimensions: problems,
      wave: 2025,
      previousWave: 2024,
      who: "全体",
      minGroupSize: 5,
      higherIsBetter: false
    }).join("");
    expect(text).toContain("“工作态度”指数与2024年基本持平（变化不明显）。");
    expect(text).not.toContain("上升");
  });

  it("names the wave a change is measured from: the series' own previous shown wave, not the page's", () => {
    const scores = [
      row("dimension", "attitude", "工作态度", 45.1, { indexChange: 1.2, changeSignificant: false, previousWave: 2022 })
    ];
    const text = sectionFinding({
      scores,
      dimensions: problems,
      wave: 2025,
      previousWave: 2024,
      who: "书记",
      minGroupSize: 5,
      higherIsBetter: false
    }).join("");
    expect(text).toContain("“工作态度”指数与2022年基本持平（变化不明显）。");
  });

  it("says only that the group is too small when everything is suppressed", () => {
    const text = sectionFinding({
      scores: [row("dimension", "attitude", "工作态度", null)],
      dimensions: problems,
      wave: 2019,
      who: "“党组（党委）书记”群体",
      minGroupSize: 5
    });
    expect(text).toEqual(["2019年“党组（党委）书记”群体的有效样本少于5人，按匿名规则不显示统计结果。"]);
  });

  it("quotes a name unless it carries its own quotation marks", () => {
    expect(quote("考核机制")).toBe("“考核机制”");
    expect(quote("搭“花架子”")).toBe("搭“花架子”");
  });

  it("writes small counts and orders in Chinese numerals", () => {
    expect([2, 3, 9, 10, 12].map(countWord)).toEqual(["两", "三", "九", "十", "12"]);
    expect([1, 2, 3].map(numeral)).toEqual(["一", "二", "三"]);
  });
});
