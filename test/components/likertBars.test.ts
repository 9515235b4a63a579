// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import {
  LikertBars,
  REVERSE_NOTE,
  SUPPRESSED_NOTE,
  favourabilityLabels,
  likertColors,
  likertSegments,
  type LikertItem,
  type LikertScale
} from "../../src/components/likertBars.ts";

const scale: LikertScale = {
  min: 1,
  max: 5,
  labels: ["非常不同意", "不同意", "一般", "同意", "非常同意"],
  agreeFrom: 4
};

const item = (code: string, counts: number[] | null, extra: Partial<LikertItem> = {}): LikertItem => ({
  code,
  text: `题目${code}`,
  reverse: false,
  n: counts ? counts.reduce((a, b) => a + b, 0) : null,
  counts,
  suppressed: counts == null,
  ...extra
});

interface Chart extends Element {
  scale(name: string): { apply(v: unknown): unknown; invert(v: number): number };
}

const FAVOURABILITY = ["很不利", "较不利", "一般", "较有利", "很有利"];

/** Each drawn segment read back from the SVG: its category (by colour) and its ends in data units. */
function readSegments(chart: Chart) {
  const x = chart.scale("x");
  const color = chart.scale("color");
  const labelOfColor = new Map(FAVOURABILITY.map((l) => [String(color.apply(l)), l]));
  const rects = [...chart.querySelectorAll("g.likert-segments rect")];
  return rects.map((r) => {
    const left = Number(r.getAttribute("x"));
    const width = Number(r.getAttribute("width"));
    return {
      y: r.getAttribute("y"),
      label: labelOfColor.get(r.getAttribute("fill")!)!,
      x1: x.invert(left),
      x2: x.invert(left + width)
    };
  });
}

function translateY(el: Element): number {
  const m = el.getAttribute("transform")?.match(/translate\(\s*[-\d.]+\s*,\s*([-\d.]+)\s*\)/);
  return m ? Number(m[1]) : 0;
}

describe("favourabilityLabels", () => {
  it("names the categories by favourability, least favourable first, keeping the scale's neutral label", () => {
    expect(favourabilityLabels(scale)).toEqual(FAVOURABILITY);
    const four = { min: 1, max: 4, labels: ["很不同意", "不同意", "同意", "很同意"], agreeFrom: 3 };
    expect(favourabilityLabels(four)).toEqual(["很不利", "较不利", "较有利", "很有利"]);
    const three = { min: 1, max: 3, labels: ["不同意", "说不清", "同意"], agreeFrom: 3 };
    expect(favourabilityLabels(three)).toEqual(["不利", "说不清", "有利"]);
  });
});

describe("likertSegments", () => {
  it("puts disagreeing answers left of zero, splits the neutral ones across zero, agreeing right", () => {
    const s = likertSegments(item("A", [10, 10, 20, 30, 30]), scale);
    expect(s.map((d) => d.share)).toEqual([0.1, 0.1, 0.2, 0.3, 0.3]);
    expect(s[2].x1).toBeCloseTo(-0.1);
    expect(s[2].x2).toBeCloseTo(0.1);
    expect(s[1].x1).toBeCloseTo(-0.2); // 不同意 next to the neutral block
    expect(s[1].x2).toBeCloseTo(-0.1);
    expect(s[0].x1).toBeCloseTo(-0.3); // 非常不同意 outermost
    expect(s[3].x1).toBeCloseTo(0.1);
    expect(s[4].x2).toBeCloseTo(0.7);
    expect(s[4].x2 - s[3].x1).toBeCloseTo(0.6); // the agreeing part spans 0.6
  });

  it("has no neutral block on an even scale", () => {
    const four = { min: 1, max: 4, labels: ["很不同意", "不同意", "同意", "很同意"], agreeFrom: 3 };
    const s = likertSegments(item("B", [1, 1, 1, 1]), four);
    expect(s.map((d) => d.side)).toEqual(["unfavourable", "unfavourable", "favourable", "favourable"]);
    expect(s[1].x2).toBe(0);
    expect(s[2].x1).toBe(0);
  });

  it("draws agreeing with a reverse-worded item, or with any item of a higher-is-worse section, as unfavourable", () => {
    const counts = [10, 10, 20, 25, 35];
    for (const s of [
      likertSegments(item("R", counts, { reverse: true }), scale),
      likertSegments(item("P", counts), scale, "higher_is_worse")
    ]) {
      expect(s.map((d) => d.label)).toEqual(["非常同意", "同意", "一般", "不同意", "非常不同意"]);
      expect(s.map((d) => d.favourability)).toEqual(FAVOURABILITY);
      expect(s[0].x1).toBeCloseTo(-0.7); // the 60% agreeing lie left of zero, 非常同意 outermost
      expect(s[4].x2).toBeCloseTo(0.3);
    }
    // A reverse-keyed item of a higher-is-worse section: agreeing means less of the problem.
    const back = likertSegments(item("Q", counts, { reverse: true }), scale, "higher_is_worse");
    expect(back.map((d) => d.label)).toEqual(scale.labels);
  });

  it("returns nothing for a suppressed item", () => {
    expect(likertSegments(item("C", null), scale)).toEqual([]);
  });
});

