// The audit beside the build (pipeline/publish/audit-beside-build.ts) with a stand-in for the worker: the worker's
// findings are taken only when it said it read exactly the published files and then gave them; in every other case
// the build is audited here, and the worker is stopped. (The real worker on a real build: disclosure-audit.test.ts.)
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  AuditAsGiven,
  auditPublished,
  filesDigest,
  type AuditMessage,
  type RunningAudit
} from "../../pipeline/publish/audit-beside-build.ts";
import { auditFiles, type Finding } from "../../pipeline/publish/audit.ts";
import { tempDir } from "../helpers/mini-exports.ts";

const ctx = { minGroupSize: 5, units: [], attributes: new Map<string, string[]>() };

/** A build that publishes one data file no contract describes: auditing it finds exactly that. */
function build(): { dist: string; digest: string } {
  const dist = tempDir("yipanqi-beside-");
  mkdirSync(join(dist, "_file", "data"), { recursive: true });
  const bytes = Buffer.from("[]");
  writeFileSync(join(dist, "_file", "data", "extra.0123abcd.json"), bytes);
  return { dist, digest: filesDigest([{ path: "extra.json", bytes }]) };
}

/** A stand-in worker that says `digest` and then gives `findings` (null: it died first); counts its stops. */
function worker(digest: string | null, findings: Finding[] | null) {
  const stand = { stops: 0 };
  const audit: RunningAudit = {
    digest: Promise.resolve(digest),
    findings: Promise.resolve(findings),
    add: () => undefined,
    end: () => undefined,
    stop: async () => void stand.stops++
  };
  return { audit, stand };
}

const NO_CONTRACT = [expect.objectContaining({ rule: "contract", file: "extra.json" })];

describe("taking the worker's verdict", () => {
  it("takes its findings when it read exactly the published files, and stops it", async () => {
    const { dist, digest } = build();
    const said: Finding[] = [{ rule: "small_group", message: "the worker's own" }];
    const { audit, stand } = worker(digest, said);
    expect(await auditPublished(dist, ctx, audit)).toEqual({ findings: said, reused: true, files: 1 });
    expect(stand.stops).toBe(1);
  });

  it("audits here when the worker read other files, died after saying which, or never said", async () => {
    const { dist, digest } = build();
    for (const [label, w] of [
      ["other files", worker("0".repeat(64), [])],
      ["died before its findings", worker(digest, null)],
      ["never said", worker(null, [])]
    ] as const) {
      expect(await auditPublished(dist, ctx, w.audit), label).toEqual({
        findings: NO_CONTRACT,
        reused: false,
        files: 1
      });
      expect(w.stand.stops, label).toBe(1);
    }
  });

  it("audits here when the worker said it read the files but gives no findings within the wait", async () => {
    const { dist, digest } = build();
    const stand = { stops: 0 };
    const silent: RunningAudit = {
      digest: Promise.resolve(digest),
      findings: new Promise<null>(() => undefined), // starved or stuck: never comes
      add: () => undefined,
      end: () => undefined,
      stop: async () => void stand.stops++
    };
    expect(await auditPublished(dist, ctx, silent, 50)).toEqual({ findings: NO_CONTRACT, reused: false, files: 1 });
    expect(stand.stops).toBe(1);
  });

  it("fails, rather than publish unread, when the build's data folder cannot be read", async () => {
    const dist = tempDir("yipanqi-beside-");
    mkdirSync(join(dist, "_file"));
    writeFileSync(join(dist, "_file", "data"), "not a folder"); // readdir fails (ENOTDIR)
    await expect(auditPublished(dist, ctx, undefined)).rejects.toThrow(/ENOTDIR/);
    const empty = tempDir("yipanqi-beside-"); // no _file/data at all: a build without data files
    expect(await auditPublished(empty, ctx, undefined)).toEqual({ findings: [], reused: false, files: 0 });
  });

  it("audits here when there is no worker", async () => {
    const { dist } = build();
    expect(await auditPublished(dist, ctx, undefined)).toEqual({ findings: NO_CONTRACT, reused: false, files: 1 });
  });
});

describe("the worker's task, files given as they come", () => {
  it("gives auditFiles' findings and the files' digest, whatever the order and batches the files came in", () => {
    const dir = tempDir("yipanqi-as-given-");
    // Two files no contract describes, and one with a respondent id in it: each gives findings of its own.
    const texts: Record<string, string> = { "b.json": "[]", "a.json": "[1]", "c.json": '["5f2b9c1d7e3a-17"]' };
    for (const [name, text] of Object.entries(texts)) writeFileSync(join(dir, name), text);
    const files = Object.entries(texts).map(([path, text]) => ({ path, bytes: Buffer.from(text) }));
    const audit = new AuditAsGiven();
    audit.add({ onDisk: [{ path: "c.json", absolute: join(dir, "c.json") }], inMemory: [] });
    audit.add({
      onDisk: [{ path: "b.json", absolute: join(dir, "b.json") }],
      inMemory: [{ path: "a.json", text: "[1]" }]
    });
    const said: AuditMessage[] = [];
    audit.end(ctx, (m) => said.push(m));
    const expected = auditFiles(files, ctx);
    expect(expected.map((f) => [f.rule, f.file])).toEqual([
      ["contract", "a.json"],
      ["contract", "b.json"],
      ["respondent_level", "c.json"],
      ["contract", "c.json"]
    ]);
    expect(said).toEqual([{ digest: filesDigest(files) }, { findings: expected }]);
  });
});
