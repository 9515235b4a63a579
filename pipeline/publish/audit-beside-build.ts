// The refresh's disclosure audit, run beside the one pass and Framework's build instead of after them (docs/scale.md,
// "The audit beside Framework's build" and "The audit beside the pass").
// - The audit (audit.ts) is a function of the data files a build publishes (each one's path under data/ and its bytes,
//   in path order) and of the codebook and roster (AuditContext).
// - Those files exist before Framework starts: the one pass writes the data files into Framework's cache, which the
//   build copies into _file/data, and the unit files are in memory until they are written after the build. So a
//   worker thread audits them on the machine's other core: the refresh gives it each file as the pass makes it, and
//   the worker reads it then (auditOne), while the pass goes on; when the pass is over, it puts them together while
//   Framework builds (auditRead).
// - The worker first says which files it read (their digest), then its findings. After the build the refresh reads
//   what the build really publishes. When those are exactly the files the worker read (the same paths, the same
//   sha256 each), the worker's findings are the build's. Otherwise (Framework ran a loader of its own, a file differs
//   or is missing, the worker failed or never said what it read) the worker is stopped and the build is audited in
//   full on this thread, as before. So the gate still rests on the published bytes alone; the worker only saves
//   waiting for it.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { Worker } from "node:worker_threads";
import {
  auditFiles,
  auditOne,
  auditRead,
  publishedDataFiles,
  type AuditContext,
  type FileAudit,
  type Finding
} from "./audit.ts";

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

/** The worker's two messages: which files it read, then its findings over them. */
export type AuditMessage = { digest: string } | { findings: Finding[] };

/** What the worker is sent: files to read now (any number of times), then that there are no more. */
export type AuditRequest = { add: FilesToAudit } | { end: true };

/** A file's line in the digest: its path and its content's sha256. */
const digestLine = (path: string, bytes: Uint8Array) => `${path}\0${createHash("sha256").update(bytes).digest("hex")}`;
const digestOfLines = (lines: string[]) => createHash("sha256").update(lines.sort().join("\n")).digest("hex");

/** One sha256 over every file's path and content sha256, in path order: equal digests mean the same files. */
export function filesDigest(files: readonly AuditedFile[]): string {
  return digestOfLines(files.map((f) => digestLine(f.path, f.bytes)));
}

/**
 * The worker's task, callable without a worker: each file is read through its contract when it is given (`add`);
 * `end` says which files were read (`post({ digest })`), then puts them together and posts the findings. The findings
 * are those of auditFiles over the same files, in whatever order and batches they came.
 */
export class AuditAsGiven {
  private readonly lines: string[] = [];
  private readonly read: FileAudit[] = [];

  add(files: FilesToAudit): void {
    for (const f of files.onDisk) this.one(f.path, readFileSync(f.absolute));
    for (const f of files.inMemory) this.one(f.path, Buffer.from(f.text));
  }

  end(ctx: AuditContext, post: (message: AuditMessage) => void): void {
    post({ digest: digestOfLines(this.lines) });
    post({ findings: auditRead(this.read, ctx) });
  }

  private one(path: string, bytes: Uint8Array): void {
    this.lines.push(digestLine(path, bytes));
    this.read.push(auditOne(path, bytes));
  }
}

/** An audit running in a worker thread. Each promise resolves to null when the worker fails or is stopped first. */
export interface RunningAudit {
  digest: Promise<string | null>;
  findings: Promise<Finding[] | null>;
  /** Gives the worker more files to read (before `end`). */
  add: (files: FilesToAudit) => void;
  /** Says there are no more files: the worker then says which it read, and audits them together. */
  end: () => void;
  /** Ends the worker (at once if it is still auditing); safe to call more than once. */
  stop: () => Promise<void>;
}

const NOT_STARTED: RunningAudit = {
  digest: Promise.resolve(null),
  findings: Promise.resolve(null),
  add: () => undefined,
  end: () => undefined,
  stop: async () => undefined
};

/**
 * The bundled worker's address, where this module runs from a bundle of pipeline/cli/run.mjs: esbuild puts it in place
 * of the name at bundling. Through tsx the name is never defined.
 */
