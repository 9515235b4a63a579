// @vitest-environment jsdom
// One rule for every change shown on the leaders' pages (src/components/changeBadge.ts): the verdict decides colour,
// arrow and words. First the rule itself, then every card, finding and chart that shows a change, each under the same
// five verdicts: a significant rise (better where higher is better, worse where higher is worse), a significant fall,
// a change that is not significant (neutral: no arrow, no colour, 基本持平) and no previous wave.
import { describe, expect, it } from "vitest";
import { ChangeBadge, changeFromLabel, changeView, type ChangeVerdict } from "../../src/components/changeBadge.ts";
import { DimensionCard, type CardScore } from "../../src/components/dimensionCard.ts";
import { IndexCard } from "../../src/components/indexCard.ts";
import { MeasureCard, evidenceSentence, type EvidenceView } from "../../src/components/measureCard.ts";
import { changePhrase, indexChange, type FindingIndex } from "../../src/components/overviewFinding.ts";
import { sectionFinding, type FindingRow } from "../../src/components/sectionFinding.ts";
import { TrendBand, describeTrend, type TrendBandSeries } from "../../src/components/trendBand.ts";
import { latestChanges, trendsFinding, type TrendsFindingData } from "../../src/components/trendsFinding.ts";
import { unitFinding, type UnitFindingData } from "../../src/components/unitFinding.ts";

describe("changeView", () => {
  it("shows a significant rise as ▲ 上升, green where higher is better and red where higher is worse", () => {
    expect(changeView({ change: 2.14, significant: true, previousWave: 2024 })).toEqual({
      tone: "better",
      arrow: "▲",
      delta: "+2.1",
      words: "较2024年上升 2.1",
      short: "上升 2.1",
      className: "change-badge change-badge--better green"
    });
    expect(changeView({ change: 2.14, significant: true, higherIsBetter: false, previousWave: 2024 })).toMatchObject({
      tone: "worse",
      arrow: "▲",
      className: "change-badge change-badge--worse red"
    });
  });

  it("shows a significant fall as ▼ 下降, red where higher is better and green where higher is worse", () => {
    expect(changeView({ change: -1.26, significant: true })).toMatchObject({
      tone: "worse",
      arrow: "▼",
      delta: "-1.3",
      words: "较上一轮下降 1.3",
      short: "下降 1.3"
    });
    expect(changeView({ change: -1.26, significant: true, higherIsBetter: false }).tone).toBe("better");
  });

  it("shows a change that is not significant as neutral, however large, in either direction", () => {
    for (const change of [0.1, -0.1, 3.5, -6.2])
      for (const higherIsBetter of [true, false])
        expect(changeView({ change, significant: false, higherIsBetter, previousWave: 2024 })).toEqual({
          tone: "neutral",
          arrow: "",
          delta: "",
          words: "与2024年基本持平（变化不明显）",
          short: "基本持平",
          className: "change-badge change-badge--neutral muted"
        });
  });

  it("calls a significant change that rounds to 0.0 基本持平 rather than 上升 0.0", () => {
    expect(changeView({ change: 0.04, significant: true }).tone).toBe("neutral");
  });

  it("says nothing misleading without a previous wave, for a hidden group or without a verdict", () => {
    for (const v of [
      { change: null, significant: null },
      { change: undefined, significant: undefined },
      { change: 2, significant: true, suppressed: true },
      { change: Number.NaN, significant: true }
    ] as ChangeVerdict[])
      expect(changeView(v)).toMatchObject({ tone: "none", arrow: "", words: "暂无上一轮可比数据", short: "—" });
    expect(changeView({ change: 2, significant: null, previousWave: 2024 })).toMatchObject({
      tone: "none",
      arrow: "",
      words: "与2024年的变化未经检验，不作比较"
    });
  });

  it("words an exact change by its sign without colour", () => {
    expect(changeView({ change: -2, significant: null, exact: true })).toMatchObject({
      tone: "neutral",
      arrow: "▼",
      words: "较上一轮下降 2.0"
    });
    expect(changeView({ change: 0.01, significant: null, exact: true }).words).toBe("与上一轮持平");
  });

  it("names what the change is measured against", () => {
    expect(changeFromLabel(2024)).toBe("2024年");
    expect(changeFromLabel("2024")).toBe("2024年");
    expect(changeFromLabel("2024年")).toBe("2024年");
    expect(changeFromLabel(null)).toBe("上一轮");
  });
});

describe("ChangeBadge", () => {
  it("puts the arrow in its own span and colours the badge only for a significant change", () => {
    const up = ChangeBadge({ change: 2.1, significant: true, previousWave: 2024 }, { document });
    expect(up.outerHTML).toBe(
      '<span class="change-badge change-badge--better green" data-tone="better"><span class="change-badge__arrow">▲</span> 较2024年上升 2.1</span>'
    );
    const flat = ChangeBadge({ change: 2.1, significant: false, previousWave: 2024 }, { short: true, document });
    expect(flat.outerHTML).toBe(
      '<span class="change-badge change-badge--neutral muted" data-tone="neutral">基本持平</span>'
    );
  });
});

