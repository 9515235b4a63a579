// Which data files a data loader read, recorded while Framework runs it (YIPANQI_TRACE_DIR set by the refresh).
// The refresh keys each loader's cached output on its code and on exactly these files, so it re-runs only the
// loaders whose inputs changed. Reading code calls recordInput(path) right where it reads the file. The one pass that
// computes every data file in one process (pipeline/refresh/data-pass.ts) collects the same records per file in memory.
import { createHash } from "node:crypto";
import { appendFileSync, existsSync, mkdirSync, readFileSync, readSync } from "node:fs";
import { basename, join, resolve } from "node:path";

export interface TracedInput {
  path: string;
  sha256: string;
}

/** The trace file of this process: one per loader invocation (script and its params). */
export function traceFileOf(dir: string, argv: readonly string[]): string {
  return join(dir, `${createHash("sha256").update(JSON.stringify(argv)).digest("hex").slice(0, 24)}.jsonl`);
}

export function sha256Of(path: string): string {
  return createHash("sha256").update(readFileSync(path)).digest("hex");
}

/** SHA-256 of what an open file holds, read from its start in 1 MB chunks (memory does not grow with the file). */
export function sha256OfOpenFile(fd: number): string {
  const hash = createHash("sha256");
  const buffer = Buffer.alloc(1 << 20);
  let position = 0;
  for (let n; (n = readSync(fd, buffer, 0, buffer.length, position)) > 0; position += n)
    hash.update(buffer.subarray(0, n));
  return hash.digest("hex");
}

/** In-process collectors (the one pass over the store, pipeline/refresh/data-pass.ts): each gets every path read. */
const collectors = new Set<Set<string>>();

/**
 * Runs `fn` and returns, with its value, every data file recorded while it ran (resolved, in order of first read).
 * Calls may nest (each collector gets every path); they must not overlap in time unless nested.
 */
export async function collectInputs<T>(fn: () => Promise<T>): Promise<{ value: T; inputs: string[] }> {
  const seen = new Set<string>();
  collectors.add(seen);
  try {
    const value = await fn();
    return { value, inputs: [...seen] };
  } finally {
    collectors.delete(seen);
  }
}

/**
 * What a traced input's content is, for the loaders' keys: its bytes, except for a store's manifest.json, whose
 * `updatedAt` and `reference` (the store's copy of the codebook, roster, indicator and assessment tables) do not count:
 * loaders read those tables from the data files they trace themselves (codebook.json, roster.csv, indicators.json, the
 * scores file), so an ingest that only rewrote the store's copy of the scores re-runs the loaders of the scores alone.
 */
export function inputDigest(path: string): string {
  if (basename(path) !== "manifest.json") return sha256Of(path);
  try {
    const { updatedAt: _at, reference: _reference, ...content } = JSON.parse(readFileSync(path, "utf8"));
    return createHash("sha256").update(JSON.stringify(content)).digest("hex");
  } catch {
    return sha256Of(path);
  }
}

export function recordInput(path: string): void {
  for (const seen of collectors) seen.add(resolve(path));
  const dir = process.env.YIPANQI_TRACE_DIR;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  // A file found absent is an input too (the loader cache's keys call it "missing"): its appearing changes the key.
  const sha256 = existsSync(path) ? inputDigest(path) : "missing";
  const entry = { argv: process.argv.slice(1), path: resolve(path), sha256 };
  appendFileSync(traceFileOf(dir, process.argv.slice(1)), JSON.stringify(entry) + "\n");
}
