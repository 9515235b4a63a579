// A refresh whose pages and code are those of the published build, and only the data changed, does not run Framework
// again: it takes that build's pages and puts the new data files in (about 5 s less at any size: Framework's start,
// parsing every page, bundling its client and copying DuckDB-wasm, each time). Framework's output depends on the data
// only through
//  - the data files the pages register (`registerFile(name, {path, lastModified, size})`, the file published as
//    `_file/<name>.<first 8 hex of its sha256>.<ext>`, lastModified the floor of the loader cache file's mtime), and
//  - three strings the config computes from the data: the print date in each page's head, the provenance footer and
//    the 示例数据 banner (observablehq.config.ts).
// Everything else it reads is hashed (pageSourcesDigest: src/, pipeline/, the config, the lockfile, and the codebook,
// which names the cause pages) and recorded, with the three strings, in the manifest of each build (PageSources). A
// swap needs the same digest, and throws on anything it does not expect (a page registering a file the pass did not
// make, a data file no page registers, a string not where it should be, the banner coming or going); the refresh then
// runs Framework. Tested on a build laid out by hand (test/site/data-swap.test.ts) and by building the same state both
// ways and comparing every file (test/refresh/refresh.test.ts).
import { createHash } from "node:crypto";
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync
} from "node:fs";
import { dirname, join, posix } from "node:path";
import { z } from "zod";
import { paths, PROJECT_ROOT } from "../io/config.ts";
import { hashFiles } from "../io/module-graph.ts";
import { dataRefreshedAt, provenanceFooter, sampleBanner } from "./provenance.ts";
import { printDateProperty } from "./running-head.ts";
import { linkOrCopy, UNIT_DATA_DIR, UNIT_TEMPLATE_PATH } from "./unit-reports.ts";

/** What a build's pages were made from, besides the data files: recorded in its manifest.json (build.pages). */
export const PageSourcesSchema = z.object({
  /** sha256 of every file Framework's output depends on besides the data (pageSourcesDigest). */
  digest: z.string().regex(/^[0-9a-f]{64}$/),
  /** The print date property in each page's head (running-head.ts · printDateProperty). */
  printDate: z.string(),
  /** The config's footer (provenance.ts · provenanceFooter). */
  footer: z.string().min(1),
  /** The config's header: the 示例数据 banner, or "" (provenance.ts · sampleBanner). */
  header: z.string()
});
export type PageSources = z.infer<typeof PageSourcesSchema>;

/** A data file of the build as the one pass wrote it: `data/overview.json` and its file in Framework's cache. */
export interface DataFileOnDisk {
  target: string;
  absolute: string;
}

/** The project's files a build reads besides the data: src/, pipeline/, the config and the lockfile. */
export function projectSourceFiles(): string[] {
  // without hidden entries: src/.observablehq is Framework's cache, made from the rest
  const tree = (dir: string) => (existsSync(dir) ? filesUnder(dir, { hidden: false }).map((f) => join(dir, f)) : []);
  return [
    ...tree(join(PROJECT_ROOT, "src")),
    ...tree(join(PROJECT_ROOT, "pipeline")),
    ...["observablehq.config.ts", "package-lock.json"].map((f) => join(PROJECT_ROOT, f)).filter((f) => existsSync(f))
  ];
}

/** The page sources of a build made now: the digest and the three strings, as the config computes them. */
export function pageSourcesNow(): PageSources {
  const codebook = paths().codebook;
  return {
    digest: hashFiles(PROJECT_ROOT, [...projectSourceFiles(), ...(existsSync(codebook) ? [codebook] : [])]),
    printDate: printDateProperty(dataRefreshedAt()),
    footer: provenanceFooter(),
    header: sampleBanner()
  };
}

