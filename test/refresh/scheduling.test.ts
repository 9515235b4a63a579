// The scheduling examples in deploy/ are real: the systemd units pass `systemd-analyze verify`, and the commands the
// cron line and the service run are run here, as written, on a private copy of the sample (no cron or systemd daemon
// runs on a build machine, so the schedule itself is not waited for).
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { tempDir } from "../helpers/mini-exports.ts";
import { writeSampleData } from "../helpers/sample-data.ts";

const ROOT = resolve(import.meta.dirname, "../..");
const DEPLOY = join(ROOT, "deploy");
const hasSystemd = spawnSync("systemd-analyze", ["--version"]).status === 0;

function workspace() {
  const dir = tempDir("yipanqi-schedule-");
  const data = join(dir, "data");
  writeSampleData(data, [2019, 2020]);
  return { dir, data, site: join(dir, "site") };
}

describe("deploy/", () => {
  it.skipIf(!hasSystemd)(
    "systemd units verify (after the install-time edits of User and WorkingDirectory)",
    () => {
      const dir = tempDir();
      for (const unit of ["yipanqi-refresh.service", "yipanqi-refresh.timer"]) {
        const text = readFileSync(join(DEPLOY, "systemd", unit), "utf8")
          .replace("User=yipanqi", "User=root")
          .replace("WorkingDirectory=/srv/yipanqi", `WorkingDirectory=${ROOT}`);
        writeFileSync(join(dir, unit), text);
      }
      const verify = spawnSync(
        "systemd-analyze",
        ["verify", join(dir, "yipanqi-refresh.service"), join(dir, "yipanqi-refresh.timer")],
        { encoding: "utf8" }
      );
      expect(verify.stderr.split("\n").filter((l) => /yipanqi/.test(l))).toEqual([]);
      expect(verify.status).toBe(0);
      expect(readFileSync(join(DEPLOY, "systemd", "yipanqi-refresh.timer"), "utf8")).toMatch(
        /OnCalendar=\*-\*-\* 02:30:00/
      );
    },
    120_000
  ); // spawns systemd-analyze

  it("the cron line and the service's ExecStart run the refresh: the first builds and publishes, the second does nothing", () => {
    const ws = workspace();
    const cron = readFileSync(join(DEPLOY, "cron", "yipanqi-refresh"), "utf8")
      .split("\n")
      .find((l) => /^[*\d]/.test(l))!;
    const fields = cron.split(/\s+/);
    expect(fields.slice(0, 5)).toEqual(["*/30", "7-19", "*", "*", "1-5"]);
    expect(fields[5]).toBe("yipanqi");
    const command = fields
      .slice(6)
      .join(" ")
      .replace("cd /srv/yipanqi", `cd ${ROOT}`)
      .replace("YIPANQI_SITE=/srv/yipanqi/site", `YIPANQI_SITE=${ws.site}`);
    const env = { ...process.env, YIPANQI_DATA: ws.data, PATH: process.env.PATH };
    const first = spawnSync("sh", ["-c", command], { env, encoding: "utf8", timeout: 15 * 60_000 });
    expect([0, 1], first.stderr + first.stdout).toContain(first.status);
    expect(existsSync(join(ws.site, "current", "index.html"))).toBe(true);
    expect(readFileSync(join(ws.data, "refresh.log"), "utf8")).toContain("已发布");

    const service = readFileSync(join(DEPLOY, "systemd", "yipanqi-refresh.service"), "utf8");
    const exec = /^ExecStart=(.*)$/m.exec(service)![1];
    const success = /^SuccessExitStatus=(.*)$/m.exec(service)![1].split(/\s+/).map(Number);
    const second = spawnSync("sh", ["-c", exec], {
      cwd: ROOT,
      env: { ...env, YIPANQI_SITE: ws.site },
      encoding: "utf8",
      timeout: 5 * 60_000
    });
    expect([0, ...success]).toContain(second.status);
    expect(readFileSync(join(ws.data, "refresh.log"), "utf8")).toContain("没有新内容");
  }, 900_000);
});
