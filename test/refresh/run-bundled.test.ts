// pipeline/cli/run.mjs, which every npm script of pipeline/cli goes through (package.json): a command run from its
// bundle sees what it sees through tsx (its arguments, its own source file's address, the project root), starts the
// audit's worker from the worker's own bundle, which works, and exits with the command's code. The refresh run so is
// tested in refresh.test.ts.
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { tempDir } from "../helpers/mini-exports.ts";

const ROOT = fileURLToPath(new URL("../..", import.meta.url)).replace(/\/$/, "");
const PROBE = join(ROOT, "test/helpers/run-probe.ts");
const BUNDLES = join(ROOT, "node_modules/.cache/yipanqi-cli");

function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env) {
  const out = spawnSync(command, args, { cwd: ROOT, env, encoding: "utf8", timeout: 300_000 });
  return { status: out.status, seen: JSON.parse(out.stdout.trim().split("\n").at(-1) ?? "null"), stderr: out.stderr };
}

describe("node pipeline/cli/run.mjs", () => {
  it("runs a command from its bundle as tsx runs it, with the audit worker bundled too", () => {
    const bundled = run(process.execPath, ["pipeline/cli/run.mjs", "test/helpers/run-probe.ts", "--unit", "B1"]);
    const viaTsx = run(join(ROOT, "node_modules/.bin/tsx"), [PROBE, "--unit", "B1"]);
    for (const r of [bundled, viaTsx]) {
      expect(r.status, r.stderr).toBe(7);
      expect(r.seen.argv).toEqual([PROBE, "--unit", "B1"]);
      expect(r.seen.metaUrl).toBe(pathToFileURL(PROBE).href);
      expect(r.seen.root).toBe(ROOT);
      expect(r.seen.findings).toEqual([["contract", "extra.json"]]);
    }
    expect(viaTsx.seen.worker).toBe(pathToFileURL(join(ROOT, "pipeline/publish/audit-worker.mjs")).href);
    const worker = fileURLToPath(bundled.seen.worker);
    expect(worker.startsWith(BUNDLES + "/")).toBe(true);
    const code = readFileSync(worker, "utf8");
    expect(code).toMatch(/AuditAsGiven = class|class AuditAsGiven/); // the audit itself, not a loader of it
    expect(code).not.toMatch(/tsImport|from "tsx/);
  }, 300_000);

  it("writes a bundle once, under the name of its content, and writes again one a crash cut short", () => {
    // a folder of this test's own (inside the project, where the bundles' packages resolve): other tests bundle too
    const folder = join(ROOT, "node_modules/.cache", `yipanqi-cli-test-${process.pid}`);
    const env = { ...process.env, YIPANQI_CLI_BUNDLES: folder };
    try {
      const first = run(process.execPath, ["pipeline/cli/run.mjs", "test/helpers/run-probe.ts"], env);
      expect(first.status, first.stderr).toBe(7);
      const files = readdirSync(folder).sort();
      expect(files).toHaveLength(2); // the probe's and the worker's, nothing left over
      const inodes = files.map((f) => statSync(join(folder, f)).ino);
      const again = run(process.execPath, ["pipeline/cli/run.mjs", "test/helpers/run-probe.ts"], env);
      expect(again.status, again.stderr).toBe(7);
      expect(readdirSync(folder).sort()).toEqual(files);
      expect(files.map((f) => statSync(join(folder, f)).ino)).toEqual(inodes); // not written again
      const worker = fileURLToPath(again.seen.worker);
      expect(worker.startsWith(folder + "/")).toBe(true);
      const whole = readFileSync(worker);
      truncateSync(worker, 100); // as a crash before the bytes reached the disk could leave it
      const cut = run(process.execPath, ["pipeline/cli/run.mjs", "test/helpers/run-probe.ts"], env);
      expect(cut.status, cut.stderr).toBe(7);
      expect(cut.seen.findings).toEqual([["contract", "extra.json"]]);
      expect(readFileSync(worker).equals(whole)).toBe(true);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  }, 300_000);

  it("runs the command through tsx where its bundles cannot be written", () => {
    const notAFolder = join(tempDir("yipanqi-run-"), "file");
    writeFileSync(notAFolder, "");
    const env = { ...process.env, YIPANQI_CLI_BUNDLES: join(notAFolder, "bundles") };
    const r = run(process.execPath, ["pipeline/cli/run.mjs", "test/helpers/run-probe.ts", "--unit", "B1"], env);
    expect(r.status, r.stderr).toBe(7);
    expect(r.seen.argv).toEqual([PROBE, "--unit", "B1"]);
    expect(r.seen.metaUrl).toBe(pathToFileURL(PROBE).href);
    expect(r.seen.worker).toBe(pathToFileURL(join(ROOT, "pipeline/publish/audit-worker.mjs")).href);
    expect(r.seen.findings).toEqual([["contract", "extra.json"]]);
  }, 300_000);

  it("says how to use it when no command is given, or one that does not exist (exit 2)", () => {
    const options = { cwd: ROOT, encoding: "utf8", timeout: 300_000 } as const;
    const none = spawnSync(process.execPath, ["pipeline/cli/run.mjs"], options);
    expect(none.status).toBe(2);
    expect(none.stderr).toMatch(/用法：node pipeline\/cli\/run\.mjs <命令>/);
    const typo = spawnSync(process.execPath, ["pipeline/cli/run.mjs", "refrsh"], options);
    expect(typo.status).toBe(2);
    expect(typo.stderr).toMatch(/没有命令 refrsh：可用的命令为 .*refresh/);
  }, 300_000);
});