// The five verdicts every card is checked under.
interface Case {
  name: string;
  change: number | null;
  significant: boolean | null;
  higherIsBetter: boolean;
  tone: "better" | "worse" | "neutral" | "none";
  arrow: string;
  words: string;
}
const CASES: Case[] = [
  {
    name: "a significant rise where higher is better",
    change: 2.3,
    significant: true,
    higherIsBetter: true,
    tone: "better",
    arrow: "▲",
    words: "较2024年上升 2.3"
  },
  {
    name: "a significant rise where higher is worse",
    change: 2.3,
    significant: true,
    higherIsBetter: false,
    tone: "worse",
    arrow: "▲",
    words: "较2024年上升 2.3"
  },
  {
    name: "a significant fall where higher is better",
    change: -2.3,
    significant: true,
    higherIsBetter: true,
    tone: "worse",
    arrow: "▼",
    words: "较2024年下降 2.3"
  },
  {
    name: "a change that is not significant",
    change: 0.1,
    significant: false,
    higherIsBetter: true,
    tone: "neutral",
    arrow: "",
    words: "与2024年基本持平（变化不明显）"
  },
  {
    name: "no previous wave",
    change: null,
    significant: null,
    higherIsBetter: true,
    tone: "none",
    arrow: "",
    words: "暂无上一轮可比数据"
  }
];
const COLOUR = { better: "green", worse: "red", neutral: "muted", none: "muted" } as const;
const UP_OR_DOWN = /[▲▼]|上升|下降/;

/** A badge inside a card shows the case: words, arrow, colour; neutral and none have neither arrow nor colour. */
function expectBadge(root: Element, c: Case): void {
  const badge = root.querySelector(".change-badge")!;
  expect(badge.textContent).toBe(c.arrow ? `${c.arrow} ${c.words}` : c.words);
  expect(badge.classList.contains(COLOUR[c.tone])).toBe(true);
  expect(badge.classList.contains(`change-badge--${c.tone}`)).toBe(true);
  if (c.tone === "neutral" || c.tone === "none") {
    expect(badge.querySelector(".change-badge__arrow")).toBeNull();
    expect(badge.classList.contains("green") || badge.classList.contains("red")).toBe(false);
    expect(root.textContent).not.toMatch(UP_OR_DOWN);
  } else expect(badge.querySelector(".change-badge__arrow")!.textContent).toBe(c.arrow);
}

const score = (c: Case): CardScore => ({
  n: 558,
  index: 59.2,
  indexLow: 58.3,
  indexHigh: 60.2,
  agreeShare: 0.3,
  indexChange: c.change,
  changeSignificant: c.significant,
  previousWave: c.change == null ? null : 2024,
  suppressed: false
});

