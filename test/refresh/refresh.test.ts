// npm run refresh, run for real (the CLI in a child process, a real Framework build) on a private copy of the
// seeded sample: incremental, idempotent, atomic under SIGKILL at each phase, and clear about bad files and full disks.
import { spawn, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { LoaderCache } from "../../pipeline/refresh/loader-cache.ts";
import { ManifestSchema } from "../../pipeline/store/store.ts";
import { generateSample } from "../../pipeline/sample/generate.ts";
import { writeSample } from "../../pipeline/sample/write.ts";
import { tempDir } from "../helpers/mini-exports.ts";
import { writeSampleData } from "../helpers/sample-data.ts";

const ROOT = resolve(import.meta.dirname, "../..");

interface Run {
  code: number | null;
  signal: string | null;
  out: string;
}

/** A private data folder with the sample of the given waves, and a private site folder. */
function workspace(waves = [2019, 2020, 2021]) {
  const dir = tempDir("yipanqi-refresh-");
  const data = join(dir, "data");
  const inputs = writeSampleData(data, waves);
  const env = { ...process.env, YIPANQI_DATA: data, YIPANQI_SITE: join(dir, "site") };
  return { dir, data, site: join(dir, "site"), env, inputs };
}

function refresh(
  env: NodeJS.ProcessEnv,
  killWhen?: { line: RegExp; afterMs: number },
  args: string[] = []
): Promise<Run> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ["pipeline/cli/run.mjs", "refresh", ...args], {
      cwd: ROOT,
      env,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"]
    });
    let out = "";
    let armed = false;
    const onData = (d: Buffer) => {
      out += d;
      if (killWhen && !armed && killWhen.line.test(out)) {
        armed = true;
        // The whole process group: the refresh and the Framework build it started.
        setTimeout(() => process.kill(-child.pid!, "SIGKILL"), killWhen.afterMs);
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("close", (code, signal) => done({ code, signal, out }));
  });
}

const published = (site: string) => (existsSync(join(site, "current")) ? readlinkSync(join(site, "current")) : null);
const storeManifest = (data: string) => readFileSync(join(data, "store", "manifest.json"), "utf8");

/** The store is whole: its manifest validates and every part it lists exists. */
function expectStoreWhole(data: string) {
  const manifest = ManifestSchema.parse(JSON.parse(storeManifest(data)));
  for (const f of manifest.files)
    for (const part of [f.original, f.respondents, f.answers, f.quarantine])
      if (part) expect(existsSync(join(data, "store", part)), part).toBe(true);
  return manifest;
}

