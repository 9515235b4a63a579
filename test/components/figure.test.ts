// @vitest-environment jsdom
// The CSV builder of the downloads bar (known answers: BOM bytes, quoting, years, suppressed cells), the CSV of an
// HTML table as shown, file names, aria labels of a wrapped chart and the in-page contents.
import { describe, expect, it } from "vitest";
import {
  CSV_BOM,
  Figure,
  PageContents,
  TableDownloads,
  csvField,
  csvNumber,
  downloadName,
  tableToCsv,
  toCsv
} from "../../src/components/figure.ts";
import { TrendBand } from "../../src/components/trendBand.ts";
import { likertBarsData, scoreBarsData, unitCompareData } from "../../src/components/chartData.ts";

const utf8 = (text: string) => [...new TextEncoder().encode(text)];

describe("toCsv", () => {
  const rows = [
    { wave: 2019, name: "思想认识", index: 72.66, n: 1234, suppressed: false },
    { wave: 2020, name: "能力素质, 含“培训”", index: 70.04, n: 3, suppressed: true },
    { wave: 2021, name: '说"不清"\n两行', index: null, n: 15, suppressed: false }
  ];
  const csv = toCsv({
    rows,
    columns: [
      { label: "轮次", value: (d) => d.wave },
      { label: "方面", value: (d) => d.name },
      { label: "指数", value: (d) => d.index, digits: 1 },
      { label: "样本量", value: (d) => d.n, digits: 0 }
    ],
    suppressed: (d) => d.suppressed
  });

  it("starts with the UTF-8 byte order mark EF BB BF", () => {
    expect(csv.startsWith(CSV_BOM)).toBe(true);
    expect(utf8(csv).slice(0, 3)).toEqual([0xef, 0xbb, 0xbf]);
  });

  it("writes the known text: years as 2019, figures at the page's precision, quoting, suppressed cells empty", () => {
    expect(csv).toBe(
      CSV_BOM +
        [
          "轮次,方面,指数,样本量,说明",
          "2019,思想认识,72.7,1234,",
          '2020,"能力素质, 含“培训”",,,样本量不足，已隐去',
          '2021,"说""不清""\n两行",,15,',
          ""
        ].join("\r\n")
    );
  });

  it("has no 说明 column when nothing is suppressed", () => {
    expect(toCsv({ rows: [{ a: 1.25 }], columns: [{ label: "值", value: (d) => d.a, digits: 1 }] })).toBe(
      `${CSV_BOM}值\r\n1.3\r\n`
    );
  });
});

describe("csvField and csvNumber", () => {
  it("quotes only what needs quoting", () => {
    expect(csvField("a,b")).toBe('"a,b"');
    expect(csvField('a"b')).toBe('"a""b"');
    expect(csvField("a\r\nb")).toBe('"a\r\nb"');
    expect(csvField(" a")).toBe('" a"');
    expect(csvField("中文")).toBe("中文");
    expect(csvField(null)).toBe("");
    expect(csvField(Number.NaN)).toBe("");
  });

  it("rounds half away from zero without grouping", () => {
    expect(csvNumber(2019)).toBe("2019");
    expect(csvNumber(12345.678, 1)).toBe("12345.7");
    expect(csvNumber(0.125, 2)).toBe("0.13");
    expect(csvNumber(-0.04, 1)).toBe("0.0");
    expect(csvNumber(3, 2)).toBe("3.00");
  });
});

describe("tableToCsv", () => {
  it("reads a table as shown: grouped numbers without separators, — and suppressed cells empty", () => {
    const t = document.createElement("table");
    t.innerHTML = `<thead><tr><th>单位类别</th><th class="num">名册人数</th><th class="num">回收率</th></tr></thead>
      <tbody><tr><td>党政机关</td><td class="num">12,345</td><td class="num">31.2%</td></tr>
      <tr><td>事业单位</td><td class="num">4</td><td class="num">样本量不足，已隐去</td></tr>
      <tr><td>群团, 其他</td><td class="num">—</td><td class="num">1,234.5%</td></tr>
      <tr><td>相关</td><td>−0.23</td><td>−1,234</td></tr></tbody>`;
    expect(tableToCsv(t)).toBe(
      CSV_BOM +
        [
          "单位类别,名册人数,回收率,说明",
          "党政机关,12345,31.2%,",
          "事业单位,4,,样本量不足，已隐去",
          '"群团, 其他",,1234.5%,',
          "相关,-0.23,-1234,",
          ""
        ].join("\r\n")
    );
  });

  it("drops the placeholder row of an empty table", () => {
    const t = document.createElement("table");
    t.innerHTML = `<thead><tr><th>文件</th><th>行</th></tr></thead><tbody><tr><td colspan="2">（无）</td></tr></tbody>`;
    expect(tableToCsv(t)).toBe(`${CSV_BOM}文件,行\r\n`);
  });
});

describe("downloadName", () => {
  it("joins page and chart titles and replaces what Windows refuses", () => {
    expect(downloadName(["原因剖析", "九个具体方面"], "csv")).toBe("原因剖析-九个具体方面.csv");
    expect(downloadName(["概览", 'a/b:c*?"<>| d'], "png")).toBe("概览-a_b_c_d.png");
    expect(downloadName([null, ""], "svg")).toBe("图表.svg");
  });
});

