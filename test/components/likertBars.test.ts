// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import {
  LikertBars,
  REVERSE_NOTE,
  SUPPRESSED_NOTE,
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

/** Each drawn segment read back from the SVG: its category (by colour) and its ends in data units. */
function readSegments(chart: Chart) {
  const x = chart.scale("x");
  const color = chart.scale("color");
  const labelOfColor = new Map(scale.labels.map((l) => [String(color.apply(l)), l]));
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
    expect(s.map((d) => d.side)).toEqual(["disagree", "disagree", "agree", "agree"]);
    expect(s[1].x2).toBe(0);
    expect(s[2].x1).toBe(0);
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
    expect(by.get("同意")!.x1).toBeCloseTo(0.1, 6);
    expect(by.get("非常同意")!.x2).toBeCloseTo(0.7, 6);
    expect(by.get("非常同意")!.x2 - by.get("同意")!.x1).toBeCloseTo(0.6, 6);
    expect(by.get("不同意")!.x2).toBeCloseTo(-0.1, 6);
    expect(by.get("非常不同意")!.x1).toBeCloseTo(-0.3, 6);
    // Legend in Chinese, in scale order.
    expect(chart.textContent).toContain("非常不同意");
    expect(chart.textContent).toContain("非常同意");
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