describe("npm run refresh", () => {
  const ws = workspace();
  let first: Run;
  beforeAll(async () => {
    first = await refresh(ws.env);
  }, 600_000);

  it("ingests the inbox, builds and publishes, saying what it quarantined (exit 1)", () => {
    expect(first.out).toMatch(/已导入 .*2019年.*接受 565 行，隔离 \d+ 行/);
    expect(first.code).toBe(1);
    const target = published(ws.site)!;
    expect(target).toMatch(/^builds\//);
    const manifest = JSON.parse(readFileSync(join(ws.site, "current", "manifest.json"), "utf8"));
    expect(manifest.files.map((f: { name: string }) => f.name)).toHaveLength(3);
    expect(manifest.codebook.version).toBe("2019.1");
    expect(existsSync(join(ws.site, "current", "causes.html"))).toBe(true);
    expect(readFileSync(join(ws.site, "current", "causes.html"), "utf8")).toContain(
      "码本 yipanqi_cadre_survey 版本 2019.1"
    );
    expect(readFileSync(join(ws.data, "refresh.log"), "utf8")).toContain("已发布");
    // The audit ran beside Framework's build on exactly the files the build published (audit-beside-build.ts).
    expect(first.out).toMatch(/匿名保护检查：与构建同时进行，检查的正是发布的 \d+ 个数据文件/);
    // The query results the pass computed are kept for the next refresh (they were once all pruned as soon as made).
    expect(first.out).toMatch(/查询缓存：沿用 \d+ 个结果、计算 [1-9]\d* 个/);
    expect(readdirSync(join(ws.data, "store", ".cache", "queries")).length).toBeGreaterThan(0);
  });

  it("does nothing the second time and says so", async () => {
    const before = published(ws.site);
    const again = await refresh(ws.env);
    expect(again.code).toBe(0);
    expect(again.out).toContain("没有新内容");
    expect(again.out).not.toContain("阶段：构建");
    expect(published(ws.site)).toBe(before);
  }, 120_000);

  it("after a change to the assessment scores, re-runs exactly the loaders that read that file", async () => {
    const scores = join(ws.data, "assessment", "scores.csv");
    const readers = new LoaderCache(ROOT)
      .records()
      .filter((r) => r.inputs.includes(scores))
      .map((r) => `/${r.target}`);
    writeFileSync(scores, readFileSync(scores, "utf8").replace(/^(2019,U001,pb_meetings,)[\d.]+$/m, "$199"));
    const run = await refresh(ws.env);
    expect(run.code).toBe(0);
    const ran = /数据加载器：重新运行 (\d+) 个(?:（([^）]*)）)?/.exec(run.out)!;
    const rerun = ran[2] ? ran[2].split("、").sort() : [];
    expect(rerun).toEqual(readers.sort());
    expect(run.out).toMatch(/沿用缓存 [1-9]\d* 个/);
    // Only the data changed: the published pages were taken and the new data files swapped in (data-swap.ts).
    expect(run.out).toMatch(/页面和代码未变，只换入新的数据文件：.*未运行 Framework/);
    expect(run.out).not.toContain("│ load /");
    // The audit beside the pass read exactly what was published, the files kept as well as those made.
    expect(run.out).toMatch(/匿名保护检查：与构建同时进行，检查的正是发布的 \d+ 个数据文件/);
  }, 600_000);

  it("after a new survey export, re-runs the loaders that read the store and no other", async () => {
    const store = join(ws.data, "store", "manifest.json");
    const records = new LoaderCache(ROOT).records();
    const readers = records
      .filter((r) => r.inputs.includes(store))
      .map((r) => `/${r.target}`)
      .sort();
    const others = records.filter((r) => !r.inputs.includes(store)).map((r) => `/${r.target}`);
    // Those made from reference tables alone (named-sql.ts · readsReferenceOnly) do not read the store's manifest.
    expect(others.sort()).toEqual(["/data/assessment.json", "/data/explore/assessment-totals.arrow"]);
    const next = generateSample({ ...ws.inputs, waves: [2022] });
    writeSample(next, ws.inputs.codebook, join(ws.dir, "next"), { assessment: false });
    const file = next.waves[0].file.fileName;
    copyFileSync(join(ws.dir, "next", "surveys", file), join(ws.data, "surveys", file));
    const run = await refresh(ws.env);
    expect(run.out).toMatch(/已导入 .*2022年/);
    expect(run.out).toMatch(/页面和代码未变，只换入新的数据文件/);
    const rerun = /数据加载器：重新运行 \d+ 个（([^）]*)）/.exec(run.out)![1].split("、");
    for (const target of readers) expect(rerun).toContain(target);
    for (const target of others) expect(rerun).not.toContain(target);
    // The earlier waves' query results are read from the cache; only the new wave's (and the whole-store ones) are
    // computed: more are reused than computed.
    const [, hits, misses] = /查询缓存：沿用 (\d+) 个结果、计算 (\d+) 个/.exec(run.out)!.map(Number);
    expect(hits).toBeGreaterThan(misses);
  }, 600_000);

  it("a build of swapped data files is byte for byte the build Framework makes of the same state", async () => {
    // The refresh before (a new wave) swapped its data files in: its footer is new (the print date has minutes only).
    const swapped = join(ws.site, published(ws.site)!);
    const previous = join(ws.site, readlinkSync(join(ws.site, "previous")));
    const footer = (build: string) =>
      /<div class="provenance">[^<]*<\/div>/.exec(readFileSync(join(build, "index.html"), "utf8"))![0];
    expect(footer(swapped)).not.toBe(footer(previous));
    expect(footer(swapped)).toContain("2022");
    expect(readFileSync(join(swapped, "manifest.json"), "utf8")).toMatch(
      /"madeBy": "the pages of builds\/[^"]+, its data files swapped"/
    );
    // --force: Framework builds, from the same data files (the pass reuses every one of them)
    const run = await refresh(ws.env, undefined, ["--force"]);
    expect(run.code).toBe(0);
    expect(run.out).toContain("│ load /");
    const built = join(ws.site, published(ws.site)!);
    expect(built).not.toBe(swapped);
    const files = (root: string) =>
      spawnSync("find", [".", "-type", "f"], { cwd: root, encoding: "utf8" }).stdout.split("\n").filter(Boolean).sort();
    expect(files(swapped)).toEqual(files(built));
    // The pass touched every data file again before Framework read them: their times are the only difference.
    const timeless = (text: string) => text.replace(/"lastModified":\d+/g, '"lastModified":0');
    let compared = 0;
    for (const file of files(built)) {
      if (file === "./manifest.json") continue;
      const a = readFileSync(join(swapped, file));
      const b = readFileSync(join(built, file));
      if (file.endsWith(".html")) expect(timeless(a.toString()), file).toBe(timeless(b.toString()));
      else expect(a.equals(b), file).toBe(true);
      compared++;
    }
    expect(compared).toBeGreaterThan(100);
  }, 600_000);
});

