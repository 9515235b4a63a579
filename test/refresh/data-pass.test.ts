// The one pass (pipeline/refresh/data-pass.ts) on a private copy of the seeded sample: every data file the pages read,
// made in this process from one opened store, is byte for byte what its loader writes when Framework runs it as a
// process; a second pass reuses everything without opening the store; a changed input remakes exactly the files that
// read it; a failing mart stops the pass naming the file.
import { spawn } from "node:child_process";
import { readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadCodebook } from "../../pipeline/codebook/load.ts";
import { openDuckDB } from "../../pipeline/io/duckdb.ts";
import { dataTargets } from "../../pipeline/publish/data-files.ts";
import type { FilesToAudit } from "../../pipeline/publish/audit-beside-build.ts";
import { DataFileFailure, filesOfPass, writeDataFiles, type DataPass } from "../../pipeline/refresh/data-pass.ts";
import { LoaderCache } from "../../pipeline/refresh/loader-cache.ts";
import { expandInputs, runIngest } from "../../pipeline/store/ingest-batch.ts";
import { tempDir } from "../helpers/mini-exports.ts";
import { writeSampleData } from "../helpers/sample-data.ts";

const ROOT = resolve(import.meta.dirname, "../..");

/** What a loader writes on stdout when run as Framework runs it (query cache off: computed from the store alone). */
function runLoader(
  loader: string,
  args: string[],
  env: NodeJS.ProcessEnv
): Promise<{ code: number | null; out: Buffer; err: string }> {
  return new Promise((done) => {
    const child = spawn("node", ["--import", "tsx", loader, ...args], {
      cwd: ROOT,
      env: { ...env, YIPANQI_QUERY_CACHE: "off" },
      stdio: ["ignore", "pipe", "pipe"]
    });
    const out: Buffer[] = [];
    let err = "";
    child.stdout.on("data", (d: Buffer) => out.push(d));
    child.stderr.on("data", (d: Buffer) => (err += d));
    child.on("close", (code) => done({ code, out: Buffer.concat(out), err }));
  });
}

/** Every data file a page attaches by a literal path (the unit pages' files, by a template, are not the pass's). */
function attachedDataFiles(): string[] {
  const src = join(ROOT, "src");
  const found = new Set<string>();
  for (const entry of readdirSync(src, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith(".md") || entry.parentPath.includes(".observablehq")) continue;
    const page = join(entry.parentPath, entry.name);
    for (const m of readFileSync(page, "utf8").matchAll(/FileAttachment\(\s*"([^"]+)"\s*\)/g))
      found.add(relative(src, resolve(entry.parentPath, m[1])));
  }
  return [...found].filter((f) => f.startsWith("data/")).sort();
}

const byPath = (a: { path: string }, b: { path: string }) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);

