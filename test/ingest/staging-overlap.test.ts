// The ingest reads the next file while DuckDB writes the previous file's Parquet parts (ingest-batch.ts), so a copy
// that fails is found only after the next file was read. The batch must still fail naming the file whose parts were
// not written, with the store as it was: no manifest listing a part that is not on disk, no staging folder left.
import { readdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import type { DuckDBConnection } from "@duckdb/node-api";
import { loadCodebook, loadRoster } from "../../pipeline/codebook/load.ts";
import { closeDuckDB, openDuckDB, queryRows } from "../../pipeline/io/duckdb.ts";
import { runIngest, StoreWriteError } from "../../pipeline/store/ingest-batch.ts";
import { attachStore } from "../../pipeline/store/store.ts";
import { MINI, tempDir } from "../helpers/mini-exports.ts";
import { cadres, TEXT_HEADER, textRow, writeWjxCsv } from "./steward-exports.ts";

/** What happened, in order: each file the ingest read, each copy of staged parts the connection was asked for. */
const events = vi.hoisted(() => [] as string[]);

vi.mock("../../pipeline/ingest/ingest-file.ts", async (importOriginal) => {
  const original = await importOriginal<typeof import("../../pipeline/ingest/ingest-file.ts")>();
  return {
    ...original,
    ingestFile: (file: string, options: Parameters<typeof original.ingestFile>[1]) => {
      events.push(`read ${basename(file)}`);
      return original.ingestFile(file, options);
    }
  };
});

const codebook = loadCodebook(MINI.codebook);
const roster = loadRoster(MINI.roster);
/** In-process ingests of a few small files, generous for a loaded machine. */
const INGEST_TIMEOUT = 60_000;

/**
 * A connection whose `failing`-th copy of a file's parts (respondent-parts.ts: one call, from the staged CSV text)
 * fails, as on a full disk; every such call is recorded in events.
 */
function failingCopy(conn: DuckDBConnection, failing: number): DuckDBConnection {
  let copies = 0;
  return new Proxy(conn, {
    get(target, key) {
      const value: unknown = Reflect.get(target, key, target);
      if (key !== "run") return typeof value === "function" ? value.bind(target) : value;
      return (sql: string, ...rest: []) => {
        if (!sql.trimStart().startsWith("COPY (SELECT * FROM read_csv(")) return target.run(sql, ...rest);
        copies++;
        events.push(`copy ${copies}${copies === failing ? " failed" : ""}`);
        return copies === failing ? Promise.reject(new Error("No space left on device")) : target.run(sql, ...rest);
      };
    }
  });
}

/** A store holding one earlier file, and two new files for the batch under test. */
async function storeAndBatch() {
  const dir = tempDir();
  const store = join(dir, "store");
  const conn = await openDuckDB();
  try {
    const first = writeWjxCsv(dir, "2019年问卷.csv", TEXT_HEADER, cadres(5).map(textRow));
    await runIngest(conn, { files: [first], codebook, roster, store });
  } finally {
    closeDuckDB(conn);
  }
  const files = [
    writeWjxCsv(dir, "2020年问卷.csv", TEXT_HEADER, cadres(4, 2020).map(textRow)),
    writeWjxCsv(dir, "2021年问卷.csv", TEXT_HEADER, cadres(4, 2021).map(textRow))
  ];
  return { store, files, manifest: readFileSync(join(store, "manifest.json"), "utf8"), entries: readdirSync(store) };
}

async function storedRespondents(store: string): Promise<number> {
  const conn = await openDuckDB();
  try {
    await attachStore(conn, store);
    return (await queryRows<{ n: number }>(conn, "SELECT count(*) AS n FROM respondents"))[0].n;
  } finally {
    closeDuckDB(conn);
  }
}

async function ingestFailing(store: string, files: string[], failing: number): Promise<unknown> {
  const conn = await openDuckDB();
  events.length = 0;
  const threads = async () => (await queryRows<{ t: string }>(conn, "SELECT current_setting('threads') AS t"))[0].t;
  try {
    const before = await threads();
    const outcome = await runIngest(failingCopy(conn, failing), { files, codebook, roster, store }).then(
      () => "no error",
      (e: unknown) => e
    );
    // The ingest gives DuckDB one thread fewer while it reads (ingest-batch.ts), and puts the setting back after a
    // failure as well.
    expect(await threads()).toBe(before);
    return outcome;
  } finally {
    closeDuckDB(conn);
  }
}

describe("a copy of staged parts that fails after the ingest went on", () => {
  it(
    "of the first new file, found once the second was read: the batch fails naming the first, the store as it was",
    async () => {
      const { store, files, manifest, entries } = await storeAndBatch();
      const error = await ingestFailing(store, files, 1);
      // The second file was read after the first file's copy was asked for, and its own copy never was.
      expect(events).toEqual(["read 2020年问卷.csv", "copy 1 failed", "read 2021年问卷.csv"]);
      expect(error).toBeInstanceOf(StoreWriteError);
      expect((error as StoreWriteError).file).toBe(files[0]);
      expect((error as Error).message).toContain("No space left on device");
      expect(readFileSync(join(store, "manifest.json"), "utf8")).toBe(manifest);
      expect(readdirSync(store)).toEqual(entries); // no staging folder left
      expect(await storedRespondents(store)).toBe(5);
    },
    INGEST_TIMEOUT
  );

  it(
    "of the last file, found before the commit: the batch fails naming it, and the first new file is not committed either",
    async () => {
      const { store, files, manifest, entries } = await storeAndBatch();
      const error = await ingestFailing(store, files, 2);
      expect(events).toEqual(["read 2020年问卷.csv", "copy 1", "read 2021年问卷.csv", "copy 2 failed"]);
      expect(error).toBeInstanceOf(StoreWriteError);
      expect((error as StoreWriteError).file).toBe(files[1]);
      expect(readFileSync(join(store, "manifest.json"), "utf8")).toBe(manifest);
      expect(readdirSync(store)).toEqual(entries);
      expect(await storedRespondents(store)).toBe(5);
    },
    INGEST_TIMEOUT
  );
});
