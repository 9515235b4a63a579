// Bytes → text for CSV exports. 问卷星 and Excel on Chinese Windows write GBK (code page 936) as often as UTF-8,
// and Excel's "Unicode text" is UTF-16. So: a BOM decides; UTF-16 without a BOM is recognised by its zero bytes;
// otherwise the encoding is decided for the file from all of it: valid UTF-8 is UTF-8 unless what it decodes to is
// implausible for a Chinese questionnaire (Greek, Cyrillic … where GBK gives Chinese); otherwise GB18030 (a superset
// of GBK and GB2312). Many GBK byte pairs are also valid UTF-8 (同时要学习 is "ͬʱҪѧϰ" as UTF-8), so a line of a GBK
// file is read as UTF-8 only on strong evidence: it is valid UTF-8 and decodes to Chinese (three-byte characters)
// and nothing implausible. A file pasted together from a GBK and a UTF-8 export is decoded line by line in this way,
// and the lines in the other encoding are named.
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

/**
 * What the valid UTF-8 in bytes[start, end) decodes to, by lead byte: `plausible` characters a Chinese export holds
 * (U+2000–U+9FFF: punctuation, box drawing ┋, CJK; U+F900–U+FFEF: compatibility and full-width forms), `implausible`
 * ones it does not (U+0100–U+1FFF: Greek, Cyrillic, Arabic … — what GBK byte pairs decode to as UTF-8 —, U+A000–U+F8FF:
 * Yi, Hangul, surrogates, private use). Latin-1 (U+0080–U+00FF) and four-byte characters count as neither.
 * Returns undefined when the bytes are not valid UTF-8.
 */
function utf8Profile(
  bytes: Uint8Array,
  start: number,
  end: number
): { plausible: number; implausible: number } | undefined {
  let plausible = 0;
  let implausible = 0;
  let i = start;
  while (i < end) {
    const b = bytes[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) need = 2;
    else if (b >= 0xf0 && b <= 0xf4) need = 3;
    else return undefined;
    if (i + need >= end) return undefined;
    let cp = b & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if ((c & 0xc0) !== 0x80) return undefined;
      cp = (cp << 6) | (c & 0x3f);
    }
    const min = need === 1 ? 0x80 : need === 2 ? 0x800 : 0x10000;
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return undefined;
    if ((cp >= 0x2000 && cp <= 0x9fff) || (cp >= 0xf900 && cp <= 0xffef)) plausible++;
    else if ((cp >= 0x100 && cp < 0x2000) || (cp >= 0xa000 && cp < 0xf900)) implausible++;
    i += need + 1;
  }
  return { plausible, implausible };
}

function looksBinary(text: string): boolean {
  const replaced = (text.match(/\uFFFD/g) ?? []).length;
  const controls = (text.match(/[\u0000-\u0008\u000E-\u001F]/g) ?? []).length;
  return replaced + controls > Math.max(8, text.length * 0.01);
}