/** The page sources a published build recorded, or null (an older build, or none recorded). */
export function recordedPageSources(buildDir: string): PageSources | null {
  try {
    const manifest = JSON.parse(readFileSync(join(buildDir, "manifest.json"), "utf8")) as { build?: { pages?: unknown } };
    const parsed = PageSourcesSchema.safeParse(manifest.build?.pages);
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/**
 * The page sources to record for a build Framework just made into `buildDir`, or null when its pages do not hold the
 * three strings as recorded (Framework rewrote them): then the next refresh builds with Framework again.
 */
export function recordablePageSources(buildDir: string, pages: PageSources): PageSources | null {
  for (const rel of filesUnder(buildDir).filter((f) => f.endsWith(".html"))) {
    const text = readFileSync(join(buildDir, rel), "utf8");
    const held = text.includes(pages.printDate) && text.includes(pages.footer) && text.includes(pages.header);
    if (!held) return null;
  }
  return pages;
}

/** Why a swap cannot be made: the refresh says it and runs Framework. */
export class SwapRefused extends Error {}

interface NewDataFile {
  /** `_file/data/overview.16028ea8.json` */
  published: string;
  /** Its bytes, read once: the name, the size and the published file are of the same bytes. */
  bytes: Buffer;
  lastModified: number;
  size: number;
  /** Whether a page registers it (Framework publishes only what a page registers). */
  registered: boolean;
}

/** `_file/data/overview.16028ea8.json` → `_file/data/overview|.json`: the data file's name without its hash. */
const HASHED = /^(_file\/.+)\.[0-9a-f]{8}(\.[^./]+)$/;
const REGISTER = /registerFile\(("(?:[^"\\]|\\.)*"), (\{(?:[^{}"]|"(?:[^"\\]|\\.)*")*\})\);/g;

function newDataFiles(files: DataFileOnDisk[]): Map<string, NewDataFile> {
  const byName = new Map<string, NewDataFile>();
  for (const f of files) {
    const m = /^(.+?)(\.[^./]+)$/.exec(f.target);
    if (!m) throw new SwapRefused(`数据文件 ${f.target} 没有扩展名`);
    const stat = statSync(f.absolute);
    const bytes = readFileSync(f.absolute);
    const after = statSync(f.absolute);
    if (after.ino !== stat.ino || after.mtimeMs !== stat.mtimeMs || after.size !== bytes.length)
      throw new SwapRefused(`数据文件 ${f.target} 在读取时被改写`);
    const sha = createHash("sha256").update(bytes).digest("hex");
    byName.set(`_file/${m[1]}|${m[2]}`, {
      published: `_file/${m[1]}.${sha.slice(0, 8)}${m[2]}`,
      bytes,
      lastModified: Math.floor(stat.mtimeMs),
      size: bytes.length,
      registered: false
    });
  }
  return byName;
}

/** The key of a published file's name in newDataFiles' map, if it is a hashed file. */
function unhashed(published: string): string | null {
  const m = HASHED.exec(published);
  return m ? `${m[1]}|${m[2]}` : null;
}

/** Replaces `from` by `to` in a page, which must hold `from`. */
function substitute(text: string, from: string, to: string, what: string, page: string): string {
  if (!text.includes(from)) throw new SwapRefused(`页面 ${page} 中没有上一版的${what}`);
  return from === to ? text : text.split(from).join(to);
}

/** One page of the previous build with the new data files registered and the config's data strings replaced. */
function swappedPage(
  text: string,
  page: string,
  files: Map<string, NewDataFile>,
  replacedNames: string[],
  before: PageSources,
  now: PageSources
): string {
  let out = text.replace(REGISTER, (whole, name: string, json: string) => {
    const info = JSON.parse(json) as { path?: unknown; lastModified?: unknown; size?: unknown };
    if (typeof info.path !== "string") throw new SwapRefused(`页面 ${page} 登记的文件没有路径`);
    const published = posix.normalize(posix.join(posix.dirname(page), info.path));
    const key = unhashed(published);
    const next = key ? files.get(key) : undefined;
    // Any other file would keep its registered lastModified, the mtime of a file of src/, which a checkout changes.
    if (!next) throw new SwapRefused(`页面 ${page} 登记的文件 ${published} 不是本次计算的数据文件`);
    next.registered = true;
    info.path = info.path.slice(0, info.path.length - posix.basename(published).length) + posix.basename(next.published);
    info.lastModified = next.lastModified;
    info.size = next.size;
    return `registerFile(${name}, ${JSON.stringify(info)});`;
  });
  out = substitute(out, before.printDate, now.printDate, "打印日期", page);
  out = substitute(out, before.footer, now.footer, "页脚", page);
  if (before.header) out = substitute(out, before.header, now.header, "示例数据横幅", page);
  for (const old of replacedNames)
    if (out.includes(old)) throw new SwapRefused(`页面 ${page} 在登记之外还引用了上一版的数据文件 ${old}`);
  return out;
}

