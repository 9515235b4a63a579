import { describe, expect, it } from "vitest";
import {
  previousPublished,
  unitFinding,
  type UnitFindingData,
  type UnitFindingPoint
} from "../../src/components/unitFinding.ts";

const pt = (
  wave: number,
  index: number | null,
  change: number | null = null,
  significant: boolean | null = null,
  category = 65,
  all = 65.7
): UnitFindingPoint => ({
  wave,
  n: index == null ? null : 11,
  index,
  change,
  significant,
  suppressed: index == null,
  category,
  all
});

function data(): UnitFindingData {
  return {
    unit: { name: "市委办公室", category: "党政机关", headcount: 16 },
    minGroupSize: 5,
    responses: [
      { wave: 2023, n: 14, rate: 14 / 16, suppressed: false },
      { wave: 2024, n: null, rate: null, suppressed: true },
      { wave: 2025, n: 11, rate: 11 / 16, suppressed: false }
    ],
    scales: [
      {
        level: "section",
        code: "causes",
        name: "原因剖析",
        section: "causes",
        direction: "higher_is_better",
        points: [pt(2023, 62.7), pt(2024, null), pt(2025, 63.3, 0.6, false)]
      },
      {
        level: "dimension",
        code: "cognition",
        name: "思想认识",
        section: "causes",
        direction: "higher_is_better",
        points: [pt(2023, 70), pt(2024, null), pt(2025, 75.9, 5.9, true, 70.8, 71.2)]
      },
      {
        level: "dimension",
        code: "mechanisms",
        name: "制度机制",
        section: "causes",
        direction: "higher_is_better",
        points: [pt(2023, 48), pt(2024, null), pt(2025, 50, 2, false, 58.8, 59.2)]
      }
    ]
  };
}

describe("unitFinding", () => {
  it("gives the response, the focus index against the category and the whole, its change and the weakest cause", () => {
    expect(unitFinding(data(), 2025, "causes")).toEqual([
      "2025年市委办公室回收问卷11份，占名册16名党务干部的68.8%。",
      "原因剖析指数63.3（11人），低于党政机关（65.0），低于全体（65.7），与2023年基本持平（变化不明显）。",
      "各方面中最弱的是制度机制（50.0，低于党政机关（58.8））。"
    ]);
  });

  it("measures a change from the last published wave", () => {
    expect(previousPublished(data().scales[0], 2025)).toBe(2023);
    expect(previousPublished(data().scales[0], 2023)).toBeNull();
  });

  it("says one thing and shows no number for a suppressed wave", () => {
    const sentences = unitFinding(data(), 2024, "causes");
    expect(sentences).toHaveLength(1);
    expect(sentences[0]).toContain("样本量不足，已隐去");
    expect(sentences[0]).not.toMatch(/\d+(\.\d)?（|指数\d/);
  });
});
