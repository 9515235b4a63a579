// The wave's suppression pattern (pipeline/marts/suppression.ts) on hand-made group sizes with known answers, and on
// random ones against the rules themselves: every pool of hidden parts under a shown total holds no one, or at least
// k people behind every figure and (for units and categories) at least two parts with respondents.
import { describe, expect, it } from "vitest";
import { decideSuppression, showParts, type GroupSize, type GroupUniverse } from "../../pipeline/marts/suppression.ts";

const part = (name: string, counted: number, floor = counted) => ({ name, counted, floor });

describe("showParts", () => {
  it("shows every part when none is small", () => {
    expect([...showParts([part("A", 9), part("B", 5)], 5)]).toEqual(["A", "B"]);
  });

  it("hides the next smallest part with a small one, so the pool is never under k", () => {
    // A (3) alone would be category − B − C; with B (6) the pool holds 9.
    expect([...showParts([part("A", 3), part("B", 6), part("C", 30)], 5, { minHiddenWithPeople: 2 })]).toEqual(["C"]);
  });

  it("keeps hiding until the pool reaches k, not only one more part (the old complementary rule)", () => {
    // Two hidden units of 1 respondent each: 2 < 5. The old rule hid nothing more (two were already hidden).
    expect([
      ...showParts([part("A", 1), part("B", 1), part("C", 9), part("D", 40)], 5, { minHiddenWithPeople: 2 })
    ]).toEqual(["D"]);
  });

  it("counts the floor (the fewest people behind any figure), not the respondents", () => {
    // A has 6 respondents, but one of its scores rests on 4: A is hidden, and so the next smallest.
    expect([...showParts([part("A", 6, 4), part("B", 7), part("C", 12)], 5, { minHiddenWithPeople: 2 })]).toEqual([
      "C"
    ]);
  });

  it("needs two hidden parts with respondents for units, so that a pool is never one unit's own figure", () => {
    // A hidden with 5 people beside a unit with none (Z): pool = A alone → hide B too.
    expect([
      ...showParts([part("A", 4, 4), part("Z", 0, 0), part("B", 5), part("C", 30)], 5, { minHiddenWithPeople: 2 })
    ]).toEqual(["C"]);
  });

  it("leaves a pool of nobody alone", () => {
    expect([...showParts([part("Z", 0, 0), part("Y", 0, 0), part("B", 5)], 5, { minHiddenWithPeople: 2 })]).toEqual([
      "B"
    ]);
  });

  it("counts those who skipped an attribute question into the pool", () => {
    // 2 skipped the question: even with every answer shown, 全体 − answers = 2 people. Hide the smallest answer.
    expect([
      ...showParts([part("a", 40), part("b", 9), part("c", 30)], 5, { residual: { counted: 2, floor: 2 } })
    ]).toEqual(["a", "c"]);
    expect([...showParts([part("a", 40), part("b", 9)], 5, { residual: { counted: 6, floor: 6 } })]).toEqual([
      "a",
      "b"
    ]);
  });
});

const universe = (units: [string, string][], attributes: [string, string[]][] = []): GroupUniverse => ({
  categories: [...new Set(units.map(([, c]) => c))],
  units: units.map(([code, category]) => ({ code, name: code, category, headcount: 10 })),
  attributes: new Map(attributes)
});
const size = (wave: number, grouping: string, group: string | null, counted: number, floor = counted): GroupSize => ({
  wave,
  grouping,
  group,
  counted,
  floor
});

