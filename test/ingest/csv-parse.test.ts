// CSV parsing and decoding with known answers for the tricky cases (quoting, line ends, line numbers, BOMs, mixed
// encodings), and for the fast paths: repeated short cells shared between rows, rows of varying length, whole-file
// decoding of valid UTF-8, and mixed files decoded a run of same-encoding lines at a time.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";
import { detectDelimiter, parseCsvRecords, parseCsvText } from "../../pipeline/io/csv.ts";
import { decodeText } from "../../pipeline/io/decode.ts";
import { readTable } from "../../pipeline/ingest/read-table.ts";
import { tempDir } from "../helpers/mini-exports.ts";

describe("parseCsvRecords", () => {
  it("keeps delimiters and doubled quotes inside quotes, and text after a closing quote", () => {
    expect(parseCsvText('a,"b,c",d\n"say ""hi""",x\n"ab"cd,e\nab"c,d\n"","",""""', ",")).toEqual([
      ["a", "b,c", "d"],
      ['say "hi"', "x"],
      ["abcd", "e"],
      ['ab"c', "d"],
      ["", "", '"']
    ]);
  });

  it("keeps CR, LF and CRLF inside quotes and counts each as one line", () => {
    const { rows, lines, endLines } = parseCsvRecords('h\n"a\rb",1\n"c\nd",2\r\n"e\r\nf",3\rg,4', ",");
    expect(rows).toEqual([["h"], ["a\rb", "1"], ["c\nd", "2"], ["e\r\nf", "3"], ["g", "4"]]);
    expect(lines).toEqual([1, 2, 4, 6, 8]);
    expect(endLines).toEqual([1, 3, 5, 7, 8]);
  });

  it("reads an unclosed quote literally, also in the last field of the text, and reports its line", () => {
    expect(parseCsvRecords('a,b\n1,"x', ",")).toEqual({
      rows: [
        ["a", "b"],
        ["1", '"x']
      ],
      lines: [1, 2],
      endLines: [1, 2],
      unclosedQuotes: [2]
    });
    expect(parseCsvRecords('"a""\nb', ",")).toEqual({
      rows: [['"a""'], ["b"]],
      lines: [1, 2],
      endLines: [1, 2],
      unclosedQuotes: [1]
    });
  });

  it("keeps empty fields and a trailing delimiter's empty field, and ends without an empty record", () => {
    expect(parseCsvText(",,\n,a,\r\nb,", ",")).toEqual([
      ["", "", ""],
      ["", "a", ""],
      ["b", ""]
    ]);
    expect(parseCsvText("a\n\n", ",")).toEqual([["a"], [""]]);
    expect(parseCsvText("\n", ",")).toEqual([[""]]);
    expect(parseCsvText('"a"', ",")).toEqual([["a"]]);
  });

  it("does not strip a BOM (decoding does) and keeps a stray one inside a cell", () => {
    expect(parseCsvText("\uFEFFa,b\nc\uFEFF,d", ",")).toEqual([
      ["\uFEFFa", "b"],
      ["c\uFEFF", "d"]
    ]);
  });

  it("reads many rows of repeated and distinct cells, long cells and varying row lengths exactly", () => {
    const expected: string[][] = [];
    for (let r = 0; r < 3000; r++) {
      const width = 1 + ((r * 7) % 11);
      const row: string[] = [];
      for (let c = 0; c < width; c++)
        row.push(
          c % 4 === 0
            ? ["同意", "非常同意", "一般", "", "(跳过)"][(r + c) % 5]
            : c % 4 === 1
              ? String(r * 31 + c)
              : c % 4 === 2
                ? "长".repeat(30 + (r % 5)) + String(r % 3)
                : `v${(r * c) % 97}`
        );
      expected.push(row);
    }
    for (const eol of ["\n", "\r\n", "\r"]) {
      const { rows, lines, endLines } = parseCsvRecords(expected.map((r) => r.join(",")).join(eol) + eol, ",");
      expect(rows).toEqual(expected);
      expect(lines).toEqual(expected.map((_, i) => i + 1));
      expect(endLines).toEqual(lines);
    }
  });
});

