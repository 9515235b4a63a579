// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import { IndexCard } from "../../src/components/indexCard.ts";

const text = (card: Element, selector: string) => card.querySelector(selector)?.textContent ?? null;

describe("IndexCard", () => {
  it("shows the value to one decimal and a rise as ▲ +0.2", () => {
    const card = IndexCard({ label: "制度机制", value: 48.25, change: 0.2, n: 412, changeFrom: "2019年", document });
    expect(card.tagName).toBe("DIV");
    expect(card.classList.contains("card")).toBe(true);
    expect(text(card, "h2")).toBe("制度机制");
    expect(text(card, ".index-card__value")).toBe("48.3");
    expect(text(card, ".index-card__delta")).toBe("▲ +0.2");
    expect(text(card, ".index-card__change")).toBe("▲ +0.2 较2019年上升");
    expect(card.querySelector(".index-card__delta")!.classList.contains("green")).toBe(true);
    expect(text(card, ".index-card__n")).toBe("样本量：412 人");
  });

  it("shows a fall as ▼ and words it 下降", () => {
    const card = IndexCard({ label: "能力素质", value: 50, change: -1.26, n: 30, document });
    expect(text(card, ".index-card__value")).toBe("50.0");
    expect(text(card, ".index-card__change")).toBe("▼ -1.3 较上一轮下降");
    expect(card.querySelector(".index-card__delta")!.classList.contains("red")).toBe(true);
  });

  it("says 持平 when the change rounds to zero, and colours by direction when lower is better", () => {
    expect(text(IndexCard({ label: "x", value: 1, change: 0.04, document }), ".index-card__change")).toBe(
      "— 0.0 与上一轮持平"
    );
    const worse = IndexCard({ label: "x", value: 1, change: 2, higherIsBetter: false, document });
    expect(worse.querySelector(".index-card__delta")!.classList.contains("red")).toBe(true);
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
