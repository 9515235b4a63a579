// Checks an .xlsx (a ZIP archive) before SheetJS opens it. SheetJS inflates every entry into memory, so a small
// archive whose entries inflate to gigabytes (a "zip bomb"), or one whose directory lies about the sizes, would
// exhaust the machine. Here the central directory is read first: the declared sizes must be within bounds, and each
// entry is then inflated with a hard output limit equal to its declared size, so nothing can inflate past the limit.
import { inflateRawSync } from "node:zlib";

/**
 * The most an .xlsx may inflate to in total. SheetJS needs about 7 times the inflated XML in memory; an export of
 * 20,000 respondents of this questionnaire inflates to about 50 MB.
 */
export const MAX_XLSX_UNCOMPRESSED_BYTES = 128 * 1024 * 1024;
/** More entries than this is not a workbook a survey tool writes. */
export const MAX_ZIP_ENTRIES = 10_000;

export class ZipRejected extends Error {}

export interface ZipEntry {
  name: string;
  method: number;
  flags: number;
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
}

const EOCD = 0x06054b50;
const ZIP64_EOCD = 0x06064b50;
const ZIP64_LOCATOR = 0x07064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

const mb = (n: number) => `${(n / 1048576).toFixed(n < 10 * 1048576 ? 1 : 0)} MB`;
const TRUNCATED =
  "Excel 文件不完整或已损坏（ZIP 目录缺失或被截断，多半是下载或复制中断）：请重新从问卷星下载或重新导出";

/** Reads the central directory; throws ZipRejected with the reason a steward can act on. */
export function readZipDirectory(bytes: Uint8Array): ZipEntry[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u16 = (o: number) => view.getUint16(o, true);
  const u32 = (o: number) => view.getUint32(o, true);
  const u64 = (o: number) => Number(view.getBigUint64(o, true));
  // The end-of-central-directory record is in the last 22 + 65535 bytes.
  let eocd = -1;
  for (let o = bytes.length - 22; o >= Math.max(0, bytes.length - 22 - 65535); o--) {
    if (u32(o) === EOCD) {
      eocd = o;
      break;
    }
  }
  if (eocd < 0) throw new ZipRejected(TRUNCATED);
  let count = u16(eocd + 10);
  let cdSize = u32(eocd + 12);
  let cdOffset = u32(eocd + 16);
  if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
    const locator = eocd - 20;
    if (locator < 0 || u32(locator) !== ZIP64_LOCATOR) throw new ZipRejected(TRUNCATED);
    const z64 = u64(locator + 8);
    if (z64 + 56 > bytes.length || u32(z64) !== ZIP64_EOCD) throw new ZipRejected(TRUNCATED);
    count = u64(z64 + 32);
    cdSize = u64(z64 + 40);
    cdOffset = u64(z64 + 48);
  }
  if (count > MAX_ZIP_ENTRIES)
    throw new ZipRejected(`压缩包内有 ${count} 个文件，远多于任何 Excel 工作簿：这不是问卷导出文件`);
  if (cdOffset + cdSize > bytes.length) throw new ZipRejected(TRUNCATED);
  const entries: ZipEntry[] = [];
  let o = cdOffset;
  for (let i = 0; i < count; i++) {
    if (o + 46 > bytes.length || u32(o) !== CENTRAL) throw new ZipRejected(TRUNCATED);
    const flags = u16(o + 8);
    const method = u16(o + 10);
    let compressedSize = u32(o + 20);
    let uncompressedSize = u32(o + 24);
    const nameLength = u16(o + 28);
    const extraLength = u16(o + 30);
    const commentLength = u16(o + 32);
    let localHeaderOffset = u32(o + 42);
    const name = new TextDecoder().decode(bytes.subarray(o + 46, o + 46 + nameLength));
    // ZIP64: sizes of 0xFFFFFFFF are in the extra field 0x0001, in this order.
    let e = o + 46 + nameLength;
    const extraEnd = e + extraLength;
    while (e + 4 <= extraEnd) {
      const id = u16(e);
      const size = u16(e + 2);
      if (id === 0x0001) {
        let p = e + 4;
        if (uncompressedSize === 0xffffffff) {
          uncompressedSize = u64(p);
          p += 8;
        }
        if (compressedSize === 0xffffffff) {
          compressedSize = u64(p);
          p += 8;
        }
        if (localHeaderOffset === 0xffffffff) localHeaderOffset = u64(p);
      }
      e += 4 + size;
    }
    entries.push({ name, method, flags, compressedSize, uncompressedSize, localHeaderOffset });
    o = extraEnd + commentLength;
  }
  return entries;
}

