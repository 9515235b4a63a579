// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import { placeLabels, Quadrant, quadrantPoints } from "../../src/components/quadrant.ts";

interface Chart extends Element {
  scale(name: string): { apply(v: number): number; invert(v: number): number };
}

const units = [
  { code: "U1", name: "甲局", partyBuilding: 95, business: 70 }, // 党建强、业务弱
  { code: "U2", name: "乙局", partyBuilding: 80, business: 95 }, // 业务强、党建弱
  { code: "U3", name: "丙局", partyBuilding: 92, business: 92 },
  { code: "U4", name: "丁局", partyBuilding: 82, business: 72 },
  { code: "U5", name: "戊局", partyBuilding: null, business: 90 }
];

describe("quadrantPoints", () => {
  it("places each unit with both scores in its quadrant relative to the medians", () => {
    const points = quadrantPoints(units, { xMedian: 88, yMedian: 85 });
    expect(points.map((p) => [p.code, p.corner])).toEqual([
      ["U1", "bottom-right"],
      ["U2", "top-left"],
      ["U3", "top-right"],
      ["U4", "bottom-left"]
    ]);
    expect(quadrantPoints(units).every((p) => p.corner === "")).toBe(true);
  });

  it("reads any two fields or accessors", () => {
    const points = quadrantPoints([{ code: "a", name: "a", index: 40, total: 88 }], {
      x: "index",
      y: (u) => u.total as number
    });
    expect(points).toEqual([{ code: "a", name: "a", x: 40, y: 88, labelled: false, highlighted: false, corner: "" }]);
  });
});

describe("Quadrant", () => {
  it("draws a dot per unit at its scores, the medians as lines, and the named units' names", () => {
    const chart = Quadrant(units, {
      width: 600,
      xMedian: 88,
      yMedian: 85,
      label: ["U1", "U2"],
      corners: ["业务强、党建弱", "同强", "同弱", "党建强、业务弱"],
      document
    }) as unknown as Chart;
    expect(chart.classList.contains("quadrant")).toBe(true);
    const dots = [...chart.querySelectorAll("g.quadrant-dot circle")];
    expect(dots).toHaveLength(4);
    const x = chart.scale("x");
    const y = chart.scale("y");
    expect(x.invert(Number(dots[0].getAttribute("cx")))).toBeCloseTo(95, 6);
    expect(y.invert(Number(dots[0].getAttribute("cy")))).toBeCloseTo(70, 6);
    const vx = chart.querySelector("g.quadrant-median-x line")!;
    expect(x.invert(Number(vx.getAttribute("x1")))).toBeCloseTo(88, 6);
    const hy = chart.querySelector("g.quadrant-median-y line")!;
    expect(y.invert(Number(hy.getAttribute("y1")))).toBeCloseTo(85, 6);
    expect([...chart.querySelectorAll("g.quadrant-label text")].map((t) => t.textContent)).toEqual(["甲局", "乙局"]);
    expect(chart.textContent).toContain("党建强、业务弱");
  });

  it("is a plain scatter without medians", () => {
    const chart = Quadrant(units, { width: 400, document });
    expect(chart.querySelector("g.quadrant-median-x")).toBeNull();
    expect(chart.querySelectorAll("g.quadrant-dot circle")).toHaveLength(4);
  });

  it("draws the diagonal and the band y = x ± t for the 两张皮 rule, and highlights the units the caller names", () => {
    const ranks = [
      { code: "U1", name: "甲局", x: 90, y: 20 },
      { code: "U2", name: "乙局", x: 10, y: 80 },
      { code: "U3", name: "丙局", x: 55, y: 50 }
    ];
    const chart = Quadrant(ranks, {
      width: 600,
      x: "x",
      y: "y",
      band: 50,
      domain: [0, 100],
      highlight: ["U1", "U2"],
      label: ["U1"],
      corners: ["业务强、党建弱", "", "", "党建强、业务弱"],
      document
    }) as unknown as Chart;
    const x = chart.scale("x");
    const y = chart.scale("y");
    const diagonal = chart.querySelector("g.quadrant-diagonal path")!.getAttribute("d")!;
    const [x0, y0] = diagonal.replace(/^M/, "").split(/[LM]/)[0].split(",").map(Number);
    expect(y.invert(y0)).toBeCloseTo(x.invert(x0), 6);
    expect(chart.querySelectorAll("g.quadrant-band-edge path")).toHaveLength(2);
    expect(chart.querySelector("g.quadrant-band path")).not.toBeNull();
    expect(chart.querySelector("g.quadrant-median-x")).toBeNull();
    const fills = [...chart.querySelectorAll("g.quadrant-dot circle")].map((c) => c.getAttribute("fill"));
    expect(fills).toEqual(["#d1493f", "#d1493f", "#4269d0"]);
    expect([...chart.querySelectorAll("g.quadrant-label text")].map((t) => t.textContent)).toEqual(["甲局"]);
    expect(chart.textContent).toContain("党建强、业务弱");
    expect(chart.textContent).toContain("业务强、党建弱");
  });
});

describe("placeLabels", () => {
  const frame: [number, number, number, number] = [0, 0, 100, 100];

  it("puts a name above its dot, the next one at the same place below it, and leaves out a third", () => {
    const at = (code: string) => ({ code, name: "甲局", px: 50, py: 50 });
    const placed = placeLabels([at("a"), at("b"), at("c")], { frame, fontSize: 10 });
    // 甲局: 2 em × 10 px + 4 = 24 px wide, 13 px high.
    expect(placed.get("a")).toEqual({ cx: 50, cy: 50 - 6 - 6.5 });
    expect(placed.get("b")).toEqual({ cx: 50, cy: 50 + 6 + 6.5 });
    // Beside the dot, a third name would touch the first two.
    expect(placed.has("c")).toBe(false);
  });

  it("keeps names inside the frame: near the right edge a name goes left of its dot", () => {
    const placed = placeLabels([{ code: "a", name: "甲乙丙丁", px: 95, py: 50 }], { frame, fontSize: 10 });
    expect(placed.get("a")).toEqual({ cx: 95 - 7 - 22, cy: 50 });
  });

  it("leaves out a name with no free place, and never covers an obstacle", () => {
    const placed = placeLabels([{ code: "a", name: "甲局", px: 50, py: 50 }], {
      frame,
      obstacles: [
        [0, 0, 100, 44],
        [0, 56, 100, 100],
        [56, 0, 100, 100],
        [0, 0, 44, 100]
      ],
      fontSize: 10
    });
    expect(placed.size).toBe(0);
  });
});