declare const YIPANQI_AUDIT_WORKER: string | undefined;

/** The worker's script: the bundle of audit-worker.ts, or the script that loads it through tsx. */
export function workerScript(): URL {
  return typeof YIPANQI_AUDIT_WORKER === "string"
    ? new URL(YIPANQI_AUDIT_WORKER)
    : new URL("./audit-worker.mjs", import.meta.url);
}

/**
 * Starts a worker thread that audits the files it is given as they come (AuditAsGiven): `add` them, then `end`. A
 * worker that cannot start, or fails, gives null, and the build is audited here instead (auditPublished).
 */
export function openAuditBeside(ctx: AuditContext): RunningAudit {
  let worker: Worker;
  try {
    worker = new Worker(workerScript(), { workerData: { ctx } });
  } catch {
    return NOT_STARTED;
  }
  let digestOf: (d: string | null) => void = () => undefined;
  let findingsOf: (f: Finding[] | null) => void = () => undefined;
  const digest = new Promise<string | null>((resolve) => (digestOf = resolve));
  const findings = new Promise<Finding[] | null>((resolve) => (findingsOf = resolve));
  const failed = () => {
    digestOf(null); // a promise settles once: after the messages, these change nothing
    findingsOf(null);
  };
  worker.on("message", (m: AuditMessage) => ("digest" in m ? digestOf(m.digest) : findingsOf(m.findings)));
  worker.once("error", failed);
  worker.once("exit", failed);
  // A worker that has exited drops what it is sent: its promises are already null.
  const send = (request: AuditRequest) => worker.postMessage(request);
  return {
    digest,
    findings,
    add: (files) => send({ add: files }),
    end: () => send({ end: true }),
    stop: async () => {
      failed();
      await worker.terminate();
    }
  };
}

/** Starts auditing `files` in a worker thread, all given at once (openAuditBeside). */
export function startAuditBeside(files: FilesToAudit, ctx: AuditContext): RunningAudit {
  const audit = openAuditBeside(ctx);
  audit.add(files);
  audit.end();
  return audit;
}

/**
 * How long, after the build, to wait for each of the worker's two messages. Reading the files takes about a second at
 * 5,000 units and the audit about four, both shorter than the pass and the build: a worker still silent a minute
 * after the build is stuck (in loading its modules) or starved (it runs at a lower priority, and another program takes
 * the cores), and the main thread audits at once instead. Only time is at stake, never the verdict.
 */
export const WORKER_WAIT_MS = 60_000;

/**
 * The findings over the data files `distDir` publishes: the worker's, when it read exactly these files; otherwise
 * from auditing them here (the worker is then stopped). `reused` says which; `files` is how many data files the build
 * publishes. The worker is stopped before this returns.
 */
export async function auditPublished(
  distDir: string,
  ctx: AuditContext,
  beside: RunningAudit | undefined,
  waitMs = WORKER_WAIT_MS
): Promise<{ findings: Finding[]; reused: boolean; files: number }> {
  const published = publishedDataFiles(distDir).map((f) => ({ path: f.path, bytes: readFileSync(f.absolute) }));
  const files = published.length;
  try {
    const read = beside ? await withDeadline(beside.digest, waitMs) : null;
    if (read !== null && read === filesDigest(published)) {
      const findings = await withDeadline(beside!.findings, waitMs);
      if (findings) return { findings, reused: true, files };
    }
  } finally {
    await beside?.stop();
  }
  return { findings: auditFiles(published, ctx), reused: false, files };
}

/** The promise's value, or null when it has not come within `ms`. */
async function withDeadline<T>(promise: Promise<T | null>, ms: number): Promise<T | null> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), ms)));
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** The log's line on how the build was audited (the refresh adds how long it waited after the build). */
export function auditSummary(audit: { reused: boolean; files: number }): string {
  return audit.reused
    ? `匿名保护检查：与构建同时进行，检查的正是发布的 ${audit.files} 个数据文件`
    : `匿名保护检查：构建后检查全部发布的 ${audit.files} 个数据文件`;
}