/** Every file under `root`, relative (with "/"), in name order; `hidden: false` leaves out names starting with ".". */
function filesUnder(root: string, { hidden = true } = {}, dir = ""): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true })
    .filter((e) => hidden || !e.name.startsWith("."))
    .flatMap((e) => {
      const rel = dir ? `${dir}/${e.name}` : e.name;
      return e.isDirectory() ? filesUnder(root, { hidden }, rel) : [rel];
    })
    .sort();
}

/**
 * Makes in `buildDir` the build Framework would make of the previous build's pages with these data files: every file of
 * `previous` but its data files, its unit pages and its manifest; the new data files; each page swapped
 * (swappedPage); and the unit template again (writeUnitReports writes the unit pages from it, as after Framework).
 * Throws SwapRefused when the pages or code changed, or anything is not as a build of the same sources would have it.
 */
export function swapDataFiles(
  previous: string,
  buildDir: string,
  before: PageSources,
  now: PageSources,
  dataFiles: DataFileOnDisk[]
): { pages: number; files: number } {
  if (before.digest !== now.digest) throw new SwapRefused("页面或代码已改变");
  if ((before.header === "") !== (now.header === "")) throw new SwapRefused("示例数据横幅要出现或消失");
  // Framework's jsdom writes a carriage return back as a line feed and drops a NUL: its page would differ.
  if (/[\r\0]/.test(now.footer + now.header)) throw new SwapRefused("页脚或横幅含有 Framework 会改写的字符");
  const files = newDataFiles(dataFiles);
  const all = filesUnder(previous);
  const unitCodes = new Set(
    all.filter((f) => f.startsWith(`${UNIT_DATA_DIR}/`)).map((f) => posix.basename(f).replace(/\.json$/, ""))
  );
  const unitPages = new Set(
    all.filter((f) => /^units\/[^/]+\.html$/.test(f) && unitCodes.has(posix.basename(f, ".html")))
  );
  const template = [...unitPages][0];
  if (!template) throw new SwapRefused("上一版没有单位页面，无法取得单位页面模板");
  const replaced = all.filter((f) => {
    const key = unhashed(f);
    return key !== null && files.has(key);
  });
  // Names no page may still hold: the previous data files that the new ones do not repeat (same bytes, same name).
  const kept = new Set([...files.values()].map((f) => f.published));
  const replacedNames = replaced.filter((f) => !kept.has(f)).map((f) => posix.basename(f));
  const skipped = new Set(["manifest.json", ...unitPages, ...replaced]);
  let pages = 0;
  const page = (rel: string, text: string) => {
    const target = join(buildDir, rel);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, swappedPage(text, rel, files, replacedNames, before, now));
    pages++;
  };
  for (const rel of all) {
    if (skipped.has(rel) || rel.startsWith(`${UNIT_DATA_DIR}/`)) continue;
    if (rel.endsWith(".html")) page(rel, readFileSync(join(previous, rel), "utf8"));
    else {
      // Our own modules and styles are linked as they are: none may name a data file (a component that attached one
      // would have it hashed into its own name, which only Framework can redo).
      if (/^_import\/.+\.(js|css)$/.test(rel)) {
        const text = readFileSync(join(previous, rel), "utf8");
        const old = replacedNames.find((name) => text.includes(name));
        if (old) throw new SwapRefused(`${rel} 引用了上一版的数据文件 ${old}`);
      }
      mkdirSync(dirname(join(buildDir, rel)), { recursive: true });
      linkOrCopy(join(previous, rel), join(buildDir, rel));
    }
  }
  // Every unit page is the template (unit-reports.ts): one of them gives it back.
  page(`${UNIT_TEMPLATE_PATH.slice(1)}.html`, readFileSync(join(previous, template), "utf8"));
  for (const f of files.values()) {
    if (!f.registered) throw new SwapRefused(`没有页面登记数据文件 ${f.published}（Framework 不会发布它）`);
    // Written, not linked, as Framework copies them: the pass touches its cache files again at every refresh.
    mkdirSync(dirname(join(buildDir, f.published)), { recursive: true });
    writeFileSync(join(buildDir, f.published), f.bytes);
  }
  return { pages, files: files.size };
}