/**
 * Refuses a ZIP that is not a safe-to-open workbook: a truncated archive, too many entries, declared sizes past the
 * limit (a zip bomb is refused here without inflating a byte), encrypted entries, no xl/workbook.xml, or an entry
 * that inflates past its declared size (a directory that lies). Returns the total inflated size.
 */
export function checkXlsxZip(bytes: Uint8Array, maxUncompressed = MAX_XLSX_UNCOMPRESSED_BYTES): number {
  const entries = readZipDirectory(bytes);
  const total = entries.reduce((sum, e) => sum + e.uncompressedSize, 0);
  if (total > maxUncompressed) {
    const biggest = entries.reduce((a, b) => (b.uncompressedSize > a.uncompressedSize ? b : a));
    throw new ZipRejected(
      `解压后将有 ${mb(total)}（其中“${biggest.name}”${mb(biggest.uncompressedSize)}，而文件本身只有 ${mb(bytes.length)}），超过上限 ${mb(maxUncompressed)}：` +
        "这可能是“压缩炸弹”或并非问卷导出文件，未解压即拒绝；请从问卷星重新导出"
    );
  }
  if (entries.some((e) => e.flags & 1))
    throw new ZipRejected("压缩包内的文件被加密：请在 Excel 中去掉密码另存后重新导入");
  if (!entries.some((e) => e.name === "xl/workbook.xml" || e.name === "xl/workbook.bin"))
    throw new ZipRejected(
      "这是一个 ZIP 压缩包，但不是 Excel 工作簿（没有 xl/workbook.xml）：请提供问卷星导出的 .xlsx、.xls 或 .csv 文件"
    );
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (const entry of entries) {
    const o = entry.localHeaderOffset;
    if (o + 30 > bytes.length || view.getUint32(o, true) !== LOCAL) throw new ZipRejected(TRUNCATED);
    const start = o + 30 + view.getUint16(o + 26, true) + view.getUint16(o + 28, true);
    const end = start + entry.compressedSize;
    if (end > bytes.length) throw new ZipRejected(TRUNCATED);
    if (entry.method === 0) {
      if (entry.compressedSize !== entry.uncompressedSize)
        throw new ZipRejected(`压缩包内“${entry.name}”的大小记录不一致：文件已损坏`);
      continue;
    }
    if (entry.method !== 8)
      throw new ZipRejected(
        `压缩包内“${entry.name}”使用了 Excel 不用的压缩方式（${entry.method}）：这不是问卷导出文件`
      );
    try {
      // The output may not exceed the declared size: an entry that would inflate further is refused mid-way.
      const out = inflateRawSync(bytes.subarray(start, end), { maxOutputLength: Math.max(1, entry.uncompressedSize) });
      if (out.length !== entry.uncompressedSize)
        throw new ZipRejected(`压缩包内“${entry.name}”解压后的大小与记录不符：文件已损坏`);
    } catch (e) {
      if (e instanceof ZipRejected) throw e;
      if ((e as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE" || e instanceof RangeError)
        throw new ZipRejected(
          `压缩包内“${entry.name}”解压后比记录的 ${mb(entry.uncompressedSize)} 更大（目录信息被篡改，疑似压缩炸弹）：已停止解压并拒绝`
        );
      throw new ZipRejected(`压缩包内“${entry.name}”无法解压（${(e as Error).message}）：文件已损坏，请重新下载`);
    }
  }
  return total;
}
