import { describe, expect, it } from "vitest";
import { suppressSmallGroups } from "../../loaders/marts/anonymity.ts";

const cell = (group: string, n: number | null) => ({ grouping: "role", group, n, suppressed: false });

describe("suppressSmallGroups", () => {
  it("suppresses every group under the minimum", () => {
    const rows = suppressSmallGroups([cell("a", 4), cell("b", 5), cell("c", 3), cell("d", 40)], 5, (r) => r.grouping);
    expect(rows.map((r) => r.suppressed)).toEqual([true, false, true, false]);
  });

  it("suppresses the next smallest group too when only one is small, so no total gives it back", () => {
    const rows = suppressSmallGroups([cell("a", 40), cell("b", 4), cell("c", 9), cell("d", 12)], 5, (r) => r.grouping);
    expect(rows.map((r) => r.suppressed)).toEqual([false, true, true, false]);
  });

  it("keeps separate breakdowns apart and leaves a lone cell (the whole) alone", () => {
    const rows = suppressSmallGroups([{ ...cell("全体", 100), grouping: "all" }, cell("a", 50), cell("b", 50)], 5, (r) => r.grouping);
    expect(rows.every((r) => !r.suppressed)).toBe(true);
  });
});