describe("failure drills", () => {
  const ws = workspace([2019]);
  beforeAll(async () => {
    const first = await refresh(ws.env);
    expect(first.code, first.out).toBe(1);
  }, 600_000);

  const newWave = (year: number) => {
    const next = generateSample({ ...ws.inputs, waves: [year] });
    writeSample(next, ws.inputs.codebook, join(ws.dir, `next-${year}`), { assessment: false });
    const file = next.waves[0].file.fileName;
    copyFileSync(join(ws.dir, `next-${year}`, "surveys", file), join(ws.data, "surveys", file));
  };

  it.each([
    ["during ingest", /阶段：导入/, 300, 2020],
    // The data files are computed in the refresh's own process (the one pass) before Framework starts.
    ["during the one pass over the store", /阶段：数据文件/, 300, 2021],
    // --force: Framework builds the pages (a refresh of the data alone would swap them in: data-swap.ts)
    ["while the pages build", /│ load \/\w/, 300, 2022]
  ])(
    "a SIGKILL %s leaves the published site and the store as they were, and the next refresh completes",
    async (when, line, afterMs, year) => {
      newWave(year);
      const site = published(ws.site);
      const manifestBefore = storeManifest(ws.data);
      const killed = await refresh(ws.env, { line, afterMs }, when === "while the pages build" ? ["--force"] : []);
      expect(killed.signal).toBe("SIGKILL");
      expect(published(ws.site)).toBe(site);
      expect(existsSync(join(ws.site, "current", "manifest.json"))).toBe(true);
      const after = expectStoreWhole(ws.data);
      // Either the ingest committed (then the new wave is whole in the store) or the store is exactly as before.
      if (storeManifest(ws.data) !== manifestBefore)
        expect(after.files.some((f) => f.wave === year && f.accepted > 0)).toBe(true);
      const next = await refresh(ws.env);
      expect([0, 1]).toContain(next.code);
      expect(next.out).toContain("已发布");
      expect(published(ws.site)).not.toBe(site);
      expect(expectStoreWhole(ws.data).files.some((f) => f.wave === year)).toBe(true);
      expect(readFileSync(join(ws.site, "current", "manifest.json"), "utf8")).toContain(`"wave": ${year}`);
    },
    900_000
  );

  it("a data file whose mart fails stops the refresh naming the file (exit 5), the published site intact", async () => {
    const indicators = join(ws.data, "indicators.json");
    const good = readFileSync(indicators, "utf8");
    const site = published(ws.site);
    writeFileSync(indicators, JSON.stringify({ version: "broken", indicators: "none" }));
    try {
      const run = await refresh(ws.env);
      expect(run.code).toBe(5);
      expect(run.out).toMatch(/未发布：数据文件 data\/\S+ 生成失败：.*indicators\.json.*；已发布的站点保持不变/);
      expect(run.out).not.toContain("阶段：构建");
      expect(published(ws.site)).toBe(site);
      expect(existsSync(join(ws.site, "current", "manifest.json"))).toBe(true);
    } finally {
      writeFileSync(indicators, good);
    }
  }, 600_000);

  it("a corrupt file in the inbox is refused and reported while the rest goes on", async () => {
    newWave(2023);
    writeFileSync(
      join(ws.data, "surveys", "2023年补报_损坏.xlsx"),
      Buffer.concat([Buffer.from("PK\u0003\u0004"), Buffer.alloc(200, 1)])
    );
    const run = await refresh(ws.env);
    expect(run.code).toBe(1);
    expect(run.out).toMatch(/文件未导入：.*2023年补报_损坏\.xlsx：.*(损坏|无法解析)/);
    expect(run.out).toMatch(/已导入 .*2023年.*接受/);
    expect(run.out).toContain("已发布");
  }, 600_000);

  it("a refresh while another holds the lock exits 3 and touches nothing", async () => {
    writeFileSync(join(ws.data, ".refresh.lock"), JSON.stringify({ pid: process.pid, startedAt: "test" }));
    try {
      const run = await refresh(ws.env);
      expect(run.code).toBe(3);
      expect(run.out).toContain("另一个刷新正在运行");
    } finally {
      spawnSync("rm", ["-f", join(ws.data, ".refresh.lock")]);
    }
  }, 120_000);

  it("an unwritable site folder fails with a clear message (exit 6), the store intact", async () => {
    const blocker = join(ws.dir, "not-a-folder");
    writeFileSync(blocker, "");
    newWave(2024);
    const run = await refresh({ ...ws.env, YIPANQI_SITE: join(blocker, "site") });
    expect(run.code).toBe(6);
    expect(run.out).toMatch(/未发布：无法创建构建目录：.*(路径不是目录|ENOTDIR)/);
    expectStoreWhole(ws.data);
  }, 600_000);

  const probe = tempDir();
  const canMount =
    process.getuid?.() === 0 &&
    spawnSync("mount", ["-t", "tmpfs", "-o", "size=1m", "tmpfs", probe]).status === 0 &&
    spawnSync("umount", [probe]).status === 0;
  it.skipIf(!canMount)(
    "a full disk fails the build with a clear message and keeps the published site (needs root for a tmpfs)",
    async () => {
      const tiny = tempDir();
      expect(spawnSync("mount", ["-t", "tmpfs", "-o", "size=256k", "tmpfs", tiny]).status).toBe(0);
      try {
        const run = await refresh({ ...ws.env, YIPANQI_SITE: tiny });
        expect(run.code === 5 || run.code === 6).toBe(true);
        expect(run.out).toMatch(/磁盘已满/);
      } finally {
        spawnSync("umount", ["-l", tiny]);
      }
    },
    600_000
  );
});
