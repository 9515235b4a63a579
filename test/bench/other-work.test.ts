// The bench's measure of other work on the machine (bench/lib/other-work.ts): the kernel's counters read right, the
// bench's own children counted as its own, and the sentence the results print. Nothing here depends on how fast or
// how busy the machine is: a child's CPU time is compared with what the child itself reports.
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import {
  cpuSnapshot,
  machineBusySeconds,
  machineLoad,
  otherWorkBetween,
  processTreeSeconds
} from "../../bench/lib/other-work.ts";

describe("the CPU counters", () => {
  it("sum the busy fields of /proc/stat's aggregate line, not idle, iowait or steal", () => {
    const stat = "cpu  5761820 43786 850240 2740340 10132 0 4272 5960 0 0\ncpu0 1 2 3 4 5 6 7 8 9 10\nintr 1\n";
    // user + nice + system + irq + softirq, in ticks of 1/100 s
    expect(machineBusySeconds(stat)).toBeCloseTo((5761820 + 43786 + 850240 + 0 + 4272) / 100, 9);
  });

  it("sum utime, stime, cutime and cstime of a process, whatever its command name holds", () => {
    // fields 14–17 are 101, 202, 303 and 404 ticks; the name has a space and a parenthesis
    const stat = "824 (my (odd) cmd) R 820 820 22241 0 -1 4194304 127 0 0 0 101 202 303 404 20 0 1 0 4741918 3133440";
    expect(processTreeSeconds(stat)).toBeCloseTo((101 + 202 + 303 + 404) / 100, 9);
  });

  it.runIf(process.platform === "linux")(
    "count a child the bench waited for as the bench's own work, not as other work",
    () => {
      const before = cpuSnapshot()!;
      // The child burns CPU until it has used 0.3 s of its own, then reports what it used
      const child = spawnSync(
        process.execPath,
        [
          "-e",
          "let x = 0; while (process.cpuUsage().user < 300000) x += Math.sqrt(x + 1); const u = process.cpuUsage(); console.log((u.user + u.system) / 1e6)"
        ],
        { encoding: "utf8", timeout: 120_000 }
      );
      expect(child.status).toBe(0);
      const after = cpuSnapshot()!;
      const childSeconds = Number(child.stdout.trim());
      expect(childSeconds).toBeGreaterThanOrEqual(0.3);
      // the kernel counts in ticks of 10 ms: allow two
      expect(after.own - before.own).toBeGreaterThanOrEqual(childSeconds - 0.02);
      expect(after.machineBusy - before.machineBusy).toBeGreaterThanOrEqual(childSeconds - 0.02);
      const other = otherWorkBetween(before, after, 2);
      expect(other.cpuSeconds).toBeGreaterThanOrEqual(0);
      expect(other.share).toBeGreaterThanOrEqual(0);
    },
    180_000
  );
});

describe("the sentence on the machine's load", () => {
  const size = (label: string, load: number, share?: number) => ({
    label,
    loadBefore: [load, load, load],
    otherWork: share === undefined ? undefined : { cpuSeconds: share * 100, share }
  });

  it("gives each size's CPU used by other work, as an upper bound, without a verdict the counters cannot support", () => {
    const text = machineLoad([size("10k", 0.2, 0.01), size("1M", 2.6, 0.2)], 2);
    expect(text).toContain("10k 1.0 CPU-s (1.0%), 1M 20.0 CPU-s (20.0%)");
    expect(text).toContain("an upper bound");
    expect(text).not.toMatch(/pessimistic|idle/);
  });

  it("falls back to the load average, saying what it counts, for results without the counters", () => {
    expect(machineLoad([size("10k", 2.6), size("1M", 0.3, 0.01)], 2)).toContain(
      "by the load average, which counts the bench's own previous step too"
    );
    expect(machineLoad([size("10k", 0.2)], 2)).toContain("(idle)");
  });
});
