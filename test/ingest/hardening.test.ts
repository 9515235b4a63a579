// The small pieces the bad-input corpus relies on, with known answers: CSV output safe against formula injection,
// CSV parsing that loses no row to a stray quote, line-by-line decoding of mixed encodings, the ZIP checks.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import iconv from "iconv-lite";
import * as XLSX from "@e965/xlsx";
import { csvCell, parseCsvRecords, parseCsvText, toCsv } from "../../pipeline/io/csv.ts";
import { decodeText, utf8Status } from "../../pipeline/io/decode.ts";
import { hash64, SeenIndex } from "../../pipeline/ingest/fingerprint.ts";
import { maskIp, yearInName } from "../../pipeline/ingest/ingest-file.ts";
import { decodeTimestamp, quoted } from "../../pipeline/ingest/parse-row.ts";
import { readTable } from "../../pipeline/ingest/read-table.ts";
import { tempDir } from "../helpers/mini-exports.ts";
import { checkXlsxZip, readZipDirectory, ZipRejected } from "../../pipeline/io/zip-guard.ts";
import { lyingZip, zerosStream, zipBomb } from "../fixtures/bad-inputs/hostile.ts";

describe("csvCell", () => {
  it("keeps every formula-like value inert, and leaves numbers and plain text alone", () => {
    const payloads = [
      "=1+1",
      '=HYPERLINK("http://x","点我")',
      "+SUM(A1)",
      "-2+3",
      "@SUM(1+1)*cmd|' /C calc'!A0",
      "\t=1",
      "\r=1",
      " =1+1",
      "\u3000=1",
      "＝1+1",
      "＋1",
      "－1+1",
      "＠A1"
    ];
    for (const p of payloads) {
      const cell = parseCsvText(toCsv(["x"], [[p]]), ",")[1][0];
      expect(cell.startsWith("'"), p).toBe(true);
      expect(cell.slice(1)).toBe(p); // nothing lost: only the ' in front
    }
    for (const plain of ["-3", "-2", "12", "3.5", "-0.25", "同意", "a=b", "<script>alert(1)</script>", ""])
      expect(csvCell(plain)).toBe(plain);
    expect(csvCell('含,逗号和"引号"')).toBe('"含,逗号和""引号"""');
    expect(csvCell("第一;第二")).toBe('"第一;第二"');
    expect(csvCell(null)).toBe("");
  });
});

