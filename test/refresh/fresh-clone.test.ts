// npm run refresh on a fresh clone (issue 11, item 14): no export in the inbox and an empty store. A scheduled refresh
// publishes, so it never publishes the seeded sample (npm run dev/build show it to try the workspace): it refuses in
// one line saying what to put where, with exit 2 ("no answers at all: nothing built"), and builds nothing.
import { spawn } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { tempDir } from "../helpers/mini-exports.ts";

const ROOT = resolve(import.meta.dirname, "../..");
/** A child process on a busy 2-core machine (tsx start-up, DuckDB): generous, never a reason to fail. */
const SPAWN_TIMEOUT = 120_000;

function refresh(env: NodeJS.ProcessEnv): Promise<{ code: number | null; out: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ["pipeline/cli/run.mjs", "refresh"], {
      cwd: ROOT,
      env,
      stdio: ["ignore", "pipe", "pipe"]
    });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    child.on("close", (code) => done({ code, out }));
  });
}

/** A data folder as a fresh clone has it: codebook, roster and indicators, nothing else. */
function freshClone(withEmptyInbox: boolean) {
  const dir = tempDir("yipanqi-fresh-");
  const data = join(dir, "data");
  mkdirSync(data);
  for (const f of ["codebook.json", "roster.csv", "indicators.json"])
    copyFileSync(join(ROOT, "data", f), join(data, f));
  if (withEmptyInbox) mkdirSync(join(data, "surveys"));
  return {
    data,
    site: join(dir, "site"),
    env: { ...process.env, YIPANQI_DATA: data, YIPANQI_SITE: join(dir, "site") }
  };
}

describe("npm run refresh on a fresh clone", () => {
  it.each([
    ["no data/surveys folder", false],
    ["an empty data/surveys folder", true]
  ])(
    "with %s refuses in one line saying what to put where (exit 2), and builds nothing",
    async (_what, withEmptyInbox) => {
      const ws = freshClone(withEmptyInbox);
      const run = await refresh(ws.env);
      expect(run.code).toBe(2);
      const lines = run.out.trim().split("\n");
      expect(lines, run.out).toHaveLength(1);
      expect(lines[0]).toContain(join(ws.data, "surveys"));
      expect(lines[0]).toMatch(
        /没有问卷导出文件.*请把问卷星导出的 \.xls\/\.xlsx\/\.csv 文件放进 .*surveys.*npm run dev/
      );
      expect(run.out).not.toMatch(/文件不存在|文件未导入/);
      expect(existsSync(join(ws.site, "current"))).toBe(false);
      expect(existsSync(join(ws.data, "surveys")) ? readdirSync(join(ws.data, "surveys")) : []).toEqual([]); // no sample written
    },
    SPAWN_TIMEOUT
  );
});