describe("LikertBars", () => {
  it("draws the shares as bar widths and positions", () => {
    const chart = LikertBars([item("A", [10, 10, 20, 30, 30])], { scale, width: 600, document }) as unknown as Chart;
    expect(chart.classList.contains("likert-bars")).toBe(true);
    const segs = readSegments(chart);
    expect(segs).toHaveLength(5);
    const by = new Map(segs.map((s) => [s.label, s]));
    expect(by.get("一般")!.x1).toBeCloseTo(-0.1, 6);
    expect(by.get("一般")!.x2).toBeCloseTo(0.1, 6);
    expect(by.get("较有利")!.x1).toBeCloseTo(0.1, 6);
    expect(by.get("很有利")!.x2).toBeCloseTo(0.7, 6);
    expect(by.get("很有利")!.x2 - by.get("较有利")!.x1).toBeCloseTo(0.6, 6);
    expect(by.get("较不利")!.x2).toBeCloseTo(-0.1, 6);
    expect(by.get("很不利")!.x1).toBeCloseTo(-0.3, 6);
    // The axis says which side is which.
    expect(chart.textContent).toContain("不利");
    expect(chart.textContent).toContain("有利 →");
  });

  it("colours a reverse-worded item's agreeing answers in the unfavourable reds", () => {
    const fills = (chart: Element) =>
      [...chart.querySelectorAll("g.likert-segments rect")].map((r) => r.getAttribute("fill"));
    const plain = LikertBars([item("A", [10, 10, 20, 30, 30])], { scale, width: 600, document });
    const reverse = LikertBars([item("B", [10, 10, 20, 30, 30], { reverse: true })], { scale, width: 600, document });
    expect(fills(plain)).toEqual(likertColors(5));
    expect(fills(reverse)).toEqual(likertColors(5));
    const x = (reverse as unknown as Chart).scale("x");
    const first = reverse.querySelector("g.likert-segments rect")!; // 非常同意 of a reverse item: 很不利, far left
    expect(x.invert(Number(first.getAttribute("x")))).toBeCloseTo(-0.7, 6);
  });

  it("draws one bar per item and a note instead of a bar for a suppressed item", () => {
    const items = [item("A", [10, 10, 20, 30, 30]), item("B", null), item("C", [0, 5, 5, 5, 5])];
    const chart = LikertBars(items, { scale, width: 600, document }) as unknown as Chart;
    const segs = readSegments(chart);
    const rows = new Set(segs.map((s) => s.y));
    expect(rows.size).toBe(2);
    const notes = [...chart.querySelectorAll("g.likert-suppressed text")];
    expect(notes).toHaveLength(1);
    expect(notes[0].textContent).toBe(SUPPRESSED_NOTE);
    // The note sits on item B's row, between A's and C's bars (compare vertical centres in px).
    const rowCentres = [...chart.querySelectorAll("g.likert-segments rect")]
      .map((r) => Number(r.getAttribute("y")) + Number(r.getAttribute("height")) / 2)
      .filter((v, i, a) => a.indexOf(v) === i)
      .sort((a, b) => a - b);
    const noteCentre = translateY(notes[0].parentElement!) + translateY(notes[0]);
    expect(rowCentres).toHaveLength(2);
    expect(noteCentre).toBeGreaterThan(rowCentres[0]);
    expect(noteCentre).toBeLessThan(rowCentres[1]);
    expect(Math.abs(noteCentre - rowCentres[0] - (rowCentres[1] - noteCentre))).toBeLessThanOrEqual(2); // band rounding
  });

  it("labels items with their text, wrapped, and marks reverse-keyed items", () => {
    const long = "本单位形成了定责、履责、考责、问责的完整链条并且长期坚持执行落实到位不走过场也不搞形式主义";
    const items = [
      item("A", [1, 2, 3, 4, 5], { text: long }),
      item("B", [5, 4, 3, 2, 1], { text: "干与不干一个样", reverse: true })
    ];
    const chart = LikertBars(items, { scale, width: 600, document }) as unknown as Chart;
    const ticks = [...chart.querySelectorAll('g[aria-label="y-axis tick label"] text')];
    expect(ticks).toHaveLength(2);
    const first = [...ticks[0].querySelectorAll("tspan")].map((t) => t.textContent);
    expect(first.length).toBe(2);
    expect(first[1]!.endsWith("…")).toBe(true);
    expect(ticks[1].textContent).toContain("干与不干一个样");
    expect(ticks[1].textContent).toContain(REVERSE_NOTE);
  });
});
