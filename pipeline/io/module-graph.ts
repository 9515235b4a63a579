// The code a result depends on: every local module a module imports, transitively, and one hash of them. The loader
// cache keys each data file on its loader's graph (refresh/loader-cache.ts); the store keys its reference tables on
// the graph of the code that makes them (store/reference.ts), so a change to that code makes them again.
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

const IMPORT =
  /(?:import|export)\s[^'"]*?from\s*["']([^"']+)["']|import\s*\(\s*["']([^"']+)["']\s*\)|import\s+["']([^"']+)["']/g;

/**
 * What one check of many graphs may share: each module's local imports and each file's bytes, read once. The loader
 * cache checks 19 loader scripts whose graphs are nearly the same (73 modules each, 91 in all: each reaches every mart
 * through data-files.ts): walked and hashed one by one, the same modules were read and scanned 19 times per check
 * (about 0.1 s of a pass at 10 k). Good for one check only: files may change between two.
 */
export class SourceMemo {
  readonly imports = new Map<string, string[]>();
  readonly bytes = new Map<string, Buffer>();

  read(file: string): Buffer {
    return this.bytes.get(file) ?? this.bytes.set(file, readFileSync(file)).get(file)!;
  }
}

/** Every local module (relative import) reachable from `entry`, entry included, as absolute paths. */
export function moduleGraph(entry: string, seen = new Set<string>(), memo?: SourceMemo): Set<string> {
  if (seen.has(entry) || !existsSync(entry)) return seen;
  seen.add(entry);
  let imports = memo?.imports.get(entry);
  if (!imports) {
    imports = localImports(entry, memo ? memo.read(entry).toString("utf8") : readFileSync(entry, "utf8"));
    memo?.imports.set(entry, imports);
  }
  for (const found of imports) moduleGraph(found, seen, memo);
  return seen;
}

/** The local modules a module's source imports, resolved to files that exist. */
function localImports(entry: string, source: string): string[] {
  const found: string[] = [];
  for (const match of source.matchAll(IMPORT)) {
    const specifier = match[1] ?? match[2] ?? match[3];
    if (!specifier?.startsWith(".")) continue; // packages are covered by package-lock.json
    const base = resolve(dirname(entry), specifier);
    const candidates = [base, base.replace(/\.js$/, ".ts"), `${base}.ts`, join(base, "index.ts")];
    const file = candidates.find((c) => existsSync(c) && !c.endsWith("/"));
    if (file) found.push(file);
  }
  return found;
}

/** sha256 of the files' names (relative to `root`) and contents, in name order. */
export function hashFiles(root: string, files: Iterable<string>, memo?: SourceMemo): string {
  const hash = createHash("sha256");
  for (const file of [...files].sort())
    hash
      .update(relative(root, file))
      .update("\0")
      .update(memo ? memo.read(file) : readFileSync(file))
      .update("\0");
  return hash.digest("hex");
}

/** One hash of `entry`'s module graph (names relative to `root`): changes when any module it imports changes. */
export function codeDigest(root: string, entry: string): string {
  return hashFiles(root, moduleGraph(entry));
}