describe.each(CASES)("every card under $name", (c) => {
  it("IndexCard (overview and unit cards)", () => {
    const card = IndexCard({
      label: "对策需求",
      value: 70,
      change: c.change,
      significant: c.significant,
      higherIsBetter: c.higherIsBetter,
      changeFrom: "2024年",
      document
    });
    expectBadge(card, c);
  });

  it("DimensionCard (achievements, problems, causes and the per-cause pages)", () => {
    const card = DimensionCard({ label: "制度机制", row: score(c), higherIsBetter: c.higherIsBetter, document });
    expectBadge(card, c);
  });

  it("the overview's weakest table cell (short words)", () => {
    const d: FindingIndex = {
      code: "x",
      name: "考核机制",
      direction: c.higherIsBetter ? "higher_is_better" : "higher_is_worse",
      n: 558,
      index: 52.9,
      previousWave: 2024,
      indexChange: c.change,
      changeSignificant: c.significant,
      suppressed: false
    };
    expect(indexChange(d).tone).toBe(c.tone);
    const cell = ChangeBadge(indexChange(d), { short: true, document });
    expect(cell.textContent).toBe(
      c.arrow ? `${c.arrow} ${c.words.replace(/^较2024年/, "")}` : c.tone === "neutral" ? "基本持平" : "—"
    );
    expect(changePhrase(d)).toBe(c.tone === "none" ? "" : c.words);
  });

  it("MeasureCard's evidence", () => {
    const e: EvidenceView = {
      code: "mech_assessment",
      name: "考核机制",
      sectionName: c.higherIsBetter ? "原因剖析" : "存在问题",
      direction: c.higherIsBetter ? "higher_is_better" : "higher_is_worse",
      index: 52.9,
      indexLow: 51.2,
      indexHigh: 54.6,
      agreeShare: 0.16,
      indexChange: c.change,
      changeSignificant: c.significant,
      rankInSection: 1,
      reasons: [],
      suppressed: false
    };
    const sentence = evidenceSentence(e, { changeFrom: "2024年" });
    const meaning = c.tone === "better" ? "，有所改善" : c.tone === "worse" ? "，有所变差" : "";
    expect(sentence.endsWith(`；${c.words}${meaning}。`)).toBe(true);
    if (c.tone === "neutral" || c.tone === "none") expect(sentence).not.toMatch(UP_OR_DOWN);
    const card = MeasureCard(
      {
        code: "m",
        name: "强化剂",
        summary: null,
        rank: 1,
        need: 40,
        applies: false,
        parts: [{ code: "p", name: "强化责任机制", need: 40, rank: 1, applies: false, evidence: [e] }]
      },
      { changeFrom: "2024年", document }
    );
    expect(card.querySelector(".measure-part__evidence li")!.textContent).toBe(sentence);
  });

  it("sectionFinding (the finding above the cards)", () => {
    const row: FindingRow = {
      level: "dimension",
      code: "mechanisms",
      name: "制度机制",
      dimension: null,
      n: 558,
      index: 59.2,
      agreeShare: 0.3,
      indexChange: c.change,
      changeSignificant: c.significant,
      suppressed: false
    };
    const text = sectionFinding({
      scores: [row],
      dimensions: [{ code: "mechanisms", name: "制度机制" }],
      wave: 2025,
      previousWave: 2024,
      who: "全体",
      minGroupSize: 5,
      higherIsBetter: c.higherIsBetter
    }).join("");
    if (c.tone === "none") expect(text).toContain("“制度机制”暂无2024年的可比数据。");
    else expect(text).toContain(`“制度机制”指数${c.words}`);
    if (c.tone === "neutral" || c.tone === "none") expect(text).not.toMatch(UP_OR_DOWN);
  });

  it("unitFinding (the finding of a unit page)", () => {
    const point = (wave: number, index: number, change: number | null, significant: boolean | null) => ({
      wave,
      n: 11,
      index,
      change,
      significant,
      suppressed: false,
      category: null,
      all: null,
      versusCategory: null
    });
    const d: UnitFindingData = {
      unit: { name: "市委办公室", category: "党政机关", headcount: 16 },
      minGroupSize: 5,
      responses: [
        { wave: 2024, n: 12, rate: 0.75, suppressed: false },
        { wave: 2025, n: 11, rate: 11 / 16, suppressed: false }
      ],
      scales: [
        {
          level: "section",
          code: "causes",
          name: "原因剖析",
          section: "causes",
          direction: c.higherIsBetter ? "higher_is_better" : "higher_is_worse",
          points: [
            ...(c.change == null ? [] : [point(2024, 60, null, null)]),
            point(2025, 62.3, c.change, c.significant)
          ]
        }
      ]
    };
    const text = unitFinding(d, 2025, "causes").join("");
    if (c.tone === "none") expect(text).not.toMatch(/较|持平/);
    else expect(text).toContain(`原因剖析指数62.3，${c.words}。`);
    if (c.tone === "neutral" || c.tone === "none") expect(text).not.toMatch(UP_OR_DOWN);
  });

  it("trendsFinding and TrendBand (the trends page and the unit page's trend)", () => {
    const data: TrendsFindingData = {
      waves: [2024, 2025],
      changeTest: "",
      sections: [{ code: "s", name: "部分", direction: c.higherIsBetter ? "higher_is_better" : "higher_is_worse" }],
      series: [
        {
          section: "s",
          level: "dimension",
          code: "d",
          name: "制度机制",
          points: [
            { wave: 2024, index: 50, change: null, significant: null, suppressed: false },
            { wave: 2025, index: 50 + (c.change ?? 0), change: c.change, significant: c.significant, suppressed: false }
          ]
        }
      ]
    };
    const changes = latestChanges(data);
    expect(changes.better.length).toBe(c.tone === "better" ? 1 : 0);
    expect(changes.worse.length).toBe(c.tone === "worse" ? 1 : 0);
    if (c.tone === "none") expect(trendsFinding(data)).toEqual(["目前只有2025年一轮调查，还不能比较变化。"]);
    const series: TrendBandSeries = { key: "all", label: "全体", points: data.series[0].points };
    const chart = TrendBand([series], { width: 500, higherIsBetter: c.higherIsBetter, document });
    const marks = [...chart.querySelectorAll("g.trend-band-significant text")];
    expect(marks.map((t) => t.textContent)).toEqual(c.arrow ? [c.arrow] : []);
    if (c.arrow) expect(marks[0].closest("g")!.getAttribute("fill")).toBe(c.tone === "better" ? "#2e8540" : "#c0392b");
    expect(describeTrend(series)).toMatch(c.arrow ? `明显变化：2025年 ${c.arrow}` : /各轮之间变化不明显$/);
  });
});
