// Bytes → text for CSV exports. 问卷星 and Excel on Chinese Windows write GBK (code page 936) as often as UTF-8,
// and Excel's "Unicode text" is UTF-16. So: a BOM decides; UTF-16 without a BOM is recognised by its zero bytes;
// otherwise valid UTF-8 is UTF-8; otherwise GB18030 (a superset of GBK and GB2312). A file pasted together from a
// GBK and a UTF-8 export is decoded line by line, each line in its own encoding, and those lines are named.
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

export function decodeText(bytes: Uint8Array): DecodedText {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf)
    return { text: new TextDecoder("utf-8").decode(bytes.subarray(3)), encoding: "utf-8-bom" };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: new TextDecoder("utf-16le").decode(bytes.subarray(2)), encoding: "utf-16le" };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { text: new TextDecoder("utf-16be").decode(bytes.subarray(2)), encoding: "utf-16be" };
  const utf16 = sniffUtf16(bytes);
  if (utf16) {
    const text = new TextDecoder(utf16).decode(bytes);
    if (!looksBinary(text)) return { text, encoding: utf16 };
  }
  if (utf8Status(bytes).valid) {
    const text = new TextDecoder("utf-8").decode(bytes);
    if (looksBinary(text)) throw new DecodeError(NOT_TEXT);
    return { text, encoding: "utf-8" };
  }
  // Not UTF-8 as a whole: decode line by line (a line break byte never occurs inside a GBK or UTF-8 character),
  // a line that is valid UTF-8 with multi-byte characters as UTF-8, every other line as GB18030.
  const utf8 = new TextDecoder("utf-8");
  const gbk = new TextDecoder("gb18030");
  const parts: string[] = [];
  const utf8Lines: number[] = [];
  const gbkLines: number[] = [];
  let start = 0;
  let line = 1;
  while (start < bytes.length) {
    let end = bytes.indexOf(0x0a, start);
    end = end < 0 ? bytes.length : end + 1;
    const status = utf8Status(bytes, start, end);
    const slice = bytes.subarray(start, end);
    if (status.valid && status.multibyte) {
      parts.push(utf8.decode(slice));
      utf8Lines.push(line);
    } else {
      parts.push(gbk.decode(slice));
      if (!status.valid) gbkLines.push(line);
    }
    start = end;
    line++;
  }
  const text = parts.join("");
  if (looksBinary(text)) throw new DecodeError(NOT_TEXT);
  if (utf8Lines.length === 0) return { text, encoding: "gb18030" };
  // Mixed: the encoding of most lines is the file's; the others are named.
  return utf8Lines.length > gbkLines.length
    ? { text, encoding: "utf-8", otherEncodingLines: { encoding: "gb18030", lines: gbkLines } }
    : { text, encoding: "gb18030", otherEncodingLines: { encoding: "utf-8", lines: utf8Lines } };
}
