// How much CPU other work took while the bench measured a size: the machine's busy time from the kernel's counters
// (/proc/stat) less the bench's own (this process and every child it has waited for, /proc/self/stat). The load
// average cannot tell the two apart: when a size starts, the previous size's own processes are still in it, so a
// quiet machine read as "shared with other work". The difference is an upper bound: the kernel's threads writing the
// bench's files back to disk, and helpers that outlive the process that started them (esbuild's service under tsx),
// count as other work. Linux only; elsewhere nothing is measured (null).
import { readFileSync } from "node:fs";

/** Linux reports CPU times in USER_HZ ticks, 100 per second on every architecture it runs on. */
const TICKS_PER_SECOND = 100;

export interface CpuSnapshot {
  /** CPU seconds the whole machine spent busy (user, nice, system, irq, softirq) since boot. */
  machineBusy: number;
  /** CPU seconds of this process and of its children it has waited for (and theirs). */
  own: number;
  /** Wall clock, seconds. */
  at: number;
}

export interface OtherWork {
  /** CPU seconds used by other processes over the interval. */
  cpuSeconds: number;
  /** Those seconds over the machine's capacity in the interval (cores × wall). */
  share: number;
}

/** Busy CPU seconds from the text of /proc/stat (its aggregate "cpu" line). */
export function machineBusySeconds(procStat: string): number {
  const line = procStat.split("\n").find((l) => l.startsWith("cpu "));
  if (!line) throw new Error("/proc/stat has no aggregate cpu line");
  const [user, nice, system, , , irq, softirq] = line.trim().split(/\s+/).slice(1).map(Number);
  return (user + nice + system + irq + softirq) / TICKS_PER_SECOND;
}

/** utime + stime + cutime + cstime from the text of /proc/<pid>/stat, in seconds. */
export function processTreeSeconds(pidStat: string): number {
  // The command name, in parentheses, may hold spaces and parentheses: the fields start after its last ")".
  // Then field 3 (state) is index 0, so utime (field 14) is index 11 and cstime (field 17) index 14.
  const fields = pidStat.slice(pidStat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) / TICKS_PER_SECOND;
}

export function cpuSnapshot(): CpuSnapshot | null {
  try {
    return {
      machineBusy: machineBusySeconds(readFileSync("/proc/stat", "utf8")),
      own: processTreeSeconds(readFileSync("/proc/self/stat", "utf8")),
      at: performance.now() / 1000
    };
  } catch {
    return null; // not Linux
  }
}

/**
 * Other work between two snapshots. Children still running at `after` are not yet in the bench's own time, so take
 * `after` once the bench's steps have all ended.
 */
export function otherWorkBetween(before: CpuSnapshot, after: CpuSnapshot, cores: number): OtherWork {
  const cpuSeconds = Math.max(0, after.machineBusy - before.machineBusy - (after.own - before.own));
  const capacity = cores * Math.max(after.at - before.at, 1e-9);
  return { cpuSeconds, share: cpuSeconds / capacity };
}

/**
 * What the results say about other work on the machine: the CPU counters where measured, else the load average,
 * which still holds the bench's own previous step.
 */
export function machineLoad(
  sizes: readonly { label: string; loadBefore: number[]; otherWork?: OtherWork }[],
  cores: number
): string {
  const load = `Load average at the start of each size: ${sizes.map((s) => `${s.label} ${s.loadBefore.map((x) => x.toFixed(1)).join("/")}`).join(", ")}`;
  if (sizes.length > 0 && sizes.every((s) => s.otherWork)) {
    const other = sizes.map(
      (s) => `${s.label} ${s.otherWork!.cpuSeconds.toFixed(1)} CPU-s (${(s.otherWork!.share * 100).toFixed(1)}%)`
    );
    // An upper bound, so no verdict: the machine's busy time also holds the kernel's work on the bench's behalf (writing
    // its files back to disk, interrupts) and helpers that outlive the process that started them (esbuild's service)
    return `${load}; CPU used by anything but the bench's own processes while each size ran (an upper bound: it includes the kernel writing the bench's files and helpers that outlive their parent), of the machine's capacity: ${other.join(", ")}.`;
  }
  // Older results, or not Linux: only the load average, which still holds the bench's own previous step
  const busy = sizes.some((s) => s.loadBefore[0] > cores * 0.5);
  return `${load} (${busy ? "busy, by the load average, which counts the bench's own previous step too" : "idle"}).`;
}
