// The tarball an archive loader writes (pipeline/publish/archive.ts), read back by the system's tar, as Framework's
// extractor (tar-stream) reads it: same names, same bytes, deterministic.
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tarArchive } from "../../pipeline/publish/archive.ts";

const entries = [
  { name: "U001.json", content: JSON.stringify({ unit: "市委办公室", index: 63.3 }) },
  { name: "U002.json", content: "x".repeat(512) }, // exactly one block: no padding
  { name: "sub/empty.json", content: "" }
];

function tar(args: string[], file: string) {
  const r = spawnSync("tar", [...args, "-f", file], { encoding: "utf8" });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout;
}

describe("tarArchive", () => {
  const dir = mkdtempSync(join(tmpdir(), "yipanqi-tar-"));
  const file = join(dir, "units.tar");
  const bytes = tarArchive(entries);
  writeFileSync(file, bytes);

  it("is a tarball tar lists and extracts byte for byte", () => {
    expect(tar(["-t"], file).trim().split("\n")).toEqual(entries.map((e) => e.name));
    for (const e of entries) expect(tar(["-xO", e.name], file)).toBe(e.content);
    expect(bytes.length % 512).toBe(0);
  }, 60_000); // spawns tar once per entry: generous for a busy machine

  it("is the same bytes for the same entries", () => {
    expect(tarArchive(entries).equals(bytes)).toBe(true);
  });

  it("refuses names a reader could not take back safely, and duplicates", () => {
    expect(() => tarArchive([{ name: "../x.json", content: "" }])).toThrow(/not allowed/);
    expect(() => tarArchive([{ name: "/etc/x", content: "" }])).toThrow(/not allowed/);
    expect(() => tarArchive([{ name: "a".repeat(101), content: "" }])).toThrow(/not allowed/);
    expect(() =>
      tarArchive([
        { name: "a.json", content: "" },
        { name: "a.json", content: "" }
      ])
    ).toThrow(/duplicate/);
  });
});