describe("the one pass over the store", () => {
  const dir = tempDir("yipanqi-pass-");
  const data = join(dir, "data");
  const cache = new LoaderCache(ROOT, join(dir, "src"));
  const before = process.env.YIPANQI_DATA;
  let first: DataPass;

  beforeAll(async () => {
    const inputs = writeSampleData(data, [2019, 2020, 2021]);
    await runIngest(await openDuckDB(), {
      files: expandInputs([join(data, "surveys")]),
      codebook: inputs.codebook,
      roster: inputs.roster,
      store: join(data, "store")
    });
    process.env.YIPANQI_DATA = data;
    first = await writeDataFiles(cache);
  }, 600_000);

  afterAll(() => {
    if (before === undefined) delete process.env.YIPANQI_DATA;
    else process.env.YIPANQI_DATA = before;
  });

  it("makes exactly the data files the pages attach (besides the unit pages')", () => {
    const targets = dataTargets(loadCodebook(join(data, "codebook.json"))).map((t) => t.target);
    expect(targets.sort()).toEqual(attachedDataFiles());
    expect(first.made.sort()).toEqual(targets.sort());
    expect(first.reused).toEqual([]);
  });

  it("writes every file byte for byte as its loader does when Framework runs it as a process", async () => {
    const env = { ...process.env, YIPANQI_DATA: data };
    for (const t of dataTargets(loadCodebook(join(data, "codebook.json")))) {
      const run = await runLoader(t.loader, t.args, env);
      expect(run.code, `${t.loader} ${t.args.join(" ")}: ${run.err}`).toBe(0);
      const written = readFileSync(join(cache.cacheRoot, t.target));
      expect(written.length, t.target).toBeGreaterThan(0);
      expect(Buffer.compare(written, run.out), `${t.target} differs from its loader's output`).toBe(0);
    }
  }, 900_000);

  it("reuses every file the second time without opening the store", async () => {
    const again = await writeDataFiles(cache, {
      open: () => Promise.reject(new Error("the store must not be opened when every key holds"))
    });
    expect(again.made).toEqual([]);
    expect(again.reused.sort()).toEqual(first.made.sort());
  }, 120_000);

  it("makes the same files with the same keys when it makes the unit files first, as the refresh has it", async () => {
    const unitsFirst = new LoaderCache(ROOT, join(dir, "src-units-first"));
    const pass = await writeDataFiles(unitsFirst, { unitReports: true });
    expect(pass.unitReports!.length).toBeGreaterThan(0);
    expect(pass.made.sort()).toEqual(first.made.sort());
    const inputsOf = (c: LoaderCache) => new Map(c.records().map((r) => [r.target, [...r.inputs].sort()]));
    const expected = inputsOf(cache);
    expect([...inputsOf(unitsFirst).keys()].sort()).toEqual([...expected.keys()].sort());
    for (const [target, inputs] of inputsOf(unitsFirst)) {
      expect(inputs, target).toEqual(expected.get(target));
      const bytes = (c: LoaderCache) => readFileSync(join(c.cacheRoot, target));
      expect(Buffer.compare(bytes(unitsFirst), bytes(cache)), target).toBe(0);
    }
  }, 300_000);

  it("after the assessment scores change, remakes exactly the files that read them", async () => {
    const scores = join(data, "assessment", "scores.csv");
    const readers = cache
      .records()
      .filter((r) => r.inputs.includes(scores))
      .map((r) => r.target)
      .sort();
    // The scores are read by the assessment's files (and those that show a unit's totals), not by the section pages.
    // Those that reach the totals only through the copy another file computed first (perStore) depend on it too.
    for (const file of [
      "data/assessment.json",
      "data/assessment-survey.json",
      "data/explore/assessment-totals.arrow",
      "data/explore/tables.json",
      "data/units-index.json"
    ])
      expect(readers).toContain(file);
    expect(readers).not.toContain("data/sections/causes-scores.json");
    writeFileSync(scores, readFileSync(scores, "utf8").replace(/^(2019,U001,pb_meetings,)[\d.]+$/m, "$199"));
    // The audit beside the pass is told of every file the build will publish, each once, kept and made alike, as soon
    // as it is final: the kept ones before any is made, each made one once written (audit-beside-build.ts).
    const told: FilesToAudit[] = [];
    const bytesWhenTold = new Map<string, Buffer>();
    const next = await writeDataFiles(cache, {
      unitReports: true,
      onFiles: (files) => {
        for (const f of files.onDisk) bytesWhenTold.set(f.path, readFileSync(f.absolute));
        told.push(files);
      }
    });
    // What the audit reads when it is told is what the pass leaves: each file was final by then.
    for (const f of filesOfPass(cache, next).onDisk)
      expect(Buffer.compare(bytesWhenTold.get(f.path)!, readFileSync(f.absolute)), f.path).toBe(0);
    expect(next.made.sort()).toEqual(readers);
    const all = filesOfPass(cache, next);
    expect(told.flatMap((f) => f.onDisk).sort(byPath)).toEqual(all.onDisk.sort(byPath));
    expect(told.flatMap((f) => f.inMemory).sort(byPath)).toEqual(all.inMemory.sort(byPath));
    expect(all.inMemory.length).toBeGreaterThan(0);
    expect(told[0].onDisk.map((f) => `data/${f.path}`).sort()).toEqual(next.reused.sort());
  }, 300_000);

  it("a mart that fails stops the pass naming its file; the files made before it keep their keys", async () => {
    const indicators = join(data, "indicators.json");
    const good = readFileSync(indicators, "utf8");
    writeFileSync(indicators, JSON.stringify({ version: "broken", indicators: "none" }));
    try {
      const failed = await writeDataFiles(cache).then(
        () => null,
        (e: unknown) => e
      );
      expect(failed).toBeInstanceOf(DataFileFailure);
      const failure = failed as DataFileFailure;
      expect(failure.message).toMatch(/^数据文件 data\/\S+ 生成失败：/);
      expect(failure.message).toContain(failure.target);
      expect(failure.message).toContain("indicators.json");
    } finally {
      writeFileSync(indicators, good);
    }
    const after = await writeDataFiles(cache);
    expect(after.reused.length).toBeGreaterThan(0);
    // The refresh makes the unit files first: a failure there names them.
    writeFileSync(indicators, JSON.stringify({ version: "broken", indicators: "none" }));
    try {
      await expect(writeDataFiles(cache, { unitReports: true })).rejects.toThrow(
        /^数据文件 data\/units\/\*\.json 生成失败：.*indicators\.json/
      );
    } finally {
      writeFileSync(indicators, good);
    }
  }, 300_000);

  it("after a new wave, keeps the files made from reference tables alone and remakes every other", async () => {
    await writeDataFiles(cache); // every key holds again after the tests before
    const manifest = resolve(join(data, "store", "manifest.json"));
    const independent = cache
      .records()
      .filter((r) => !r.inputs.includes(manifest))
      .map((r) => r.target)
      .sort();
    expect(independent).toEqual(["data/assessment.json", "data/explore/assessment-totals.arrow"]);
    // A 2022 wave, generated apart and dropped into the store.
    const later = join(dir, "later");
    const inputs = writeSampleData(later, [2022]);
    await runIngest(await openDuckDB(), {
      files: expandInputs([join(later, "surveys")]),
      codebook: inputs.codebook,
      roster: inputs.roster,
      store: join(data, "store")
    });
    const next = await writeDataFiles(cache);
    expect(next.reused.sort()).toEqual(independent);
    expect(next.made.sort()).toEqual(first.made.filter((t) => !independent.includes(t)).sort());
    // What was kept is what a pass over the new store makes from nothing.
    const fresh = new LoaderCache(ROOT, join(dir, "src-fresh"));
    await writeDataFiles(fresh);
    for (const target of first.made) {
      const bytes = (c: LoaderCache) => readFileSync(join(c.cacheRoot, target));
      expect(Buffer.compare(bytes(cache), bytes(fresh)), target).toBe(0);
    }
  }, 600_000);
});

