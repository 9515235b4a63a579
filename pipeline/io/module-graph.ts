// The code a result depends on: every local module a module imports, transitively, and one hash of them. The loader
// cache keys each data file on its loader's graph (refresh/loader-cache.ts); the store keys its reference tables on
// the graph of the code that makes them (store/reference.ts), so a change to that code makes them again.
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

const IMPORT =
  /(?:import|export)\s[^'"]*?from\s*["']([^"']+)["']|import\s*\(\s*["']([^"']+)["']\s*\)|import\s+["']([^"']+)["']/g;

/** Every local module (relative import) reachable from `entry`, entry included, as absolute paths. */
export function moduleGraph(entry: string, seen = new Set<string>()): Set<string> {
  if (seen.has(entry) || !existsSync(entry)) return seen;
  seen.add(entry);
  const source = readFileSync(entry, "utf8");
  for (const match of source.matchAll(IMPORT)) {
    const specifier = match[1] ?? match[2] ?? match[3];
    if (!specifier?.startsWith(".")) continue; // packages are covered by package-lock.json
    const base = resolve(dirname(entry), specifier);
    const candidates = [base, base.replace(/\.js$/, ".ts"), `${base}.ts`, join(base, "index.ts")];
    const found = candidates.find((c) => existsSync(c) && !c.endsWith("/"));
    if (found) moduleGraph(found, seen);
  }
  return seen;
}

/** sha256 of the files' names (relative to `root`) and contents, in name order. */
export function hashFiles(root: string, files: Iterable<string>): string {
  const hash = createHash("sha256");
  for (const file of [...files].sort())
    hash.update(relative(root, file)).update("\0").update(readFileSync(file)).update("\0");
  return hash.digest("hex");
}

/** One hash of `entry`'s module graph (names relative to `root`): changes when any module it imports changes. */
export function codeDigest(root: string, entry: string): string {
  return hashFiles(root, moduleGraph(entry));
}
