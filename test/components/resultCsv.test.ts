import { describe, expect, it } from "vitest";
import { BOM, resultCsv } from "../../src/components/resultCsv.ts";

describe("resultCsv", () => {
  it("writes UTF-8 with a BOM and CRLF, the header first, columns in the given order", () => {
    const csv = resultCsv(
      [
        { wave: 2019, name: "考核机制", index: 48.25, suppressed: false },
        { wave: 2020, name: "工作机制", index: null, suppressed: true }
      ],
      ["wave", "name", "index", "suppressed"]
    );
    expect(csv.startsWith(BOM)).toBe(true);
    expect(new TextEncoder().encode(csv).slice(0, 3)).toEqual(new Uint8Array([0xef, 0xbb, 0xbf]));
    expect(csv.slice(1).split("\r\n")).toEqual([
      "wave,name,index,suppressed",
      "2019,考核机制,48.25,false",
      "2020,工作机制,,true",
      ""
    ]);
  });

  it("quotes commas, quotes and line breaks, and writes lists as JSON", () => {
    const csv = resultCsv([{ a: '说"不清"', b: "甲,乙", c: "一\n二", d: [1, 2] }], ["a", "b", "c", "d"]);
    expect(csv.slice(1)).toBe('a,b,c,d\r\n"说""不清""","甲,乙","一\n二","[1,2]"\r\n');
  });

  it("never writes a thousands separator or NaN", () => {
    expect(resultCsv([{ n: 12345, x: NaN }], ["n", "x"]).slice(1)).toBe("n,x\r\n12345,\r\n");
  });
});