describe("decideSuppression", () => {
  const u = universe(
    [
      ["U1", "甲"],
      ["U2", "甲"],
      ["U3", "甲"],
      ["U4", "乙"],
      ["U5", "乙"],
      ["U6", "丙"]
    ],
    [["role", ["书记", "委员"]]]
  );

  it("hides a small category with another, and all their units", () => {
    const p = decideSuppression(
      [
        size(2020, "all", "全体", 60),
        size(2020, "unit_category", "甲", 40),
        size(2020, "unit_category", "乙", 17),
        size(2020, "unit_category", "丙", 3),
        size(2020, "unit", "U1", 20),
        size(2020, "unit", "U2", 10),
        size(2020, "unit", "U3", 10),
        size(2020, "unit", "U4", 9),
        size(2020, "unit", "U5", 8),
        size(2020, "unit", "U6", 3),
        size(2020, "role", "书记", 30),
        size(2020, "role", "委员", 30)
      ],
      u,
      5
    );
    expect(p.shows(2020, "unit_category", "甲")).toBe(true);
    expect(p.shows(2020, "unit_category", "乙")).toBe(false);
    expect(p.shows(2020, "unit_category", "丙")).toBe(false);
    expect(["U1", "U2", "U3"].map((x) => p.shows(2020, "unit", x))).toEqual([true, true, true]);
    expect(["U4", "U5", "U6"].map((x) => p.shows(2020, "unit", x))).toEqual([false, false, false]);
    expect(p.count(2020, "unit", "U1")).toBe(20);
    expect(p.count(2020, "unit", "U4")).toBeNull();
    expect(p.shows(2020, "role", "书记")).toBe(true);
  });

  it("hides a wave whose whole is under the minimum, and pools the hidden units of each shown category", () => {
    const p = decideSuppression(
      [
        size(2019, "all", "全体", 4),
        size(2020, "all", "全体", 60),
        size(2020, "unit_category", "甲", 30),
        size(2020, "unit_category", "乙", 20),
        size(2020, "unit_category", "丙", 10),
        size(2020, "unit", "U1", 24),
        size(2020, "unit", "U2", 4),
        size(2020, "unit", "U3", 2),
        size(2020, "unit", "U4", 10),
        size(2020, "unit", "U5", 10),
        size(2020, "unit", "U6", 10)
      ],
      u,
      5
    );
    expect(p.shows(2019, "all", "全体")).toBe(false);
    expect(p.shows(2019, "unit", "U1")).toBe(false);
    expect(p.pools).toEqual([{ wave: 2020, category: "甲", units: ["U2", "U3"], counted: 6 }]);
  });

  it("on random sizes, every pool it leaves satisfies the rule", () => {
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let trial = 0; trial < 300; trial++) {
      const k = [3, 5, 10][trial % 3];
      const units = Array.from({ length: 3 + Math.floor(random() * 12) }, (_, i): [string, string] => [
        `U${i}`,
        ["甲", "乙", "丙"][Math.floor(random() * 3)]
      ]);
      const uni = universe(units, [["role", ["a", "b", "c"]]]);
      const sizes: GroupSize[] = [];
      const byCategory = new Map<string, { counted: number; floor: number }>();
      let all = 0;
      for (const [code, category] of units) {
        const counted = Math.floor(random() * 3 * k);
        const floor = Math.max(0, counted - Math.floor(random() * 2));
        sizes.push(size(1, "unit", code, counted, floor));
        const c = byCategory.get(category) ?? { counted: 0, floor: 0 };
        byCategory.set(category, { counted: c.counted + counted, floor: c.floor + floor });
        all += counted;
      }
      for (const [c, s] of byCategory) sizes.push(size(1, "unit_category", c, s.counted, s.floor));
      sizes.push(size(1, "all", "全体", all, all));
      const roles = [Math.floor(all * random()), 0, 0];
      roles[1] = Math.floor((all - roles[0]) * random());
      roles[2] = Math.floor((all - roles[0] - roles[1]) * random());
      ["a", "b", "c"].forEach((r, i) => sizes.push(size(1, "role", r, roles[i])));
      const skipped = all - roles[0] - roles[1] - roles[2];
      sizes.push(size(1, "role", null, skipped));
      const p = decideSuppression(sizes, uni, k);
      const floorOf = (grouping: string, group: string | null) =>
        sizes.find((s) => s.grouping === grouping && s.group === group)?.floor ?? 0;
      const countedOf = (grouping: string, group: string | null) =>
        sizes.find((s) => s.grouping === grouping && s.group === group)?.counted ?? 0;
      // A pool of every part is the shown total itself (whose own floor was checked): nothing new is derived.
      const poolHolds = (hidden: { grouping: string; group: string | null }[], twoParts: boolean, of = Infinity) => {
        if (hidden.length === of) return true;
        const people = hidden.reduce((s, h) => s + countedOf(h.grouping, h.group), 0);
        if (people === 0) return true;
        const withPeople = hidden.filter((h) => countedOf(h.grouping, h.group) > 0).length;
        return hidden.reduce((s, h) => s + floorOf(h.grouping, h.group), 0) >= k && (!twoParts || withPeople >= 2);
      };
      if (!p.shows(1, "all", "全体")) {
        expect(units.some(([code]) => p.shows(1, "unit", code))).toBe(false);
        continue;
      }
      const cats = [...byCategory.keys()];
      expect(
        poolHolds(
          cats.filter((c) => !p.shows(1, "unit_category", c)).map((c) => ({ grouping: "unit_category", group: c })),
          true,
          cats.length
        )
      ).toBe(true);
      for (const c of cats) {
        const members = units.filter(([, cat]) => cat === c).map(([code]) => code);
        if (!p.shows(1, "unit_category", c)) {
          expect(members.some((m) => p.shows(1, "unit", m))).toBe(false);
          continue;
        }
        expect(
          poolHolds(
            members.filter((m) => !p.shows(1, "unit", m)).map((m) => ({ grouping: "unit", group: m })),
            true,
            members.length
          )
        ).toBe(true);
        for (const m of members) if (p.shows(1, "unit", m)) expect(floorOf("unit", m)).toBeGreaterThanOrEqual(k);
      }
      const hiddenRoles = ["a", "b", "c"]
        .filter((r) => !p.shows(1, "role", r))
        .map((r) => ({ grouping: "role", group: r as string | null }));
      expect(poolHolds([...hiddenRoles, { grouping: "role", group: null }], false)).toBe(true);
    }
  });
});
