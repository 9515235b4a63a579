// @vitest-environment jsdom
// ShareTrend on a phone: the options' long texts move from the line ends to a legend, and every other year is labelled
// (the latest always), so that neither runs together; on a wide chart the lines are named at their ends.
import { describe, expect, it } from "vitest";
import { NARROW_WIDTH, ShareTrend, type ShareRow } from "../../src/components/shareTrend.ts";

const options = ["工作实效和对业务的促进作用", "台帐资料和活动记录是否齐全"];
const rows: ShareRow[] = [2019, 2020, 2021, 2022, 2023, 2024, 2025].flatMap((wave, i) =>
  options.map((label, k) => {
    const share = k === 0 ? 0.3 + i * 0.02 : 0.5 - i * 0.02;
    return { wave, label, share, low: share - 0.04, high: share + 0.04, n: 500 } as ShareRow;
  })
);

const texts = (root: Element, selector: string) => [...root.querySelectorAll(selector)].map((t) => t.textContent ?? "");

describe("ShareTrend", () => {
  it("names the lines at their ends and labels every year on a wide chart", () => {
    const chart = ShareTrend(rows, { width: 800, options });
    const ends = texts(chart, ".share-trend-end text");
    expect(ends).toHaveLength(2);
    for (const option of options) expect(ends.filter((t) => t.startsWith(`${option} `))).toHaveLength(1);
    expect(texts(chart, '[aria-label="x-axis tick label"] text')).toEqual(
      ["2019", "2020", "2021", "2022", "2023", "2024", "2025"].map((y) => `${y}年`)
    );
  });

  it("on a phone, names the options in a legend and labels every other year, ending with the latest", () => {
    const chart = ShareTrend(rows, { width: 390, options });
    expect(390).toBeLessThan(NARROW_WIDTH);
    expect(texts(chart, ".share-trend-end text")).toEqual([]);
    expect(chart.textContent).toContain(options[0]);
    expect(chart.textContent).toContain(options[1]);
    expect(texts(chart, '[aria-label="x-axis tick label"] text')).toEqual(["2019年", "2021年", "2023年", "2025年"]);
  });
});
