// The ranking of the report's measures (pipeline/marts/measures.ts) on a small hand-made input, every number
// worked out by hand below.
import { describe, expect, it } from "vitest";
import {
  basisSection,
  evidenceOf,
  rankMeasures,
  type MeasureDefinition,
  type SubdimensionScore
} from "../../pipeline/marts/measures.ts";

/** A sub-dimension score; the interval is index ± 5 unless given. */
function score(
  code: string,
  section: "causes" | "problems",
  index: number | null,
  extra: Partial<SubdimensionScore> = {}
): SubdimensionScore {
  return {
    code,
    section,
    direction: section === "problems" ? "higher_is_worse" : "higher_is_better",
    n: index === null ? null : 100,
    index,
    indexLow: index === null ? null : index - 5,
    indexHigh: index === null ? null : index + 5,
    agreeShare: index === null ? null : index / 100,
    indexChange: null,
    changeSignificant: null,
    suppressed: index === null,
    ...extra
  };
}

// Causes (higher is better): gap = 100 − index. Problems (higher is worse): gap = index.
const scores = [
  score("c1", "causes", 70), //   gap 30
  score("c2", "causes", 45, { indexLow: 41, indexHigh: 49 }), // gap 55 — the weakest cause; its interval lies wholly below 50
  score("c3", "causes", 60, { indexChange: -4, changeSignificant: true }), // gap 40, significantly worse than before
  score("c4", "causes", 65, { indexChange: -6, changeSignificant: false }), // gap 35, worse but not significantly
  score("c5", "causes", 80), //   gap 20
  score("c6", "causes", null), // suppressed
  score("p1", "problems", 52), // gap 52 — the most severe problem, but its interval 47–57 crosses the midpoint
  score("p2", "problems", 30), // gap 30
  score("p3", "problems", 40, { indexLow: 35, indexHigh: 45 }) // gap 40
];

const measures: MeasureDefinition[] = [
  {
    code: "booster",
    name: "助推剂",
    parts: [
      { code: "b1", name: "提升政治意识", addresses: ["c1", "p2"] }, // need 30 (c1; p2 is on another scale)
      { code: "b2", name: "提升中心意识", addresses: ["c5"] } //       need 20
    ]
  },
  {
    code: "strengthener",
    name: "强化剂",
    parts: [
      { code: "s1", name: "强化责任机制", addresses: ["c2", "p1"] }, // need 55: the basis (causes) only, p1 is evidence
      { code: "s2", name: "强化责任落实", addresses: ["c6", "c4"] } // need 35 (c6 suppressed)
    ]
  },
  {
    code: "adhesive",
    name: "粘合剂",
    parts: [
      { code: "a1", name: "工作思路要融合", addresses: ["c3"] }, //  need 40
      { code: "a2", name: "工作目标要契合", addresses: ["c6"] } //   nothing to go on
    ]
  }
];

describe("evidenceOf", () => {
  const evidence = evidenceOf(scores);
  const e = (code: string) => evidence.find((x) => x.code === code)!;

  it("measures the gap from the good end, by the section's direction", () => {
    expect(scores.map((s) => e(s.code).gap)).toEqual([30, 55, 40, 35, 20, null, 52, 30, 40]);
  });

  it("ranks within each section, weakest first, suppressed unranked", () => {
    expect(["c2", "c3", "c4", "c1", "c5", "c6"].map((c) => e(c).rankInSection)).toEqual([1, 2, 3, 4, 5, null]);
    expect(["p1", "p3", "p2"].map((c) => e(c).rankInSection)).toEqual([1, 2, 3]);
  });

  it("gives the reasons: weakest third of the section, whole interval unfavourable, significantly worse", () => {
    // Six causes → the weakest two; three problems → the weakest one.
    expect(e("c2").reasons).toEqual(["weakest", "unfavourable"]);
    expect(e("c3").reasons).toEqual(["weakest", "worsened"]);
    expect(e("c4").reasons).toEqual([]); // a drop that is not significant is no reason
    expect(e("p1").reasons).toEqual(["weakest"]); // 47–57 crosses 50
    expect(e("p3").reasons).toEqual([]);
    expect(e("c6")).toMatchObject({ suppressed: true, gap: null, reasons: [] });
  });

  it("calls a problem unfavourable only when its whole interval lies above the midpoint", () => {
    const [p] = evidenceOf([score("p", "problems", 58)]); // 53–63
    expect(p.reasons).toContain("unfavourable");
  });
});

