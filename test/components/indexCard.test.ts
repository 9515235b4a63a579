// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import { IndexCard } from "../../src/components/indexCard.ts";

const text = (card: Element, selector: string) => card.querySelector(selector)?.textContent ?? null;

describe("IndexCard", () => {
  it("shows the value to one decimal and a significant rise as a green ▲ 较2019年上升", () => {
    const card = IndexCard({
      label: "制度机制",
      value: 48.25,
      change: 0.2,
      significant: true,
      n: 412,
      changeFrom: "2019年",
      document
    });
    expect(card.tagName).toBe("DIV");
    expect(card.classList.contains("card")).toBe(true);
    expect(text(card, "h2")).toBe("制度机制");
    expect(text(card, ".index-card__value")).toBe("48.3");
    expect(text(card, ".change-badge__arrow")).toBe("▲");
    expect(text(card, ".index-card__change")).toBe("▲ 较2019年上升 0.2");
    expect(card.querySelector(".change-badge")!.classList.contains("green")).toBe(true);
    expect(text(card, ".index-card__n")).toBe("样本量：412 人");
  });

  it("shows a significant fall as a red ▼ and words it 下降", () => {
    const card = IndexCard({ label: "能力素质", value: 50, change: -1.26, significant: true, n: 30, document });
    expect(text(card, ".index-card__value")).toBe("50.0");
    expect(text(card, ".index-card__change")).toBe("▼ 较上一轮下降 1.3");
    expect(card.querySelector(".change-badge")!.classList.contains("red")).toBe(true);
  });

  it("colours a significant rise red when lower is better", () => {
    const worse = IndexCard({ label: "x", value: 1, change: 2, significant: true, higherIsBetter: false, document });
    expect(worse.querySelector(".change-badge")!.classList.contains("red")).toBe(true);
    expect(text(worse, ".index-card__change")).toBe("▲ 较上一轮上升 2.0");
  });

  it("shows a change that is not significant as 基本持平, without arrow or colour (the overview's 对策需求 card)", () => {
    const card = IndexCard({
      label: "对策需求",
      value: 70.4,
      change: 0.1,
      significant: false,
      changeFrom: "2024年",
      document
    });
    expect(text(card, ".index-card__change")).toBe("与2024年基本持平（变化不明显）");
    expect(card.querySelector(".change-badge__arrow")).toBeNull();
    const badge = card.querySelector(".change-badge")!;
    expect(badge.classList.contains("muted")).toBe(true);
    expect(badge.classList.contains("green") || badge.classList.contains("red")).toBe(false);
    expect(card.textContent).not.toMatch(/[▲▼]|上升|下降/);
  });

  it("claims nothing for a change without a verdict", () => {
    const card = IndexCard({ label: "x", value: 1, change: -0.6, changeFrom: "2024年", document });
    expect(text(card, ".index-card__change")).toBe("与2024年的变化未经检验，不作比较");
    expect(card.textContent).not.toMatch(/[▲▼]|上升|下降/);
  });

  it("words an exact change (a count, not an estimate) by its sign, without colour", () => {
    const card = IndexCard({
      label: "党建考核得分（中位数）",
      value: 80,
      change: 1.24,
      exact: true,
      changeFrom: "2024年",
      document
    });
    expect(text(card, ".index-card__change")).toBe("▲ 较2024年上升 1.2");
    expect(card.querySelector(".change-badge")!.classList.contains("muted")).toBe(true);
  });

  it("has no change line arrow when there is no previous wave", () => {
    const card = IndexCard({ label: "思想认识", value: 61.5, change: null, n: 588, document });
    expect(text(card, ".index-card__change")).toBe("暂无上一轮可比数据");
    expect(card.querySelector(".index-card__delta")).toBeNull();
  });

  it("shows the suppression note instead of a value", () => {
    const card = IndexCard({ label: "思想认识", value: null, change: 3, n: null, document });
    expect(text(card, ".index-card__value")).toBe("—");
    expect(card.textContent).toContain("样本量不足，已隐去");
    expect(card.querySelector(".index-card__change")).toBeNull();
  });

  it("lists details", () => {
    const card = IndexCard({
      label: "x",
      value: 40,
      details: [
        ["均值（1–5分）", "2.60"],
        ["认同比例", "19%"]
      ],
      document
    });
    expect([...card.querySelectorAll("li")].map((li) => li.textContent)).toEqual([
      "均值（1–5分）：2.60",
      "认同比例：19%"
    ]);
  });
});

describe("IndexCard on a higher-is-worse index", () => {
  it("says under the number that a higher index means a more serious problem", () => {
    const card = IndexCard({ label: "存在问题", value: 48.1, higherIsBetter: false, document });
    expect(card.querySelector(".index-card__value + .index-card__direction")?.textContent).toBe("指数越高，问题越突出");
    expect(IndexCard({ label: "原因剖析", value: 70, document }).querySelector(".index-card__direction")).toBeNull();
  });
});
