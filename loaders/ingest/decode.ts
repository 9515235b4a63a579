// Bytes → text for CSV exports. 问卷星 and Excel on Chinese Windows write GBK (code page 936) as often as UTF-8,
// so: a BOM decides; otherwise valid UTF-8 is UTF-8; otherwise GB18030 (a superset of GBK and GB2312).
export type TextEncoding = "utf-8" | "utf-8-bom" | "utf-16le" | "utf-16be" | "gb18030";

export class DecodeError extends Error {}

export function decodeText(bytes: Uint8Array): { text: string; encoding: TextEncoding } {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf)
    return { text: new TextDecoder("utf-8").decode(bytes.subarray(3)), encoding: "utf-8-bom" };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: new TextDecoder("utf-16le").decode(bytes.subarray(2)), encoding: "utf-16le" };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { text: new TextDecoder("utf-16be").decode(bytes.subarray(2)), encoding: "utf-16be" };
  try {
    return { text: new TextDecoder("utf-8", { fatal: true }).decode(bytes), encoding: "utf-8" };
  } catch {
    // Not UTF-8: GB18030 decodes every byte sequence, so check the result looks like text, not a binary file.
    const text = new TextDecoder("gb18030").decode(bytes);
    const replaced = (text.match(/\uFFFD/g) ?? []).length;
    const controls = (text.match(/[\u0000-\u0008\u000E-\u001F]/g) ?? []).length;
    if (replaced + controls > Math.max(8, text.length * 0.01))
      throw new DecodeError("既不是 UTF-8 也不是 GBK/GB18030 文本（可能是二进制文件或已损坏）");
    return { text, encoding: "gb18030" };
  }
}