const NOT_TEXT =
  "既不是 UTF-8 也不是 GBK/GB18030 文本（可能是二进制文件或已损坏）：请确认这是从问卷星下载的导出文件，必要时重新下载";

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
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf)
    return { text: decodeUtf8(bytes.subarray(3)), encoding: "utf-8-bom" };
  if (bytes[0] === 0xff && bytes[1] === 0xfe)
    return { text: new TextDecoder("utf-16le").decode(bytes.subarray(2)), encoding: "utf-16le" };
  if (bytes[0] === 0xfe && bytes[1] === 0xff)
    return { text: new TextDecoder("utf-16be").decode(bytes.subarray(2)), encoding: "utf-16be" };
  const utf16 = sniffUtf16(bytes);
  if (utf16) {
    const text = new TextDecoder(utf16).decode(bytes);
    if (!looksBinary(text)) return { text, encoding: utf16 };
  }
  // isUtf8 accepts exactly what utf8Status does (the standard's UTF-8), natively.
  if (isUtf8(bytes)) {
    const text = decodeUtf8(bytes);
    if (looksBinary(text)) throw new DecodeError(NOT_TEXT);
    // Valid UTF-8 as a whole, but decoding to more Greek or Cyrillic than Chinese: GBK whose byte pairs all happen to
    // be valid UTF-8 (a file with no Chinese header, e.g. coded columns), if GBK reads it cleanly.
    const profile = utf8Profile(bytes, 0, bytes.length)!;
    if (profile.implausible > profile.plausible) {
      const gbkText = new TextDecoder("gb18030").decode(bytes);
      if (!gbkText.includes("\uFFFD")) return { text: gbkText, encoding: "gb18030" };
    }
    return { text, encoding: "utf-8" };
  }
  // Not UTF-8 as a whole: each line (a line break byte never occurs inside a GBK or UTF-8 character) is
  // - GBK for sure when it is not valid UTF-8;
  // - UTF-8 for sure when it is valid UTF-8 decoding to Chinese and nothing implausible (strong evidence);
  // - GBK when it is valid UTF-8 decoding to something implausible (GBK bytes that happen to be valid UTF-8);
  // - else (ASCII, or only Latin-1 or four-byte characters) in the file's encoding: the one of most sure lines.
  // Consecutive lines of one encoding are decoded together, which gives the same text: GB18030 decoding starts afresh
  // after every line break byte, and valid UTF-8 lines carry nothing over; but each UTF-8 line's own decoding drops a
  // BOM at its start, so a UTF-8 line starting with one begins a new run.
  const ends: number[] = [];
  const kinds: number[] = []; // 0 either, 1 GBK, 2 UTF-8
  let sureUtf8 = 0;
  let sureGbk = 0;
  for (let start = 0; start < bytes.length;) {
    let end = bytes.indexOf(0x0a, start);
    end = end < 0 ? bytes.length : end + 1;
    // An ASCII start is valid in both.
    let high = start;
    while (high < end && bytes[high] < 0x80) high++;
    let kind = 0;
    if (high < end) {
      const profile = utf8Profile(bytes, high, end);
      if (profile === undefined) {
        kind = 1;
        sureGbk++;
      } else if (profile.implausible > 0) kind = 1;
      else if (profile.plausible > 0) {
        kind = 2;
        sureUtf8++;
      }
    }
    ends.push(end);
    kinds.push(kind);
    start = end;
  }
  const fileUtf8 = sureUtf8 > sureGbk;
  const gbk = new TextDecoder("gb18030");
  const parts: string[] = [];
  const other: number[] = [];
  let runStart = 0;
  let runUtf8 = false;
  for (let i = 0, start = 0; i < ends.length; start = ends[i], i++) {
    const utf8 = kinds[i] === 2 || (kinds[i] === 0 && fileUtf8);
    if (kinds[i] !== 0 && utf8 !== fileUtf8) other.push(i + 1);
    const bom = bytes[start] === 0xef && bytes[start + 1] === 0xbb && bytes[start + 2] === 0xbf;
    if (start > runStart && (utf8 !== runUtf8 || (utf8 && bom))) {
      parts.push(runUtf8 ? decodeUtf8(bytes.subarray(runStart, start)) : gbk.decode(bytes.subarray(runStart, start)));
      runStart = start;
    }
    runUtf8 = utf8;
  }
  if (bytes.length > runStart)
    parts.push(runUtf8 ? decodeUtf8(bytes.subarray(runStart)) : gbk.decode(bytes.subarray(runStart)));
  const text = parts.length === 1 ? parts[0] : parts.join("");
  if (looksBinary(text)) throw new DecodeError(NOT_TEXT);
  const encoding: TextEncoding = fileUtf8 ? "utf-8" : "gb18030";
  if (other.length === 0) return { text, encoding };
  return { text, encoding, otherEncodingLines: { encoding: fileUtf8 ? "gb18030" : "utf-8", lines: other } };
}
