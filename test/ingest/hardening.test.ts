// The small pieces the bad-input corpus relies on, with known answers: CSV output safe against formula injection,
// CSV parsing that loses no row to a stray quote, line-by-line decoding of mixed encodings, the ZIP checks.
import { describe, expect, it } from "vitest";
import iconv from "iconv-lite";
import * as XLSX from "@e965/xlsx";
import { csvCell, parseCsvRecords, parseCsvText, toCsv } from "../../loaders/ingest/csv.ts";
import { decodeText, utf8Status } from "../../loaders/ingest/decode.ts";
import { quoted } from "../../loaders/ingest/parse-row.ts";
import { checkXlsxZip, readZipDirectory, ZipRejected } from "../../loaders/ingest/zip-guard.ts";
import { lyingZip, zerosStream, zipBomb } from "../fixtures/bad-inputs/hostile.ts";

describe("csvCell", () => {
  it("keeps every formula-like value inert, and leaves numbers and plain text alone", () => {
    const payloads = ["=1+1", '=HYPERLINK("http://x","点我")', "+SUM(A1)", "-2+3", "@SUM(1+1)*cmd|' /C calc'!A0", "\t=1", "\r=1", " =1+1", "\u3000=1", "＝1+1", "＋1", "－1+1", "＠A1"];
    for (const p of payloads) {
      const cell = parseCsvText(toCsv(["x"], [[p]]), ",")[1][0];
      expect(cell.startsWith("'"), p).toBe(true);
      expect(cell.slice(1)).toBe(p); // nothing lost: only the ' in front
    }
    for (const plain of ["-3", "-2", "12", "3.5", "-0.25", "同意", "a=b", "<script>alert(1)</script>", ""]) expect(csvCell(plain)).toBe(plain);
    expect(csvCell('含,逗号和"引号"')).toBe('"含,逗号和""引号"""');
    expect(csvCell("第一;第二")).toBe('"第一;第二"');
    expect(csvCell(null)).toBe("");
  });
});

describe("parseCsvRecords", () => {
  it("keeps the line each record starts and ends on, across quoted line breaks and CR, LF or CRLF ends", () => {
    const { rows, lines, endLines } = parseCsvRecords('a,b\r\n1,"x\r\ny"\n2,z\r3,w', ",");
    expect(rows).toEqual([["a", "b"], ["1", "x\r\ny"], ["2", "z"], ["3", "w"]]);
    expect(lines).toEqual([1, 2, 4, 5]);
    expect(endLines).toEqual([1, 3, 4, 5]);
  });

  it("reads a quote never closed as a character instead of swallowing every later row", () => {
    const { rows, unclosedQuotes } = parseCsvRecords('a,b\n1,"open\n2,x\n3,y\n', ",");
    expect(rows).toEqual([["a", "b"], ["1", '"open'], ["2", "x"], ["3", "y"]]);
    expect(unclosedQuotes).toEqual([2]);
  });

  it("agrees with the old parser on trailing delimiters, empty lines and doubled quotes", () => {
    expect(parseCsvText('a,\n\n"he said ""hi""",x\n', ",")).toEqual([["a", ""], [""], ['he said "hi"', "x"]]);
    expect(parseCsvText("", ",")).toEqual([]);
  });
});

describe("decodeText", () => {
  it("decodes a GBK file with a UTF-8 line, and a UTF-8 file with a GBK line, line by line, and names the odd lines", () => {
    const lines = ["序号,单位", "1,市委办公室", "2,市税务局", "3,市委党校"];
    const gbkFile = Buffer.concat(lines.map((l, i) => Buffer.concat([i === 2 ? Buffer.from(l) : iconv.encode(l, "gbk"), Buffer.from("\n")])));
    expect(decodeText(gbkFile)).toEqual({ text: lines.join("\n") + "\n", encoding: "gb18030", otherEncodingLines: { encoding: "utf-8", lines: [3] } });
    const utf8File = Buffer.concat(lines.map((l, i) => Buffer.concat([i === 1 ? iconv.encode(l, "gbk") : Buffer.from(l), Buffer.from("\n")])));
    expect(decodeText(utf8File)).toEqual({ text: lines.join("\n") + "\n", encoding: "utf-8", otherEncodingLines: { encoding: "gb18030", lines: [2] } });
    expect(decodeText(iconv.encode(lines.join("\n"), "gbk"))).toEqual({ text: lines.join("\n"), encoding: "gb18030" });
  });

  it("recognises UTF-16 without a BOM and refuses binary", () => {
    expect(decodeText(Buffer.from("序号\t单位\r\n1\t市委办公室\r\n", "utf16le"))).toMatchObject({ encoding: "utf-16le", text: "序号\t单位\r\n1\t市委办公室\r\n" });
    expect(() => decodeText(Buffer.alloc(4096))).toThrow(/二进制/);
  });

  it("validates UTF-8 as the standard does (no overlongs, no surrogates, no truncated sequences)", () => {
    expect(utf8Status(Buffer.from("abc"))).toEqual({ valid: true, multibyte: false });
    expect(utf8Status(Buffer.from("同意😀"))).toEqual({ valid: true, multibyte: true });
    for (const bad of [[0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xe5, 0x90], [0xf5, 0x80, 0x80, 0x80], [0x80]]) expect(utf8Status(Buffer.from(bad)).valid, String(bad)).toBe(false);
  });
});

describe("reasons quote cells briefly", () => {
  it("cuts long cells and shows control characters as escapes", () => {
    expect(quoted("x".repeat(100))).toBe(`“${"x".repeat(40)}…（共 100 字）”`);
    expect(quoted("a\u0000b\n")).toBe("“a\\u0000b\\u000a”");
  });
});

describe("the ZIP checks", () => {
  it("pass a real workbook and return its inflated size", () => {
    const book = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(book, XLSX.utils.aoa_to_sheet([["序号"], [1]]), "Sheet1");
    const bytes = XLSX.write(book, { type: "buffer", bookType: "xlsx", compression: true }) as Buffer;
    const total = readZipDirectory(bytes).reduce((s, e) => s + e.uncompressedSize, 0);
    expect(checkXlsxZip(bytes)).toBe(total);
  });

  it("refuse a zip bomb by its declared size, and a lying directory by inflating no further than it declares", () => {
    expect(zerosStream(2).length).toBeLessThan(3000);
    expect(() => checkXlsxZip(zipBomb())).toThrow(ZipRejected);
    expect(() => checkXlsxZip(lyingZip())).toThrow(/比记录的 1\.0 MB 更大/);
    expect(() => checkXlsxZip(Buffer.from("PK\u0003\u0004 nothing else"))).toThrow(/不完整或已损坏/);
  });
});
