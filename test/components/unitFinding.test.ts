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
  all = 65.7,
  versusCategory: UnitFindingPoint["versusCategory"] = index == null ? null : "not_different"
): UnitFindingPoint => ({
  wave,
  n: index == null ? null : 11,
  index,
  change,
  significant,
  suppressed: index == null,
  category,
  all,
  versusCategory
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
  it("gives the response, the focus index with its comparison's verdict and references, its change and the weakest cause", () => {
    expect(unitFinding(data(), 2025, "causes")).toEqual([
      "2025年市委办公室回收问卷11份，占名册16名党务干部的68.8%。",
      "原因剖析指数63.3，与同类其他单位相比差别不明显（党政机关65.0，全体65.7），与2023年基本持平（变化不明显）。",
      "各方面中最弱的是制度机制（50.0，党政机关58.8），与同类其他单位相比差别不明显。"
    ]);
  });

  it("calls a unit lower or higher than its peers only on the mart's verdict, in the scale's sense", () => {
    const d = data();
    const last = (i: number) => d.scales[i].points[d.scales[i].points.length - 1];
    last(0).versusCategory = "worse";
    expect(unitFinding(d, 2025, "causes")[1]).toContain("明显低于同类其他单位（党政机关65.0，全体65.7）");
    last(0).versusCategory = null; // not compared: references only, no verdict words
    expect(unitFinding(d, 2025, "causes")[1]).toMatch(/^原因剖析指数63\.3（党政机关65\.0，全体65\.7）/);
    expect(unitFinding(d, 2025, "causes")[1]).not.toMatch(/低于|高于|差别/);
    for (const s of d.scales) s.direction = "higher_is_worse";
    last(0).versusCategory = "worse";
    expect(unitFinding(d, 2025, "causes")[1]).toContain("明显高于同类其他单位");
  });

  it("gives the index's own count only where it differs from the response count, and never a dash for none", () => {
    const d = data();
    const last = d.scales[0].points[d.scales[0].points.length - 1];
    last.n = 9; // some answerers skipped the section: the count behind the index is its own
    expect(unitFinding(d, 2025, "causes")[1]).toMatch(/^原因剖析指数63\.3（9人），/);
    last.n = null; // not published for the unit
    expect(unitFinding(d, 2025, "causes")[1]).toMatch(/^原因剖析指数63\.3，/);
    expect(unitFinding(d, 2025, "causes").join("")).not.toContain("—人");
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