describe("the one pass when the assessment scores file appears later", () => {
  const dir = tempDir("yipanqi-scores-later-");
  const data = join(dir, "data");
  const cache = new LoaderCache(ROOT, join(dir, "src"));
  const before = process.env.YIPANQI_DATA;
  afterAll(() => {
    if (before === undefined) delete process.env.YIPANQI_DATA;
    else process.env.YIPANQI_DATA = before;
  });

  it("remakes what it made without the file once the file is there", async () => {
    const inputs = writeSampleData(data, [2019, 2020, 2021]);
    const scores = join(data, "assessment", "scores.csv");
    renameSync(scores, `${scores}.aside`);
    process.env.YIPANQI_DATA = data;
    const ingest = async () =>
      runIngest(await openDuckDB(), {
        files: expandInputs([join(data, "surveys")]),
        codebook: inputs.codebook,
        roster: inputs.roster,
        store: join(data, "store")
      });
    await ingest();
    await writeDataFiles(cache);
    const assessment = () => JSON.parse(readFileSync(join(cache.cacheRoot, "data/assessment.json"), "utf8"));
    expect(assessment().file).toBeNull();
    const readers = cache
      .records()
      .filter((r) => r.inputs.includes(scores))
      .map((r) => r.target)
      .sort();
    expect(readers).toContain("data/assessment.json");
    expect(readers).toContain("data/explore/assessment-totals.arrow");

    renameSync(`${scores}.aside`, scores); // the steward puts the file in place; the refresh ingests it
    await ingest();
    const next = await writeDataFiles(cache);
    expect(next.made.sort()).toEqual(readers);
    expect(assessment().file.rows).toBeGreaterThan(0);
    const fresh = new LoaderCache(ROOT, join(dir, "src-fresh"));
    await writeDataFiles(fresh);
    for (const target of readers)
      expect(
        Buffer.compare(readFileSync(join(cache.cacheRoot, target)), readFileSync(join(fresh.cacheRoot, target))),
        target
      ).toBe(0);
  }, 600_000);
});