describe("basisSection", () => {
  const sectionOf = (code: string) => (code.startsWith("c") ? "causes" : "problems");
  const sections = [
    { code: "problems", direction: "higher_is_worse" as const },
    { code: "causes", direction: "higher_is_better" as const }
  ];

  it("is the first higher-is-better section every part addresses, else the first every part addresses", () => {
    expect(basisSection(measures, sections, sectionOf)?.code).toBe("causes");
    const problemsOnly = [{ code: "m", name: "M", parts: [{ code: "m1", name: "m1", addresses: ["p1", "c1"] }] }];
    expect(basisSection(problemsOnly, sections.slice(0, 1), sectionOf)?.code).toBe("problems");
    const split = [
      { code: "m", name: "M", parts: [{ code: "m1", name: "m1", addresses: ["p1"] }] },
      { code: "n", name: "N", parts: [{ code: "n1", name: "n1", addresses: ["c1"] }] }
    ];
    expect(basisSection(split, sections, sectionOf)).toBeNull();
  });
});

describe("rankMeasures", () => {
  const ranked = rankMeasures(measures, evidenceOf(scores), new Map(), "causes");

  it("never averages gaps of two sections: without a basis, evidence from two sections is refused", () => {
    expect(() => rankMeasures(measures, evidenceOf(scores))).toThrow(/依据部分/);
  });

  it("lets only the basis section make a part apply: a problem's reason stays evidence", () => {
    const [m] = rankMeasures(
      [{ code: "m", name: "M", parts: [{ code: "m1", name: "m1", addresses: ["c4", "p1"] }] }],
      evidenceOf(scores),
      new Map(),
      "causes"
    );
    // p1 is the weakest problem, c4 (gap 35) has no reason: the part's need is c4's gap and it does not apply.
    expect(m.parts[0]).toMatchObject({ need: 35, applies: false });
  });

  it("ranks measures by the mean need of their parts", () => {
    // strengthener (55 + 35) / 2 = 45; adhesive 40 (a2 has no evidence); booster (30 + 20) / 2 = 25
    expect(ranked.map((m) => [m.code, m.need, m.rank])).toEqual([
      ["strengthener", 45, 1],
      ["adhesive", 40, 2],
      ["booster", 25, 3]
    ]);
  });

  it("ranks parts among all parts and orders them within a measure", () => {
    const parts = Object.fromEntries(ranked.flatMap((m) => m.parts.map((p) => [p.code, p])));
    expect(["s1", "a1", "s2", "b1", "b2"].map((c) => [parts[c].need, parts[c].rank])).toEqual([
      [55, 1],
      [40, 2],
      [35, 3],
      [30, 4],
      [20, 5]
    ]);
    expect(parts.a2).toMatchObject({ need: null, rank: null, applies: false });
    expect(ranked[1].parts.map((p) => p.code)).toEqual(["a1", "a2"]); // unranked last
  });

  it("says which parts apply, and a measure applies when one of its parts does", () => {
    const applies = Object.fromEntries(ranked.flatMap((m) => m.parts.map((p) => [p.code, p.applies])));
    expect(applies).toEqual({ s1: true, s2: false, a1: true, a2: false, b1: false, b2: false });
    expect(ranked.map((m) => m.applies)).toEqual([true, true, false]);
  });

  it("keeps the codebook's order on ties", () => {
    const tie = rankMeasures(
      [
        { code: "x", name: "X", parts: [{ code: "x1", name: "x1", addresses: ["c1"] }] },
        { code: "y", name: "Y", parts: [{ code: "y1", name: "y1", addresses: ["c1"] }] }
      ],
      evidenceOf(scores),
      new Map(),
      "causes"
    );
    expect(tie.map((m) => [m.code, m.need, m.rank])).toEqual([
      ["x", 30, 1],
      ["y", 30, 2]
    ]);
  });

  it("attaches the respondents' own demand for a measure when there is one", () => {
    const demand = new Map([
      ["booster", { index: 75, agreeShare: 0.6, agreeLow: 0.5, agreeHigh: 0.7, n: 100, suppressed: false }]
    ]);
    const withDemand = rankMeasures(measures, evidenceOf(scores), demand, "causes");
    expect(withDemand.find((m) => m.code === "booster")!.demand?.agreeShare).toBe(0.6);
    expect(withDemand.find((m) => m.code === "adhesive")!.demand).toBeNull();
  });
});
