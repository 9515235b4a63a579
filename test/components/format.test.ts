import { describe, expect, it } from "vitest";
import {
  formatChange,
  formatCount,
  formatIndex,
  formatInterval,
  formatMean,
  formatPercent,
  formatWave,
  textWidth,
  wrapText
} from "../../src/components/format.ts";

describe("number formatters", () => {
  it("format to fixed decimals, rounding half away from zero", () => {
    expect(formatIndex(48.25)).toBe("48.3");
    expect(formatIndex(48)).toBe("48.0");
    expect(formatMean(2.925)).toBe("2.93");
    expect(formatCount(12345)).toBe("12,345");
    expect(formatPercent(0.312)).toBe("31%");
    expect(formatPercent(0.3125, 1)).toBe("31.3%");
    expect(formatInterval(2.86, 3)).toBe("2.86–3.00");
    expect(formatWave(2019)).toBe("2019年");
  });

  it("print a dash for missing values", () => {
    expect(formatIndex(null)).toBe("—");
    expect(formatPercent(undefined)).toBe("—");
    expect(formatMean(Number.NaN)).toBe("—");
    expect(formatChange(null)).toBe("—");
  });

  it("sign changes and never print -0.0", () => {
    expect(formatChange(0.2)).toBe("+0.2");
    expect(formatChange(-1.26)).toBe("-1.3");
    expect(formatChange(-0.04)).toBe("0.0");
    expect(formatChange(50.3 - 50.1)).toBe("+0.2");
  });
});

describe("wrapText", () => {
  it("measures CJK as one em and Latin as about half", () => {
    expect(textWidth("党建")).toBe(2);
    expect(textWidth("ab")).toBeCloseTo(1.1);
  });

  it("keeps short text on one line and appends the suffix", () => {
    expect(wrapText("干与不干一个样", { maxWidth: 20, suffix: "（反向题）" })).toEqual(["干与不干一个样（反向题）"]);
  });

  it("wraps long text and ends in an ellipsis, keeping the suffix whole", () => {
    const text = "在本单位，党建工作干与不干一个样、干好干坏一个样，长期以来没有任何改变";
    const lines = wrapText(text, { maxWidth: 12, maxLines: 2, suffix: "（反向题）" });
    expect(lines).toHaveLength(2);
    for (const line of lines) expect(textWidth(line)).toBeLessThanOrEqual(12);
    expect(lines[1].endsWith("…（反向题）")).toBe(true);
  });

  it("does not start a line with closing punctuation", () => {
    const lines = wrapText("一二三四五，六七八九十", { maxWidth: 5, maxLines: 3 });
    for (const line of lines.slice(1)) expect(line[0]).not.toBe("，");
  });
});

describe("wrapText balancing", () => {
  it("splits a label that just overflows into two even lines", () => {
    const lines = wrapText("我认为党建工作的成效可以衡量，对业务工作有实际影响", { maxWidth: 24, maxLines: 2 });
    expect(lines).toHaveLength(2);
    expect(Math.abs(textWidth(lines[0]) - textWidth(lines[1]))).toBeLessThanOrEqual(2);
    expect(lines.join("")).toBe("我认为党建工作的成效可以衡量，对业务工作有实际影响");
  });
});
