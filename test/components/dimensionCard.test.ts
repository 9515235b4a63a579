// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import { DimensionCard, rowChange, type CardScore } from "../../src/components/dimensionCard.ts";

const row = (extra: Partial<CardScore> = {}): CardScore => ({
  n: 558,
  index: 59.2,
  indexLow: 58.3,
  indexHigh: 60.2,
  agreeShare: 0.163,
  indexChange: 2.3,
  changeSignificant: true,
  previousWave: 2024,
  suppressed: false,
  ...extra
});

describe("rowChange", () => {
  it("calls a change a rise or fall only when it is significant", () => {
    expect(rowChange(row(), { changeFrom: "2024年" })).toMatchObject({
      arrow: "▲",
      delta: "+2.3",
      words: "较2024年上升 2.3",
      tone: "better"
    });
    expect(rowChange(row({ indexChange: -1.04 }), { changeFrom: 2024 })).toMatchObject({
      arrow: "▼",
      delta: "-1.0",
      words: "较2024年下降 1.0",
      tone: "worse"
    });
    expect(rowChange(row({ changeSignificant: false }), { changeFrom: "2024年" })).toMatchObject({
      arrow: "",
      words: "与2024年基本持平（变化不明显）",
      tone: "neutral"
    });
  });

  it("reads the direction: a significant rise of a problem is worse", () => {
    expect(rowChange(row(), { higherIsBetter: false }).tone).toBe("worse");
    expect(rowChange(row({ indexChange: -3 }), { higherIsBetter: false }).tone).toBe("better");
  });

  it("has nothing to say without a previous wave", () => {
    expect(rowChange(row({ indexChange: null, changeSignificant: null })).words).toBe("暂无上一轮可比数据");
    expect(rowChange(null).tone).toBe("none");
  });
});

describe("DimensionCard", () => {
  it("shows the index, the change in words, the index's interval, share agreeing and n", () => {
    const card = DimensionCard({ label: "制度机制", subtitle: "制度机制不健全", row: row(), document });
    expect(card.querySelector(".index-card__value")!.textContent).toBe("59.2");
    expect(card.querySelector(".index-card__change")!.textContent).toBe("▲ 较2024年上升 2.3");
    expect(card.querySelector(".change-badge")!.classList.contains("green")).toBe(true);
    const details = [...card.querySelectorAll(".index-card__details li")].map((li) => li.textContent);
    expect(details).toEqual(["误差范围：58.3–60.2", "认同比例：16%", "样本量：558 人"]);
    expect(card.querySelector("h3")!.textContent).toBe("制度机制不健全");
  });

  it("colours a significant rise red on a higher-is-worse section, and a non-significant change grey", () => {
    const worse = DimensionCard({
      label: "工作态度",
      row: row(),
      higherIsBetter: false,
      agreeLabel: "认为存在该问题的比例",
      document
    });
    expect(worse.querySelector(".change-badge")!.classList.contains("red")).toBe(true);
    expect(worse.textContent).toContain("认为存在该问题的比例：16%");
    const same = DimensionCard({
      label: "工作态度",
      row: row({ changeSignificant: false }),
      higherIsBetter: false,
      document
    });
    expect(same.querySelector(".change-badge")!.classList.contains("muted")).toBe(true);
    expect(same.querySelector(".change-badge__arrow")).toBeNull();
    expect(same.querySelector(".index-card__change")!.textContent).toBe("与2024年基本持平（变化不明显）");
  });

  it("shows the suppression note and no number for a suppressed group", () => {
    const card = DimensionCard({ label: "制度机制", row: row({ suppressed: true, index: null, n: null }), document });
    expect(card.classList.contains("index-card--suppressed")).toBe(true);
    expect(card.querySelector(".index-card__value")!.textContent).toBe("—");
    expect(card.textContent).toContain("样本量不足，已隐去");
    expect(card.textContent).not.toMatch(/\d/);
  });
});

describe("DimensionCard on a higher-is-worse section", () => {
  it("says right under the number that a higher index means a more serious problem, and only there", () => {
    const worse = DimensionCard({ label: "工作态度", row: row(), higherIsBetter: false, document });
    expect(worse.querySelector(".index-card__direction")?.textContent).toBe("指数越高，问题越突出");
    expect(worse.querySelector(".index-card__value + .index-card__direction")).not.toBeNull();
    const better = DimensionCard({ label: "思想认识", row: row(), document });
    expect(better.querySelector(".index-card__direction")).toBeNull();
  });
});
