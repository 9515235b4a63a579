// Keys Framework's data-loader cache on content, not on time. Framework reuses a cached loader output whenever the
// output is newer than the loader file, whatever changed in the data or in the modules the loader imports. Here each
// output gets a key: the hash of the loader's own module graph (every local module it imports, transitively), of
// package-lock.json, of its params, and of every data file it read during its last run (from the trace, see
// trace.ts), and of the named SQL. Before a build, outputs whose key changed are deleted; the one pass
// (data-pass.ts) writes the data files whose key does not hold, recording for each the files it read in that pass,
// so Framework finds every output fresh; what no pass writes (the units archive), Framework re-runs as a loader.
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { paths } from "../io/config.ts";
import { inputDigest, sha256Of, type TracedInput } from "../io/trace.ts";
import { hashFiles, moduleGraph, SourceMemo } from "../io/module-graph.ts";

export interface LoaderRun {
  /** The loader script, absolute. */
  loader: string;
  /** `--name=value` params Framework passed. */
  params: string[];
  /** The cached output, relative to the Framework cache root (e.g. data/sections/causes-scores.json). */
  target: string;
  inputs: TracedInput[];
}

export interface LoaderKeyRecord {
  target: string;
  loader: string;
  params: string[];
  key: string;
  /** Hash of the cached output when the key was recorded: if anything else rewrote it, the key no longer holds. */
  output: string;
  inputs: string[];
}

/** Framework extracts files from an archive a loader writes (e.g. data/units.tar → data/units/U001.json). */
export const ARCHIVE = /\.(tar|tar\.gz|tgz|zip)$/;

/**
 * What the keys of one check of the cache share: each file's digest and each loader's code hash, computed once for
 * the 24 files of a pass instead of once per file (at a province the assessment scores are 12 MB, read by several).
 * Good for one check only: files may change between two.
 */
export class KeyMemo {
  private readonly digests = new Map<string, string>();
  private readonly code = new Map<string, string>();
  /** The modules' sources, shared by the loaders' graphs (nearly the same graph for every loader). */
  readonly sources = new SourceMemo();

  digest(path: string, compute: () => string): string {
    return this.digests.get(path) ?? this.digests.set(path, compute()).get(path)!;
  }

  codeHash(key: string, compute: () => string): string {
    return this.code.get(key) ?? this.code.set(key, compute()).get(key)!;
  }
}

/** The current key of a loader run: code, dependencies, params and the current content of the files it read. */
export function currentKey(
  projectRoot: string,
  run: Pick<LoaderRun, "loader" | "params"> & { inputs: string[] },
  memo = new KeyMemo()
): string | null {
  if (!existsSync(run.loader)) return null;
  const lock = join(projectRoot, "package-lock.json");
  const hash = createHash("sha256");
  hash.update(
    memo.codeHash(run.loader, () =>
      hashFiles(projectRoot, moduleGraph(run.loader, new Set(), memo.sources), memo.sources)
    )
  );
  // The named SQL (read by name at run time, not imported): a query memoized in one process (the one pass) is read
  // by the first file that needs it only, so every file is keyed on all of it.
  hash.update(memo.codeHash("named SQL", () => hashFiles(projectRoot, namedSqlFiles(projectRoot))));
  hash.update(memo.digest(lock, () => (existsSync(lock) ? sha256Of(lock) : "no-lock")));
  hash.update(JSON.stringify(run.params));
  // Where the data lives is part of the key: the same loader over another data folder or store is another output.
  hash.update(JSON.stringify(paths()));
  for (const input of [...run.inputs].sort())
    hash.update(input).update(memo.digest(input, () => (existsSync(input) ? inputDigest(input) : "missing")));
  return hash.digest("hex");
}

function namedSqlFiles(projectRoot: string): string[] {
  const dir = join(projectRoot, "pipeline", "db", "sql");
  return existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith(".sql"))
        .map((f) => join(dir, f))
    : [];
}

/** Framework's target path of a loader run: the loader path under src/ without .ts, [param] filled in. */
export function targetOf(srcRoot: string, loader: string, params: string[]): string {
  const values = Object.fromEntries(
    params
      .map((p) => /^--([^=]+)=(.*)$/.exec(p))
      .filter((m): m is RegExpExecArray => !!m)
      .map((m) => [m[1], m[2]])
  );
  return relative(srcRoot, loader)
    .replace(/\.(ts|js|mjs)$/, "")
    .replace(/\[([^\]]+)\]/g, (_, name: string) => values[name] ?? `[${name}]`);
}