describe("detectDelimiter", () => {
  it("counts delimiters outside quotes, the header's split winning a tie", () => {
    expect(detectDelimiter('"a,b,c";x;y\n1,2,3,4,5')).toBe(";");
    expect(detectDelimiter("a\tb\tc,d")).toBe("\t");
    expect(detectDelimiter("a|b|c")).toBe("|");
    expect(detectDelimiter("abc")).toBe(",");
  });

  it("looks past a title line typed above the header, and past a text answer full of commas", () => {
    expect(
      detectDelimiter("2019年问卷汇总\r\n序号\t单位\t建议\r\n1\t市委\t多学习,多实践,多交流\r\n2\t市税务局\t无\r\n")
    ).toBe("\t");
    expect(detectDelimiter('序号,单位,建议\n1,市委,"a;b;c;d"\n2,市委,无\n')).toBe(",");
  });
});

describe("decodeText", () => {
  const bom = [0xef, 0xbb, 0xbf];

  it("drops a UTF-8 BOM (and a second one right after it), and replaces invalid bytes after a BOM", () => {
    expect(decodeText(Buffer.from([...bom, ...Buffer.from("序号,单位\n1,同意😀\n")]))).toEqual({
      text: "序号,单位\n1,同意😀\n",
      encoding: "utf-8-bom"
    });
    expect(decodeText(Buffer.from([...bom, ...bom, 0x61]))).toEqual({ text: "a", encoding: "utf-8-bom" });
    expect(decodeText(Buffer.from([...bom, 0x61, 0xff, 0x62, 0xe5, 0x90]))).toEqual({
      text: "a\uFFFDb\uFFFD",
      encoding: "utf-8-bom"
    });
  });

  it("reads valid UTF-8 without a BOM whole, keeping a BOM character inside the text", () => {
    expect(decodeText(Buffer.from("a,\uFEFF序号\u0000,😀\r\n"))).toEqual({
      text: "a,\uFEFF序号\u0000,😀\r\n",
      encoding: "utf-8"
    });
  });

  it("decodes runs of GBK and UTF-8 lines each in their own encoding, dropping a BOM that starts a UTF-8 line", () => {
    const gbk = (s: string) => iconv.encode(s, "gbk");
    const bytes = Buffer.concat([
      gbk("序号,单位\n"),
      gbk("1,市委办公室\n"),
      Buffer.from([...bom]),
      Buffer.from("3,市委党校\n"),
      Buffer.from("4,市税务局\n"),
      Buffer.from([0x35, 0x2c, 0xc4, 0x0a]), // a GBK lead byte cut off by the line end
      Buffer.from("6,x\n"),
      Buffer.from([...bom]),
      Buffer.from("7,同意\n"),
      Buffer.from("8,一般")
    ]);
    expect(decodeText(bytes)).toEqual({
      text: "序号,单位\n1,市委办公室\n3,市委党校\n4,市税务局\n5,\uFFFD\n6,x\n7,同意\n8,一般",
      encoding: "utf-8",
      otherEncodingLines: { encoding: "gb18030", lines: [1, 2, 5] }
    });
    expect(
      decodeText(Buffer.concat([gbk("序号\n"), Buffer.from("1,同意\n"), gbk("2,同意\n"), gbk("3,一般\n")]))
    ).toEqual({
      text: "序号\n1,同意\n2,同意\n3,一般\n",
      encoding: "gb18030",
      otherEncodingLines: { encoding: "utf-8", lines: [2] }
    });
  });
});

describe("readTable on CSV text", () => {
  it("reads a UTF-8 BOM file and a GBK file to the same table, with spans and the unclosed-quote warning", () => {
    const dir = tempDir();
    const text = '序号,单位,意见\r\n1,市委办公室,"多行\r\n意见, 含逗号"\r\n2,市税务局,"未闭合\r\n3,市委党校,\r\n';
    const utf8 = join(dir, "bom.csv");
    const gbk = join(dir, "gbk.csv");
    writeFileSync(utf8, "\uFEFF" + text);
    writeFileSync(gbk, iconv.encode(text, "gbk"));
    const a = readTable(utf8);
    const b = readTable(gbk);
    expect(a).toMatchObject({
      format: "csv",
      encoding: "utf-8-bom",
      header: ["序号", "单位", "意见"],
      rows: [
        ["1", "市委办公室", "多行\r\n意见, 含逗号"],
        ["2", "市税务局", '"未闭合'],
        ["3", "市委党校", ""]
      ],
      rowNumbers: [2, 3, 4],
      spans: [{ row: 2, fromLine: 2, toLine: 3 }],
      warnings: ["文本第 4 行有一个没有闭合的引号，已把它当作普通字符读取（否则其后各行都会并入一个单元格）"]
    });
    expect({ ...b, sha256: a.sha256, encoding: a.encoding }).toEqual(a);
    expect(b.encoding).toBe("gb18030");
  });
});
