// Bytes → text for CSV exports. 问卷星 and Excel on Chinese Windows write GBK (code page 936) as often as UTF-8,
// and Excel's "Unicode text" is UTF-16. So: a BOM decides; UTF-16 without a BOM is recognised by its zero bytes;
// otherwise valid UTF-8 is UTF-8; otherwise GB18030 (a superset of GBK and GB2312). A file pasted together from a
// GBK and a UTF-8 export is decoded line by line, each line in its own encoding, and those lines are named.
import { isUtf8, transcode } from "node:buffer";

export type TextEncoding = "utf-8" | "utf-8-bom" | "utf-16le" | "utf-16be" | "gb18030";

export class DecodeError extends Error {}

export interface DecodedText {
  text: string;
  encoding: TextEncoding;
  /** Lines (1-based) written in the other encoding than `encoding` (only for a mixed UTF-8 / GBK file). */
  otherEncodingLines?: { encoding: TextEncoding; lines: number[] };
}

/** Whether bytes[start, end) is valid UTF-8, and whether it holds any multi-byte character. */
export function utf8Status(bytes: Uint8Array, start = 0, end = bytes.length): { valid: boolean; multibyte: boolean } {
  let multibyte = false;
  let i = start;
  while (i < end) {
    const b = bytes[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    if (b >= 0xc2 && b <= 0xdf) [need, min] = [1, 0x80];
    else if (b >= 0xe0 && b <= 0xef) [need, min] = [2, 0x800];
    else if (b >= 0xf0 && b <= 0xf4) [need, min] = [3, 0x10000];
    else return { valid: false, multibyte };
    if (i + need >= end) return { valid: false, multibyte };
    let cp = b & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if ((c & 0xc0) !== 0x80) return { valid: false, multibyte };
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return { valid: false, multibyte };
    multibyte = true;
    i += need + 1;
  }
  return { valid: true, multibyte };
}

/** UTF-16 without a BOM: text of mostly ASCII has a zero in every other byte. */
function sniffUtf16(bytes: Uint8Array): "utf-16le" | "utf-16be" | undefined {
  const n = Math.min(bytes.length, 4096) & ~1;
  if (n < 4) return undefined;
  let evenZeros = 0;
  let oddZeros = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) evenZeros++;
    if (bytes[i + 1] === 0) oddZeros++;
  }
  const pairs = n / 2;
  if (oddZeros > pairs * 0.3 && evenZeros < pairs * 0.05) return "utf-16le";
  if (evenZeros > pairs * 0.3 && oddZeros < pairs * 0.05) return "utf-16be";
  return undefined;
}

function looksBinary(text: string): boolean {
  const replaced = (text.match(/\uFFFD/g) ?? []).length;
  const controls = (text.match(/[\u0000-\u0008\u000E-\u001F]/g) ?? []).length;
  return replaced + controls > Math.max(8, text.length * 0.01);
}

const NOT_TEXT = "既不是 UTF-8 也不是 GBK/GB18030 文本（可能是二进制文件或已损坏）：请确认这是从问卷星下载的导出文件，必要时重新下载";

/**
 * The same string as `new TextDecoder("utf-8").decode(bytes)` (which drops a leading BOM and writes U+FFFD for invalid
 * bytes), about three times faster for valid UTF-8 not starting with a BOM: checked and transcoded natively.
 */
function decodeUtf8(bytes: Uint8Array): string {
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  if (bytes.length === 0 || bom || !isUtf8(bytes)) return new TextDecoder("utf-8").decode(bytes);
  return transcode(bytes, "utf8", "utf16le").toString("utf16le");
}

export function decodeText(bytes: Uint8Array): DecodedText {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { text: decodeUtf8(bytes.subarray(3)), encoding: "utf-8-bom" };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: new TextDecoder("utf-16le").decode(bytes.subarray(2)), encoding: "utf-16le" };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { text: new TextDecoder("utf-16be").decode(bytes.subarray(2)), encoding: "utf-16be" };
  const utf16 = sniffUtf16(bytes);
  if (utf16) {
    const text = new TextDecoder(utf16).decode(bytes);
    if (!looksBinary(text)) return { text, encoding: utf16 };
  }
  // isUtf8 accepts exactly what utf8Status does (the standard's UTF-8), natively.
  if (isUtf8(bytes)) {
    const text = decodeUtf8(bytes);
    if (looksBinary(text)) throw new DecodeError(NOT_TEXT);
    return { text, encoding: "utf-8" };
  }
  // Not UTF-8 as a whole: decode line by line (a line break byte never occurs inside a GBK or UTF-8 character),
  // a line that is valid UTF-8 with multi-byte characters as UTF-8, every other line as GB18030.
  // Consecutive lines of one kind are decoded together, which gives the same text: GB18030 decoding starts afresh
  // after every line break byte, and valid UTF-8 lines carry nothing over; but each UTF-8 line's own decoding drops a
  // BOM at its start, so a UTF-8 line starting with one begins a new run.
  const gbk = new TextDecoder("gb18030");
  const parts: string[] = [];
  const utf8Lines: number[] = [];
  const gbkLines: number[] = [];
  let runStart = 0;
  let runUtf8 = false;
  let start = 0;
  let line = 1;
  while (start < bytes.length) {
    let end = bytes.indexOf(0x0a, start);
    end = end < 0 ? bytes.length : end + 1;
    // An ASCII start is valid in both; valid UTF-8 with a byte ≥ 0x80 has a multi-byte character.
    let high = start;
    while (high < end && bytes[high] < 0x80) high++;
    const valid = high === end || utf8Status(bytes, high, end).valid;
    const isUtf8Line = valid && high < end;
    const bom = bytes[start] === 0xef && bytes[start + 1] === 0xbb && bytes[start + 2] === 0xbf;
    if (start > runStart && (isUtf8Line !== runUtf8 || (isUtf8Line && bom))) {
      parts.push(runUtf8 ? decodeUtf8(bytes.subarray(runStart, start)) : gbk.decode(bytes.subarray(runStart, start)));
      runStart = start;
    }
    runUtf8 = isUtf8Line;
    if (isUtf8Line) utf8Lines.push(line);
    else if (!valid) gbkLines.push(line);
    start = end;
    line++;
  }
  if (bytes.length > runStart) parts.push(runUtf8 ? decodeUtf8(bytes.subarray(runStart)) : gbk.decode(bytes.subarray(runStart)));
  const text = parts.length === 1 ? parts[0] : parts.join("");
  if (looksBinary(text)) throw new DecodeError(NOT_TEXT);
  if (utf8Lines.length === 0) return { text, encoding: "gb18030" };
  // Mixed: the encoding of most lines is the file's; the others are named.
  return utf8Lines.length > gbkLines.length
    ? { text, encoding: "utf-8", otherEncodingLines: { encoding: "gb18030", lines: gbkLines } }
    : { text, encoding: "gb18030", otherEncodingLines: { encoding: "utf-8", lines: utf8Lines } };
}
