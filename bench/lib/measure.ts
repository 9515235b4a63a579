// Runs one step of the bench as a child process and measures it: wall time, the peak resident memory of the largest
// process of the step (GNU time's %M: the step and every child it waited for), and the peak of the whole process tree
// together (the step's processes summed, sampled from /proc every 100 ms), so a build that runs loaders beside
// Framework counts them all. Output lines are timestamped as they arrive, for phase timings.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface Measured {
  code: number | null;
  signal: string | null;
  wallMs: number;
  /** largest single process (GNU time %M), KB */
  maxRssKb: number | null;
  /** sum over the process tree, sampled, KB */
  treePeakRssKb: number;
  stdout: string;
  stderr: string;
  /** every output line (stdout and stderr) with its arrival time in ms since the start */
  lines: { ms: number; line: string }[];
  timedOut: boolean;
}

export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
  /** where stdout goes when it is large (a loader's output): counted, not kept */
  discardStdout?: boolean;
  onLine?: (line: string) => void;
}

const GNU_TIME = "/usr/bin/time";

/** Resident memory (KB) of every process below `root` (root included), read from /proc. */
export function treeRssKb(root: number): number {
  const children = new Map<number, number[]>();
  const rss = new Map<number, number>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      // pid (comm) state ppid …: comm may hold spaces and parentheses, so read after the last ')'
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      const ppid = Number(fields[1]);
      const pages = Number(fields[21]);
      const pid = Number(entry);
      rss.set(pid, (pages * 4096) / 1024);
      if (!children.has(ppid)) children.set(ppid, []);
      children.get(ppid)!.push(pid);
    } catch {
      // the process ended while we looked
    }
  }
  let sum = 0;
  const stack = [root];
  while (stack.length) {
    const pid = stack.pop()!;
    sum += rss.get(pid) ?? 0;
    stack.push(...(children.get(pid) ?? []));
  }
  return sum;
}

export function runMeasured(command: string, args: string[], options: RunOptions = {}): Promise<Measured> {
  const useTime = existsSync(GNU_TIME);
  const dir = mkdtempSync(join(tmpdir(), "yipanqi-bench-"));
  const timeFile = join(dir, "time");
  const [cmd, argv] = useTime ? [GNU_TIME, ["-f", "%e %M", "-o", timeFile, command, ...args]] : [command, args];
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, argv, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ["ignore", "pipe", "pipe"],
      detached: true
    });
    let stdout = "";
    let stderr = "";
    const lines: Measured["lines"] = [];
    const pending = { out: "", err: "" };
    const take = (which: "out" | "err", chunk: Buffer) => {
      const text = chunk.toString("utf8");
      if (which === "out" && !options.discardStdout) stdout += text;
      if (which === "err") stderr += text;
      const parts = (pending[which] + text).split("\n");
      pending[which] = parts.pop() ?? "";
      const ms = performance.now() - started;
      for (const line of parts) {
        if (which === "out" && options.discardStdout) continue;
        lines.push({ ms, line });
        options.onLine?.(line);
      }
    };
    child.stdout.on("data", (c: Buffer) => take("out", c));
    child.stderr.on("data", (c: Buffer) => take("err", c));
    let treePeak = 0;
    const sample = () => {
      if (child.pid) treePeak = Math.max(treePeak, treeRssKb(child.pid));
    };
    const sampler = setInterval(sample, 100);
    let timedOut = false;
    const timer = options.timeoutMs
      ? setTimeout(() => {
          timedOut = true;
          try {
            process.kill(-child.pid!, "SIGKILL"); // the step's own process group: only what this step started
          } catch {
            // already gone
          }
        }, options.timeoutMs)
      : null;
    child.on("error", (e) => {
      clearInterval(sampler);
      if (timer) clearTimeout(timer);
      rmSync(dir, { recursive: true, force: true });
      reject(e);
    });
    child.on("close", (code, signal) => {
      clearInterval(sampler);
      if (timer) clearTimeout(timer);
      const wallMs = performance.now() - started;
      for (const which of ["out", "err"] as const) if (pending[which]) lines.push({ ms: wallMs, line: pending[which] });
      let maxRssKb: number | null = null;
      let exit: number | null = code;
      try {
        const text = readFileSync(timeFile, "utf8").trim().split("\n");
        // "Command exited with non-zero status N" or "Command terminated by signal N" come first when the step failed
        const last = text[text.length - 1].split(" ");
        maxRssKb = Number(last[1]);
        const status = /non-zero status (\d+)/.exec(text.join("\n"));
        if (status) exit = Number(status[1]);
        const killed = /terminated by signal (\d+)/.exec(text.join("\n"));
        if (killed) exit = 128 + Number(killed[1]);
      } catch {
        // no time file (time itself was killed)
      }
      rmSync(dir, { recursive: true, force: true });
      resolve({
        code: exit,
        signal,
        wallMs,
        maxRssKb,
        treePeakRssKb: Math.max(treePeak, maxRssKb ?? 0),
        stdout,
        stderr,
        lines,
        timedOut
      });
    });
  });
}

/** The last line of a step's stdout that is a JSON object (the steps print their result as one such line). */
export function jsonResult<T>(m: Measured): T | null {
  const line = m.stdout
    .trim()
    .split("\n")
    .reverse()
    .find((l) => l.startsWith("{"));
  if (!line) return null;
  try {
    return JSON.parse(line) as T;
  } catch {
    return null;
  }
}

/** Why a step failed, in a line: the exit, and the last lines of its error output. */
export function failureOf(m: Measured): string {
  const tail = m.stderr.trim().split("\n").filter(Boolean).slice(-3).join(" | ");
  const how = m.timedOut
    ? "timed out"
    : m.code === 134 || /heap out of memory/i.test(m.stderr)
      ? "ran out of JavaScript heap"
      : `exit ${m.code ?? m.signal}`;
  return `${how}${tail ? `: ${tail.slice(0, 400)}` : ""}`;
}

export const fmt = {
  ms(ms: number): string {
    if (ms < 1000) return `${Math.round(ms)} ms`;
    if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
    const m = Math.floor(ms / 60_000);
    return `${m} min ${Math.round((ms - m * 60_000) / 1000)} s`;
  },
  kb(kb: number): string {
    return kb >= 1024 * 1024 ? `${(kb / 1024 / 1024).toFixed(2)} GB` : `${Math.round(kb / 1024)} MB`;
  },
  bytes(b: number): string {
    if (b >= 1e9) return `${(b / 1e9).toFixed(2)} GB`;
    if (b >= 1e6) return `${(b / 1e6).toFixed(1)} MB`;
    return `${(b / 1e3).toFixed(0)} kB`;
  },
  rate(perSecond: number): string {
    return `${Math.round(perSecond).toLocaleString("en-US")} rows/s`;
  },
  ratio(x: number): string {
    return `${x.toFixed(x < 10 ? 2 : 1)}×`;
  },
  pct(x: number): string {
    return `${(x * 100).toFixed(x < 0.1 ? 1 : 0)}%`;
  }
};
