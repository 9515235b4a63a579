// Reads a V8 CPU profile (node --cpu-prof) into the functions that took the time: self time (where the CPU was) and
// total time (the function and what it called), each as a share of the profile, named file:line so a reader can go
// straight to the code. Used to explain a missed target.
import { readFileSync } from "node:fs";
import { relative } from "node:path";
import { fileURLToPath } from "node:url";

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface HotFunction {
  /** function name and where it is, e.g. `parseCsvRecords (pipeline/io/csv.ts:51)` */
  name: string;
  selfMs: number;
  totalMs: number;
  selfShare: number;
  totalShare: number;
}

export interface ProfileSummary {
  totalMs: number;
  /** the hottest functions by self time */
  self: HotFunction[];
  /** the project's own functions (pipeline/, src/, bench/) by total time */
  own: HotFunction[];
}

function frameName(frame: CallFrame, root: string): string {
  const name = frame.functionName || "(anonymous)";
  if (!frame.url) return name;
  let file = frame.url;
  try {
    if (file.startsWith("file://")) file = relative(root, fileURLToPath(file));
  } catch {
    // keep the URL as it is
  }
  file = file.replace(/^.*node_modules\//, "node_modules/");
  // tsx compiles TypeScript without line-preserving source maps in the profile: a line number there would mislead
  return /\.tsx?$/.test(file) ? `${name} (${file})` : `${name} (${file}:${frame.lineNumber + 1})`;
}

export function summarizeProfile(file: string, projectRoot: string, top = 12): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, "utf8")) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const selfByNode = new Map<number, number>();
  profile.samples.forEach((id, i) =>
    selfByNode.set(id, (selfByNode.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000)
  );
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  let sum = 0;
  for (const [id, ms] of selfByNode) {
    sum += ms;
    const node = byId.get(id)!;
    const name = frameName(node.callFrame, projectRoot);
    self.set(name, (self.get(name) ?? 0) + ms);
    // every distinct function on the stack gets this sample once (recursion counted once)
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const n = frameName(byId.get(cur)!.callFrame, projectRoot);
      if (seen.has(n)) continue;
      seen.add(n);
      total.set(n, (total.get(n) ?? 0) + ms);
    }
  }
  const row = (name: string): HotFunction => ({
    name,
    selfMs: self.get(name) ?? 0,
    totalMs: total.get(name) ?? 0,
    selfShare: (self.get(name) ?? 0) / (sum || 1),
    totalShare: (total.get(name) ?? 0) / (sum || 1)
  });
  const ignore = /^\((program|idle|garbage collector|root)\)/;
  const hot = [...self.keys()].filter((n) => !ignore.test(n)).sort((a, b) => self.get(b)! - self.get(a)!);
  const gc = self.get("(garbage collector)");
  const own = [...total.keys()]
    .filter((n) => /\((pipeline|src|bench)\//.test(n))
    .sort((a, b) => total.get(b)! - total.get(a)!);
  return {
    totalMs: sum,
    self: [...hot.slice(0, top).map(row), ...(gc ? [row("(garbage collector)")] : [])],
    own: own.slice(0, top).map(row)
  };
}