describe("parseCsvRecords", () => {
  it("keeps the line each record starts and ends on, across quoted line breaks and CR, LF or CRLF ends", () => {
    const { rows, lines, endLines } = parseCsvRecords('a,b\r\n1,"x\r\ny"\n2,z\r3,w', ",");
    expect(rows).toEqual([
      ["a", "b"],
      ["1", "x\r\ny"],
      ["2", "z"],
      ["3", "w"]
    ]);
    expect(lines).toEqual([1, 2, 4, 5]);
    expect(endLines).toEqual([1, 3, 4, 5]);
  });

  it("reads a quote never closed as a character instead of swallowing every later row", () => {
    const { rows, unclosedQuotes } = parseCsvRecords('a,b\n1,"open\n2,x\n3,y\n', ",");
    expect(rows).toEqual([
      ["a", "b"],
      ["1", '"open'],
      ["2", "x"],
      ["3", "y"]
    ]);
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
    const gbkFile = Buffer.concat(
      lines.map((l, i) => Buffer.concat([i === 2 ? Buffer.from(l) : iconv.encode(l, "gbk"), Buffer.from("\n")]))
    );
    expect(decodeText(gbkFile)).toEqual({
      text: lines.join("\n") + "\n",
      encoding: "gb18030",
      otherEncodingLines: { encoding: "utf-8", lines: [3] }
    });
    const utf8File = Buffer.concat(
      lines.map((l, i) => Buffer.concat([i === 1 ? iconv.encode(l, "gbk") : Buffer.from(l), Buffer.from("\n")]))
    );
    expect(decodeText(utf8File)).toEqual({
      text: lines.join("\n") + "\n",
      encoding: "utf-8",
      otherEncodingLines: { encoding: "gb18030", lines: [2] }
    });
    expect(decodeText(iconv.encode(lines.join("\n"), "gbk"))).toEqual({ text: lines.join("\n"), encoding: "gb18030" });
  });

  it("recognises UTF-16 without a BOM and refuses binary", () => {
    expect(decodeText(Buffer.from("序号\t单位\r\n1\t市委办公室\r\n", "utf16le"))).toMatchObject({
      encoding: "utf-16le",
      text: "序号\t单位\r\n1\t市委办公室\r\n"
    });
    expect(() => decodeText(Buffer.alloc(4096))).toThrow(/二进制/);
  });

  it("validates UTF-8 as the standard does (no overlongs, no surrogates, no truncated sequences)", () => {
    expect(utf8Status(Buffer.from("abc"))).toEqual({ valid: true, multibyte: false });
    expect(utf8Status(Buffer.from("同意😀"))).toEqual({ valid: true, multibyte: true });
    for (const bad of [[0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xe5, 0x90], [0xf5, 0x80, 0x80, 0x80], [0x80]])
      expect(utf8Status(Buffer.from(bad)).valid, String(bad)).toBe(false);
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

describe("decodeText decides the encoding from the whole file (issue 11, item 3)", () => {
  const gbk = (s: string) => iconv.encode(s, "gbk");

  it("keeps a GBK line that happens to be valid UTF-8 in GBK (同时要学习 is not ͬʱҪѧϰ)", () => {
    expect(Buffer.from(gbk("1,同时要学习")).toString("utf8")).toBe("1,ͬʱҪѧϰ"); // valid UTF-8, implausible
    const text = "序号,建议\r\n1,同时要学习\r\n2,建议加强培训\r\n";
    expect(decodeText(gbk(text))).toEqual({ text, encoding: "gb18030" });
  });

  it("reads a GBK file that is valid UTF-8 as a whole as GBK, and a UTF-8 file with accents as UTF-8", () => {
    const text = "id,text\n1,同时要学习\n2,同时\n";
    expect(utf8Status(gbk(text)).valid).toBe(true);
    expect(decodeText(gbk(text))).toEqual({ text, encoding: "gb18030" });
    expect(decodeText(Buffer.from("序号,单位\n1,café·×\n"))).toEqual({
      text: "序号,单位\n1,café·×\n",
      encoding: "utf-8"
    });
  });

  it("splits a GBK file only at a line that is UTF-8 on strong evidence (Chinese, nothing implausible)", () => {
    const lines = [gbk("序号,建议\n"), Buffer.from("1,多学习\n"), gbk("2,同时要学习\n"), gbk("3,建议加强培训\n")];
    expect(decodeText(Buffer.concat(lines))).toEqual({
      text: "序号,建议\n1,多学习\n2,同时要学习\n3,建议加强培训\n",
      encoding: "gb18030",
      otherEncodingLines: { encoding: "utf-8", lines: [2] }
    });
  });

  it("quarantines cells with bytes valid in neither encoding instead of storing �", () => {
    const dir = tempDir();
    const file = join(dir, "2019年问卷.csv");
    writeFileSync(
      file,
      Buffer.concat([gbk("序号,建议\r\n1,同时要学习\r\n2,建议"), Buffer.from([0x81, 0x2c]), gbk("x\r\n")])
    );
    const table = readTable(file);
    expect(table.cellIssues).toEqual([
      { row: 3, column: 1, kind: "garbled_text", reason: expect.stringMatching(/无法按 GBK 解码的字节（乱码/) }
    ]);
  });
});

describe("invisible characters in reasons (issue 11, item 11)", () => {
  it("are shown as escapes", () => {
    expect(quoted("市委\u200b办公室\u2060")).toBe("“市委\\u200b办公室\\u2060”");
    expect(quoted("\ufeff同意")).toBe("“\\ufeff同意”");
  });
});

describe("submission times (issue 11, item 4)", () => {
  it("accept every real day and time, and no other", () => {
    const decode = (t: string) => {
      const errors: { kind: string; reason: string }[] = [];
      return { value: decodeTimestamp(t, false, errors as never, "提交答卷时间"), errors };
    };
    for (const ok of [
      "2024/2/29 9:00",
      "2000/2/29",
      "2019/12/31 23:59:59",
      "2019-01-31 00:00:00",
      "2019年4月30日 8:05"
    ])
      expect(decode(ok).errors, ok).toEqual([]);
    expect(decode("2024/2/29 9:00").value).toBe("2024-02-29T09:00:00");
    for (const bad of [
      "2023/2/29 9:00",
      "2100/2/29",
      "2024/2/30",
      "2019/4/31 8:00",
      "2019/10/12 24:00:00",
      "2019/10/12 9:60",
      "2019/10/12 9:31:60",
      "2019/13/1",
      "2019/0/10"
    ]) {
      const { value, errors } = decode(bad);
      expect(value, bad).toBeNull();
      expect(errors, bad).toEqual([
        { column: "提交答卷时间", kind: "invalid_time", reason: `不存在的日期或时间“${bad}”` }
      ]);
    }
  });
});

describe("the year in a file name (issue 11, item 12)", () => {
  it("is a number written as a year, never a count", () => {
    expect(yearInName("导出2031条_2024年问卷.csv")).toEqual({ year: 2024, marked: true });
    expect(yearInName("共2019份_问卷.csv")).toBeUndefined();
    expect(yearInName("问卷_2019.xlsx")).toEqual({ year: 2019, marked: false });
    expect(yearInName("2018年问卷_补录.csv")).toEqual({ year: 2018, marked: true });
    expect(yearInName("问卷20190101.csv")).toBeUndefined();
  });
});

describe("IP addresses", () => {
  it("are masked in text the store writes, and times of day are not", () => {
    expect(maskIp("123.180.12.34(河北-石家庄)")).toBe("[IP](河北-石家庄)");
    expect(maskIp("240e:3b0:1234:5678::1(广东-深圳)")).toBe("[IP](广东-深圳)");
    expect(maskIp("fe80:0:0:0:202:b3ff:fe1e:8329")).toBe("[IP]");
    expect(maskIp("2019/10/12 9:31:05")).toBe("2019/10/12 9:31:05");
    expect(maskIp("版本 1.2.3，得分 3.5")).toBe("版本 1.2.3，得分 3.5");
  });
});

describe("the fingerprint index", () => {
  it("keeps a million keys in typed arrays, the first value of each", () => {
    const index = new SeenIndex();
    for (let i = 0; i < 1_000_000; i++) index.add(hash64(`respondent ${i}`), i % 1000);
    expect(index.size).toBe(1_000_000);
    for (const i of [0, 1, 777_777, 999_999]) expect(index.get(hash64(`respondent ${i}`))).toBe(i % 1000);
    index.add(hash64("respondent 5"), 999);
    expect(index.get(hash64("respondent 5"))).toBe(5);
    expect(index.get(hash64("nobody"))).toBe(-1);
  }, 60_000); // a million hashes: seconds on a busy machine
});