/** Reads the traces a build left (one file per loader run) into loader runs. */
export function readTraces(traceDir: string, srcRoot: string): LoaderRun[] {
  if (!existsSync(traceDir)) return [];
  return readdirSync(traceDir)
    .filter((f) => f.endsWith(".jsonl"))
    .map((f) => {
      const lines = readFileSync(join(traceDir, f), "utf8")
        .trim()
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l) as { argv: string[]; path: string; sha256: string });
      const [script, ...params] = lines[0].argv;
      const loader = resolve(srcRoot, "..", script);
      const inputs = new Map(lines.map((l) => [l.path, l.sha256]));
      return {
        loader: existsSync(loader) ? loader : resolve(script),
        params,
        target: targetOf(srcRoot, existsSync(loader) ? loader : resolve(script), params),
        inputs: [...inputs].map(([path, sha256]) => ({ path, sha256 }))
      };
    });
}

export class LoaderCache {
  readonly cacheRoot: string;
  readonly keysFile: string;

  constructor(
    readonly projectRoot: string,
    readonly srcRoot = join(projectRoot, "src")
  ) {
    this.cacheRoot = join(srcRoot, ".observablehq", "cache");
    this.keysFile = join(this.cacheRoot, "yipanqi-loader-keys.json");
  }

  records(): LoaderKeyRecord[] {
    try {
      return JSON.parse(readFileSync(this.keysFile, "utf8")) as LoaderKeyRecord[];
    } catch {
      return [];
    }
  }

  /**
   * Deletes every cached loader output whose key no longer holds (code, data or params changed, or the output was
   * rewritten by some other build), and every cached output with no key at all. Returns what will re-run.
   */
  invalidate(): { rerun: string[]; kept: string[] } {
    const records = new Map(this.records().map((r) => [r.target, r]));
    const memo = new KeyMemo();
    const dataDir = join(this.cacheRoot, "data");
    const cached = existsSync(dataDir) ? listFiles(dataDir).map((f) => relative(this.cacheRoot, f)) : [];
    const rerun: string[] = [];
    const kept: string[] = [];
    const archives = [...records.values()].filter((r) => ARCHIVE.test(r.target));
    const memberOf = (target: string) => archives.find((a) => target.startsWith(`${a.target.replace(ARCHIVE, "")}/`));
    // Archives first: a file Framework extracted from an archive (units.tar → units/U001.json) lives and dies with it.
    cached.sort((a, b) => Number(ARCHIVE.test(b)) - Number(ARCHIVE.test(a)));
    for (const target of cached) {
      const archive = records.has(target) ? undefined : memberOf(target);
      if (archive) {
        if (kept.includes(archive.target)) continue;
        rmSync(join(this.cacheRoot, target), { force: true });
        continue;
      }
      const path = join(this.cacheRoot, target);
      if (this.holds(records.get(target), memo)) kept.push(target);
      else {
        rmSync(path, { force: true });
        rerun.push(target);
      }
    }
    return { rerun, kept };
  }

  /** Whether a record's output is in the cache as recorded and its key still holds (same code, data and params). */
  holds(record: LoaderKeyRecord | undefined, memo = new KeyMemo()): record is LoaderKeyRecord {
    if (!record) return false;
    const path = join(this.cacheRoot, record.target);
    return (
      existsSync(path) &&
      sha256Of(path) === record.output &&
      currentKey(this.projectRoot, { loader: record.loader, params: record.params, inputs: record.inputs }, memo) ===
        record.key
    );
  }

  /** After a successful build: records the keys of the runs traced now, keeping the records of outputs reused. */
  record(runs: LoaderRun[]): void {
    const records = new Map(this.records().map((r) => [r.target, r]));
    const memo = new KeyMemo();
    for (const run of runs) {
      const output = join(this.cacheRoot, run.target);
      if (!existsSync(output)) continue;
      const inputs = run.inputs.map((i) => i.path);
      const key = currentKey(this.projectRoot, { loader: run.loader, params: run.params, inputs }, memo);
      if (key)
        records.set(run.target, {
          target: run.target,
          loader: run.loader,
          params: run.params,
          key,
          output: sha256Of(output),
          inputs
        });
    }
    for (const [target] of records) if (!existsSync(join(this.cacheRoot, target))) records.delete(target);
    writeFileSync(this.keysFile, JSON.stringify([...records.values()], null, 1));
  }

  /** Forget every key (a plain `npm run build` empties the loader cache). */
  clear(): void {
    rmSync(join(this.cacheRoot, "data"), { recursive: true, force: true });
    rmSync(this.keysFile, { force: true });
  }
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? listFiles(join(dir, e.name)) : [join(dir, e.name)]
  );
}
