// The refresh's disclosure audit, run beside Framework's build instead of after it (docs/scale.md, "The audit beside
// the build").
// - The audit (audit.ts) is a function of the data files a build publishes (each one's path under data/ and its bytes)
//   and of the codebook and roster (AuditContext).
// - Those files exist before Framework starts: the one pass wrote the data files into Framework's cache, which the
//   build copies into _file/data, and the unit files are in memory until they are written after the build. So a
//   worker thread audits them while Framework builds, on the machine's other core.
// - After the build the refresh reads what the build really publishes. When those files are exactly the files the
//   worker audited (the same paths, the same sha256 each), the worker's findings are the build's. Otherwise (Framework
//   ran a loader of its own, a file differs or is missing, or the worker failed) the build is audited in full on this
//   thread, as before. So the gate still rests on the published bytes alone; the worker only saves waiting for it.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { Worker } from "node:worker_threads";
import { auditFiles, publishedDataFiles, type AuditContext, type Finding } from "./audit.ts";

/** A data file as the audit reads it: its path under data/ (no content hash) and its bytes. */
export interface AuditedFile {
  path: string;
  bytes: Uint8Array;
}

/** What the worker is given: files to read from disk (path under data/ → absolute path) and files in memory. */
export interface FilesToAudit {
  onDisk: { path: string; absolute: string }[];
  inMemory: { path: string; text: string }[];
}

/** The worker's verdict: the findings over the files it read, and which files those were (filesDigest). */
export interface AuditBeside {
  digest: string;
  findings: Finding[];
}

/** One sha256 over every file's path and content sha256, in path order: equal digests mean the same files. */
export function filesDigest(files: readonly AuditedFile[]): string {
  const lines = files.map((f) => `${f.path}\0${createHash("sha256").update(f.bytes).digest("hex")}`).sort();
  return createHash("sha256").update(lines.join("\n")).digest("hex");
}

/** Reads the files (as the worker does) and audits them: the worker's whole task, callable without a worker. */
export function auditGiven(files: FilesToAudit, ctx: AuditContext): AuditBeside {
  const read: AuditedFile[] = [
    ...files.onDisk.map((f) => ({ path: f.path, bytes: readFileSync(f.absolute) })),
    ...files.inMemory.map((f) => ({ path: f.path, bytes: Buffer.from(f.text) }))
  ];
  return { digest: filesDigest(read), findings: auditFiles(read, ctx) };
}

/** An audit running in a worker thread; `stop` ends it early (a build that failed needs no verdict). */
export interface RunningAudit {
  result: Promise<AuditBeside | null>;
  stop: () => Promise<void>;
}

/**
 * Starts auditing `files` in a worker thread. Resolves to null when the worker cannot start or fails: the caller then
 * audits the build itself (auditPublished).
 */
export function startAuditBeside(files: FilesToAudit, ctx: AuditContext): RunningAudit {
  let worker: Worker;
  try {
    worker = new Worker(new URL("./audit-worker.mjs", import.meta.url), { workerData: { files, ctx } });
  } catch {
    return { result: Promise.resolve(null), stop: async () => undefined };
  }
  const result = new Promise<AuditBeside | null>((resolve) => {
    worker.once("message", (verdict: AuditBeside) => resolve(verdict));
    worker.once("error", () => resolve(null));
    worker.once("exit", () => resolve(null)); // after a message this changes nothing (a promise settles once)
  });
  return { result, stop: async () => void (await worker.terminate()) };
}

/**
 * The findings over the data files `distDir` publishes: the worker's, when it audited exactly these files; otherwise
 * from auditing them here. `reused` says which; `files` is how many data files the build publishes.
 */
export async function auditPublished(
  distDir: string,
  ctx: AuditContext,
  beside: RunningAudit | undefined
): Promise<{ findings: Finding[]; reused: boolean; files: number }> {
  const published = publishedDataFiles(distDir).map((f) => ({ path: f.path, bytes: readFileSync(f.absolute) }));
  const verdict = beside ? await beside.result : null;
  const files = published.length;
  if (verdict && verdict.digest === filesDigest(published)) return { findings: verdict.findings, reused: true, files };
  return { findings: auditFiles(published, ctx), reused: false, files };
}
