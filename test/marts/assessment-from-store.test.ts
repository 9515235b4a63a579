// The assessment tables taken from the store's copy (pipeline/db/staging.ts · storedAssessment) when its ingest made
// them from the same files and code: the report gets the same tables and the same account of the scores file as when
// it reads the file, and a province's 400,000-row scores file is not parsed again at every refresh. Each way back to
// reading the file is checked: the scores file changed since the ingest, the store's copy unreadable, nothing
// remembered.
import { appendFileSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openReportStore, type ReportStore } from "../../pipeline/db/report-store.ts";
import { closeDuckDB, queryRows } from "../../pipeline/io/duckdb.ts";
import { collectInputs } from "../../pipeline/io/trace.ts";
import { sampleStore, type SampleStore } from "./sample-store.ts";

const DATA = join(import.meta.dirname, "../../data");
let s: SampleStore;
const opened: ReportStore[] = [];

beforeAll(async () => {
  s = await sampleStore();
  opened.push(s.store);
}, 300_000);
afterAll(() => opened.forEach((store) => closeDuckDB(store.conn)));

async function reopen(scores = s.scores): Promise<ReportStore> {
  const store = await openReportStore({
    codebook: join(DATA, "codebook.json"),
    roster: join(DATA, "roster.csv"),
    store: s.storeDir,
    scores,
    indicators: s.indicators
  });
  opened.push(store);
  return store;
}

/** What a store staged: the scores file as read, and the three tables the SQL reads. */
async function staged(store: ReportStore) {
  const data = await store.assessment();
  const table = (name: string) => queryRows(store.conn, `SELECT * FROM ${name} ORDER BY ALL`);
  return {
    file: data.file,
    indicators: await table("cb_indicators"),
    scores: await table("assessment_scores"),
    totals: await table("assessment_totals")
  };
}

const memoDir = () => join(s.storeDir, ".cache", "assessment");
const memoFile = () => join(memoDir(), readdirSync(memoDir())[0]);

describe("the assessment staged from the store's copy", () => {
  it("gives what reading the scores file gives, and takes the file as read from what it remembered", async () => {
    const read = await staged(s.store); // the first open reads the file, and remembers it as read
    expect(read.file!.rows).toBeGreaterThan(0);
    expect(read.scores.length).toBe(read.file!.accepted);
    expect(readdirSync(memoDir())).toHaveLength(1);
    const remembered = readFileSync(memoFile(), "utf8");

    const again = await staged(await reopen());
    expect(again).toEqual(read);

    // What it remembered is what it gives (so it did not read the file): a count changed there comes out.
    const marked = JSON.parse(remembered);
    marked.file.rows += 1000;
    writeFileSync(memoFile(), JSON.stringify(marked));
    try {
      expect((await (await reopen()).assessment()).file!.rows).toBe(read.file!.rows + 1000);
    } finally {
      writeFileSync(memoFile(), remembered);
    }
  });

  it("still tells the loader cache that the marts read the scores file", async () => {
    const store = await reopen();
    const { inputs } = await collectInputs(() => store.assessment());
    expect(inputs).toContain(s.scores);
    expect(inputs).toContain(s.indicators);
  });

  it("reads the files when the store's copy cannot be read, or nothing is remembered", async () => {
    const read = await staged(await reopen());
    const remembered = readFileSync(memoFile(), "utf8");
    const marked = JSON.parse(remembered);
    marked.file.rows += 1000;
    writeFileSync(memoFile(), JSON.stringify(marked));
    const manifest = JSON.parse(readFileSync(join(s.storeDir, "manifest.json"), "utf8"));
    const parquet = join(
      s.storeDir,
      manifest.reference.find((e: { name: string }) => e.name === "assessment_scores").path
    );
    const bytes = readFileSync(parquet);
    writeFileSync(parquet, "not parquet");
    try {
      expect(await staged(await reopen())).toEqual(read); // the marked memo is not taken without the tables
    } finally {
      writeFileSync(parquet, bytes);
    }
    // A readable copy cut short by a row is not taken either.
    const store = await reopen();
    const short = `${parquet}.short`;
    await store.conn.run(
      `COPY (SELECT * FROM read_parquet('${parquet}') LIMIT ${read.scores.length - 1}) TO '${short}' (FORMAT parquet)`
    );
    writeFileSync(parquet, readFileSync(short));
    try {
      writeFileSync(memoFile(), JSON.stringify(marked)); // the last open remembered the file again
      expect(await staged(await reopen())).toEqual(read);
    } finally {
      writeFileSync(parquet, bytes);
      rmSync(short);
    }
    rmSync(memoDir(), { recursive: true });
    expect(await staged(await reopen())).toEqual(read);
    expect(readdirSync(memoDir())).toHaveLength(1); // remembered again
  });

  it("reads the scores file again once it changed after the ingest, and says the store is stale", async () => {
    const before = await staged(await reopen());
    // One score changed, one row added that is quarantined (an unknown indicator).
    const edited = join(s.dir, "assessment", "scores-edited.csv");
    const lines = readFileSync(s.scores, "utf8").split("\n");
    const cells = lines[1].split(",");
    cells[3] = String(Number(cells[3]) === 0 ? 1 : Number(cells[3]) - 1);
    lines[1] = cells.join(",");
    writeFileSync(edited, lines.join("\n"));
    appendFileSync(edited, `${cells[0]},${cells[1]},no_such_indicator,50\n`);
    const errors: string[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => void errors.push(args.join(" "));
    let after;
    try {
      after = await staged(await reopen(edited));
    } finally {
      console.error = original;
    }
    expect(after.file!.rows).toBe(before.file!.rows + 1);
    expect(after.file!.quarantined.length).toBe(before.file!.quarantined.length + 1);
    expect(after.scores).toHaveLength(before.scores.length);
    expect(after.scores).not.toEqual(before.scores);
    expect(errors.join("\n")).toContain("assessment_scores");
    // Remembered as read now, but the store's tables are still the ingest's: the file is read again, not the store.
    expect(readdirSync(memoDir())).toHaveLength(1);
    console.error = () => {};
    try {
      expect(await staged(await reopen(edited))).toEqual(after);
    } finally {
      console.error = original;
    }
  });
});