describe("Figure", () => {
  const series = [
    {
      key: "all",
      label: "全体",
      points: [2019, 2020].map((wave) => ({ wave, index: 60 + wave - 2019, low: 58, high: 63 }))
    }
  ];

  it("labels the chart svg, marks legend swatches decorative and offers CSV, SVG and PNG", () => {
    const chart = TrendBand([...series, { ...series[0], key: "b", label: "对照" }], { width: 500, document });
    const figure = Figure(chart, {
      title: "指数",
      description: "全体2019–2020年的指数",
      data: { rows: series[0].points, columns: [{ label: "轮次", value: (d) => d.wave }] },
      document
    });
    expect(figure.tagName).toBe("FIGURE");
    const svgs = [...figure.querySelectorAll("svg")].filter((s) => !s.parentElement?.closest("svg"));
    const labelled = svgs.filter((s) => s.getAttribute("aria-label") === "全体2019–2020年的指数");
    expect(labelled).toHaveLength(1);
    expect(labelled[0].getAttribute("role")).toBe("img");
    expect(svgs.filter((s) => s !== labelled[0]).every((s) => s.getAttribute("aria-hidden") === "true")).toBe(true);
    expect(svgs.length).toBeGreaterThan(1);
    expect([...figure.querySelectorAll(".downloads button")].map((b) => b.textContent)).toEqual([
      "数据（CSV）",
      "图片（SVG）",
      "图片（PNG）"
    ]);
  });

  it("labels a chart drawn later (as resize() does)", async () => {
    const holder = document.createElement("div");
    const figure = Figure(holder, { title: "指数", description: "后来画出的图", document });
    holder.append(TrendBand(series, { width: 400, document }));
    await new Promise((ok) => setTimeout(ok, 0));
    expect(figure.querySelector("svg[role=img]")?.getAttribute("aria-label")).toBe("后来画出的图");
  });

  it("TableDownloads offers the table's CSV only; given a finder it returns the bar alone", () => {
    const wrap = TableDownloads(document.createElement("table"), { title: "回收情况", document });
    expect(wrap.className).toBe("table-figure");
    expect([...wrap.querySelectorAll(".downloads button")].map((b) => b.textContent)).toEqual(["数据（CSV）"]);
    const bar = TableDownloads(() => null, { title: "回收情况", document });
    expect(bar.classList.contains("downloads")).toBe(true);
  });
});

describe("PageContents", () => {
  it("links to every h2 with an id, not to the subtitle or to headings without one", () => {
    const main = document.createElement("main");
    main.innerHTML = `<h1>原因剖析</h1><h2 id="副标题">副标题</h2><h2 id="总体得分">总体得分</h2><div class="card"><h2>卡片</h2></div><h2 id="各题">各题 分布</h2>`;
    const contents = PageContents({ root: main, document });
    expect(contents.querySelector("summary")?.textContent).toBe("本页目录");
    expect([...contents.querySelectorAll("a")].map((a) => [a.textContent, a.getAttribute("href")])).toEqual([
      ["总体得分", `#${encodeURIComponent("总体得分")}`],
      ["各题 分布", `#${encodeURIComponent("各题")}`]
    ]);
  });
});

describe("chartData", () => {
  const scale = { min: 1, max: 5, labels: ["非常不同意", "不同意", "一般", "同意", "非常同意"], agreeFrom: 4 };

  it("likertBarsData: counts and shares (one decimal) per answer; a suppressed item has its figures empty", () => {
    const csv = toCsv(
      likertBarsData(
        [
          { code: "q1", text: "题一", reverse: true, n: 8, counts: [1, 1, 2, 0, 4], suppressed: false },
          { code: "q2", text: "题二", n: null, counts: null, suppressed: true }
        ],
        { scale }
      )
    );
    const lines = csv.slice(1).split("\r\n");
    expect(lines[0]).toBe(
      "题目,反向题,非常不同意（人数）,非常不同意（占比%）,不同意（人数）,不同意（占比%）,一般（人数）,一般（占比%）,同意（人数）,同意（占比%）,非常同意（人数）,非常同意（占比%）,说明"
    );
    expect(lines[1]).toBe("题一,是,1,12.5,1,12.5,2,25.0,0,0.0,4,50.0,");
    expect(lines[2]).toBe("题二,否,,,,,,,,,,,样本量不足，已隐去");
  });

  it("scoreBarsData: the index read back on the answer scale at two decimals", () => {
    const csv = toCsv(
      scoreBarsData(
        [
          {
            code: "a",
            name: "考核机制",
            dimension: "m",
            n: 500,
            index: 53,
            indexLow: 51.5,
            indexHigh: 54.25,
            suppressed: false
          }
        ],
        { scale: { min: 1, max: 5 }, dimensions: [{ code: "m", name: "制度机制" }] }
      )
    );
    // 1 + 0.53 · 4 = 3.12; 1 + 0.515 · 4 = 3.06; 1 + 0.5425 · 4 = 3.17
    expect(csv.slice(1).split("\r\n")[1]).toBe("制度机制,考核机制,3.12,3.06,3.17");
  });

  it("unitCompareData keeps the category's and everyone's index in a suppressed row", () => {
    const csv = toCsv(
      unitCompareData(
        [{ code: "c", name: "原因剖析", n: null, index: null, suppressed: true, category: 61.25, all: 60.04 }],
        {
          labels: { unit: "本单位", category: "党政机关", all: "全体" }
        }
      )
    );
    expect(csv.slice(1).split("\r\n")[1]).toBe("原因剖析,,,,,61.3,60.0,样本量不足，已隐去");
  });
});
