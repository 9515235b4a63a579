// What an archive loader writes: a POSIX ustar tarball on stdout. Framework extracts single files from a loader's
// archive on demand (docs/data-loaders.md, "Archives"): `src/data/units.tar.ts` writes U001.json … once, and a page
// reads FileAttachment("data/units/U001.json"). One loader run instead of one per file keeps the build fast.
// Deterministic: entries in the given order, mtime 0, owner root, so the same data gives the same bytes.
import { toJson } from "./json.ts";

export interface ArchiveEntry {
  /** A plain relative file name (ASCII, at most 100 bytes, no "..", no leading "/"). */
  name: string;
  content: string | Uint8Array;
}

const BLOCK = 512;

function octal(value: number, width: number): string {
  // width − 1 octal digits, then NUL
  return value.toString(8).padStart(width - 1, "0") + "\0";
}

function header(name: string, size: number): Buffer {
  const h = Buffer.alloc(BLOCK, 0);
  h.write(name, 0, 100, "utf8");
  h.write(octal(0o644, 8), 100, "ascii"); // mode
  h.write(octal(0, 8), 108, "ascii"); // uid
  h.write(octal(0, 8), 116, "ascii"); // gid
  h.write(octal(size, 12), 124, "ascii");
  h.write(octal(0, 12), 136, "ascii"); // mtime
  h.write("        ", 148, "ascii"); // checksum field counts as spaces while summing
  h.write("0", 156, "ascii"); // regular file
  h.write("ustar\0", 257, "ascii");
  h.write("00", 263, "ascii");
  h.write("root", 265, "ascii");
  h.write("root", 297, "ascii");
  let sum = 0;
  for (const byte of h) sum += byte;
  h.write(sum.toString(8).padStart(6, "0") + "\0 ", 148, "ascii");
  return h;
}

/** The tarball of the entries. Throws on a name a tar reader could not take back safely. */
export function tarArchive(entries: ArchiveEntry[]): Buffer {
  const parts: Buffer[] = [];
  const seen = new Set<string>();
  for (const { name, content } of entries) {
    if (!/^[A-Za-z0-9_][A-Za-z0-9_.\-/]*$/.test(name) || name.includes("..") || Buffer.byteLength(name) > 100)
      throw new Error(`archive entry name not allowed: ${JSON.stringify(name)}`);
    if (seen.has(name)) throw new Error(`duplicate archive entry ${name}`);
    seen.add(name);
    const body = typeof content === "string" ? Buffer.from(content, "utf8") : Buffer.from(content);
    parts.push(header(name, body.length), body);
    const pad = (BLOCK - (body.length % BLOCK)) % BLOCK;
    if (pad) parts.push(Buffer.alloc(pad, 0));
  }
  parts.push(Buffer.alloc(2 * BLOCK, 0)); // end of archive
  return Buffer.concat(parts);
}

/** Writes a tarball of JSON files (serialized as writeJson does) to stdout. */
export function writeJsonArchive(files: { name: string; value: unknown }[]): void {
  process.stdout.write(tarArchive(files.map((f) => ({ name: f.name, content: toJson(f.value) }))));
}
