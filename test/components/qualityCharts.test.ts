// @vitest-environment jsdom
// ShareTrend, DataTable and MissingHeatmap.
import { describe, expect, it } from "vitest";
import { DataTable } from "../../src/components/dataTable.ts";
import { MissingHeatmap } from "../../src/components/missingHeatmap.ts";
import { ShareTrend, spreadLabels } from "../../src/components/shareTrend.ts";

interface Chart extends Element {
  scale(name: string): { apply(v: unknown): number; invert(v: number): number };
}

describe("ShareTrend", () => {
  const rows = [2019, 2020].flatMap((wave, i) => [
    { wave, label: "台帐资料和活动记录", share: 0.5 - i * 0.1, low: 0.45 - i * 0.1, high: 0.55 - i * 0.1 },
    { wave, label: "工作实效和对业务的推动", share: 0.1 + i * 0.3, low: 0.08 + i * 0.3, high: 0.12 + i * 0.3 }
  ]);

  it("draws a line per option through its shares, with a band and the latest share at the end", () => {
    const chart = ShareTrend(rows, { width: 600, document }) as unknown as Chart;
    expect(chart.querySelectorAll("g.share-trend-line path")).toHaveLength(2);
    expect(chart.querySelectorAll("g.share-trend-band path")).toHaveLength(2);
    expect([...chart.querySelectorAll("g.share-trend-end text")].map((t) => t.textContent).sort()).toEqual(
      ["工作实效和对业务的推动 40%", "台帐资料和活动记录 40%"].sort()
    );
  });

  it("moves end labels of equal shares apart, keeping them centred on the values", () => {
    const spread = spreadLabels([{ share: 0.27 }, { share: 0.27 }, { share: 0.1 }], 0.04);
    const ys = spread.map((r) => r.labelY).sort((a, b) => a - b);
    expect(ys[2] - ys[1]).toBeCloseTo(0.04, 12);
    expect(ys[1] - ys[0]).toBeGreaterThanOrEqual(0.04 - 1e-12);
    expect(spread.reduce((s, r) => s + r.labelY, 0)).toBeCloseTo(0.27 + 0.27 + 0.1, 12);
  });
});

describe("DataTable", () => {
  it("writes a header and one row per record, numbers right-aligned, missing values as —", () => {
    const table = DataTable(
      [
        { name: "a.xls", n: 570, sha: "abcdef" },
        { name: "b.csv", n: null, sha: "123456" }
      ],
      {
        columns: [
          { label: "文件", value: (r) => r.name },
          { label: "行数", value: (r) => r.n, numeric: true },
          { label: "SHA-256", value: (r) => r.sha.slice(0, 3), title: (r) => r.sha }
        ],
        document
      }
    );
    expect([...table.querySelectorAll("th")].map((th) => th.textContent)).toEqual(["文件", "行数", "SHA-256"]);
    const cells = [...table.querySelectorAll("tbody tr")].map((tr) =>
      [...tr.querySelectorAll("td")].map((td) => td.textContent)
    );
    expect(cells).toEqual([
      ["a.xls", "570", "abc"],
      ["b.csv", "—", "123"]
    ]);
    expect((table.querySelector("tbody td:nth-child(2)") as HTMLElement).style.textAlign).toBe("right");
    expect(table.querySelector("tbody td:nth-child(3)")!.getAttribute("title")).toBe("abcdef");
  });

  it("says so when there is nothing to list", () => {
    const table = DataTable([], { columns: [{ label: "原因", value: () => "" }], empty: "没有被隔离的行。", document });
    expect(table.querySelector("tbody")!.textContent).toBe("没有被隔离的行。");
  });
});

describe("MissingHeatmap", () => {
  it("draws a cell per question and wave, in codebook order, and prints shares of 5% and more", () => {
    const questions = [
      { code: "Q1", number: 1, text: "您所在的单位" },
      { code: "Q2", number: 2, text: "本单位党建考核只看过程和台帐" }
    ];
    const rows = [2019, 2020].flatMap((wave) => [
      { wave, question: "Q1", missing: 0, respondents: 100, share: 0 },
      { wave, question: "Q2", missing: wave === 2020 ? 12 : 2, respondents: 100, share: wave === 2020 ? 0.12 : 0.02 }
    ]);
    const chart = MissingHeatmap(rows, { questions, width: 600, document });
    expect(chart.querySelectorAll("g.missing-cell rect")).toHaveLength(4);
    // the cell labels: only 2020's 12% reaches 5%
    const printed = [...chart.querySelectorAll("g[aria-label='text'] text")].map((t) => t.textContent);
    expect(printed).toEqual(["12%"]);
    expect(chart.textContent).toContain("1、您所在的单位");
  });
});
