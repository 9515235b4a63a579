// Suppression of unit scores (loaders/marts/units.ts · suppressUnitScores) on hand-made cells: what the response-rate
// mart hides stays hidden, and no category is ever left with exactly one hidden unit.
import { describe, expect, it } from "vitest";
import { suppressUnitScores } from "../../loaders/marts/units.ts";

const cell = (unit: string, n: number, category = "党政机关", code = "mechanisms") => ({ wave: 2025, unit, category, level: "dimension", code, n: n as number | null, suppressed: false });
const hiddenOf = (rows: { unit: string; suppressed: boolean }[]) => rows.filter((r) => r.suppressed).map((r) => r.unit);

describe("suppressUnitScores", () => {
  it("hides small units and the next smallest of their category", () => {
    const rows = suppressUnitScores([cell("A", 3), cell("B", 9), cell("C", 6), cell("D", 30)], 5, new Set());
    expect(hiddenOf(rows)).toEqual(["A", "C"]);
  });

  it("hides what the response-rate mart hides, and then one more, even when nothing is small", () => {
    // The rate mart hid B as the complement of a unit without respondents (which has no score row at all):
    // B alone hidden would let category minus A, C give B back.
    const rows = suppressUnitScores([cell("A", 12), cell("B", 7), cell("C", 6)], 5, new Set(["2025|B"]));
    expect(hiddenOf(rows)).toEqual(["B", "C"]);
    expect(rows.find((r) => r.unit === "B")!.n).toBeNull();
  });

  it("keeps categories, scales and waves apart", () => {
    const rows = suppressUnitScores(
      [cell("A", 3), cell("B", 9), cell("C", 40, "事业单位"), cell("D", 30, "事业单位"), cell("A", 8, "党政机关", "capacity"), cell("B", 9, "党政机关", "capacity")],
      5,
      new Set(["2024|C"])
    );
    expect(rows.map((r) => r.suppressed)).toEqual([true, true, false, false, false, false]);
  });
});
