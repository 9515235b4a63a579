// The store is enough: the seeded sample is ingested, ONLY the store folder is copied elsewhere (no data/, no
// codebook.json, no roster.csv beside it), and every named query of pipeline/db/sql runs in a bare DuckDB given only
// that folder (its views.sql and the Parquet the manifest lists), with the same rows as through openReportStore on the
// original data. A reference table missing from the store, or stale (data/ edited since), makes it fail.
import { copyFileSync, cpSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DuckDBConnection, DuckDBValue } from "@duckdb/node-api";
import { indexCodebook, loadCodebook, loadRoster } from "../../pipeline/codebook/load.ts";
import type { Codebook } from "../../pipeline/codebook/schema.ts";
import { openDuckDB, queryRows } from "../../pipeline/io/duckdb.ts";
import { openBareStore } from "../../pipeline/db/bare-store.ts";
import { openReportStore, type ReportStore } from "../../pipeline/db/report-store.ts";
import { stageFor } from "../../pipeline/db/staging.ts";
import { collectInputs } from "../../pipeline/io/trace.ts";
import { expandInputs, runIngest } from "../../pipeline/store/ingest-batch.ts";
import { readManifest, sweepStore } from "../../pipeline/store/store.ts";
import { writeSample } from "../../pipeline/sample/write.ts";
import { defaultTruth, inputs } from "../sample/helpers.ts";
import { tempDir } from "../helpers/mini-exports.ts";

const SQL_DIR = join(import.meta.dirname, "../../pipeline/db/sql");
const DATA = join(import.meta.dirname, "../../data");
const codebook = loadCodebook(join(DATA, "codebook.json"));
const BFI_CODEBOOK = join(import.meta.dirname, "../fixtures/bfi/codebook.json");
const BFI = "/work/shared/external/bfi.csv";

/** A script that creates a view (run by both stores when they open), not a query. */
const isViewScript = (sql: string) => /^\s*CREATE\s/im.test(sql.replace(/^\s*--.*$/gm, ""));

/**
 * The parameters of every parameterized query, as the marts pass them, from the store's codebook: each value set is
 * run. A query whose parameters are not here fails the test (a new query needs its row here).
 */
function parameterTable(codebook: Codebook): Record<string, Record<string, DuckDBValue>[]> {
  const sections = codebook.sections.map((s) => s.code);
  return {
    section: sections.map((section) => ({ section })),
    focus_section: sections.map((focus_section) => ({ focus_section })),
    question: codebook.questions
      .filter((q) => q.type === "single" && q.options !== "roster")
      .slice(0, 2)
      .map((q) => ({ question: q.code })),
    subdimension: [...indexCodebook(codebook).subdimension.keys()]
      .slice(0, 2)
      .map((subdimension) => ({ subdimension })),
    "outcomes,predictors": [{ predictors: sections[0], outcomes: sections[sections.length - 1] }]
  };
}

function parameterSets(codebook: Codebook, name: string, sql: string): Record<string, DuckDBValue>[] {
  const names = [...new Set([...sql.replace(/^\s*--.*$/gm, "").matchAll(/\$([a-z_]+)/g)].map((m) => m[1]))].sort();
  if (names.length === 0) return [{}];
  const sets = parameterTable(codebook)[names.join(",")];
  if (!sets?.length) throw new Error(`${name}.sql: no parameters for $${names.join(", $")} in this test's table`);
  return sets;
}

/** Rows in one order, fractions to 9 significant digits (the sort key of expectSameRows; roster rows as they are). */
function canonical(rows: Record<string, unknown>[]): string[] {
  const round = (v: unknown): unknown =>
    typeof v === "number" && !Number.isInteger(v) ? Number(v.toPrecision(9)) : Array.isArray(v) ? v.map(round) : v;
  return rows.map((r) => JSON.stringify(Object.entries(r).map(([k, v]) => [k, round(v)]))).sort();
}

/**
 * Whether two values are the same: numbers within 1e-10 of each other, relative above 1 (DuckDB's parallel sums and
 * joins add in any order), NaN only as NaN; anything else by its JSON text.
 */
function same(a: unknown, b: unknown): boolean {
  if (typeof a === "number" || typeof b === "number")
    return (
      typeof a === "number" &&
      typeof b === "number" &&
      (a === b || (Number.isNaN(a) && Number.isNaN(b)) || Math.abs(a - b) <= 1e-10 * Math.max(1, Math.abs(b)))
    );
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => same(v, b[i]));
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Expects the same rows in any order (sorted by canonical's key), each value the same by same(). */
function expectSameRows(actual: Record<string, unknown>[], expected: Record<string, unknown>[], label: string): void {
  const inOrder = (rows: Record<string, unknown>[]) =>
    rows
      .map((r) => ({ r, key: canonical([r])[0] }))
      .sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0))
      .map((x) => x.r);
  const a = inOrder(actual);
  const e = inOrder(expected);
  expect(a.length, label).toBe(e.length);
  a.forEach((row, i) =>
    expect(
      same(Object.entries(row), Object.entries(e[i])),
      `${label}: ${JSON.stringify(row)} ≠ ${JSON.stringify(e[i])}`
    ).toBe(true)
  );
}

const queries = readdirSync(SQL_DIR)
  .filter((f) => f.endsWith(".sql"))
  .map((f) => ({ name: f.replace(/\.sql$/, ""), sql: readFileSync(join(SQL_DIR, f), "utf8") }))
  .filter((q) => !isViewScript(q.sql));

let dir: string;
let storeDir: string;
let reference: { codebookFile: string; rosterFile: string; indicatorsFile: string; scoresFile: string };
let report: ReportStore;

/** A copy of the store folder alone, in a folder of its own, opened in a bare DuckDB. */
async function bareCopy(
  edit?: (copy: string) => void,
  from = storeDir
): Promise<{ conn: DuckDBConnection; copy: string }> {
  const copy = join(tempDir("yipanqi-bare-"), "store");
  cpSync(from, copy, { recursive: true });
  edit?.(copy);
  const conn = await openDuckDB();
  await openBareStore(conn, copy);
  return { conn, copy };
}

/**
 * Runs every named query on a bare DuckDB over a copy of the store folder alone and through the report store, and
 * expects the same rows; returns how many rows were compared.
 */
async function compareEveryQuery(from: string, opened: ReportStore, book: Codebook): Promise<number> {
  const { conn } = await bareCopy(undefined, from);
  expect(queries.length).toBeGreaterThanOrEqual(15);
  let compared = 0;
  for (const { name, sql } of queries)
    for (const params of parameterSets(book, name, sql)) {
      await stageFor(opened.conn, sql);
      const expected = await queryRows<Record<string, unknown>>(opened.conn, sql, params);
      const actual = await queryRows<Record<string, unknown>>(conn, sql, params);
      expectSameRows(actual, expected, `${name} ${JSON.stringify(params)}`);
      compared += expected.length;
    }
  return compared;
}

beforeAll(async () => {
  dir = tempDir("yipanqi-selfdescribing-");
  const { roster } = inputs();
  writeSample(defaultTruth().truth, codebook, dir);
  storeDir = join(dir, "store");
  copyFileSync(join(DATA, "roster.csv"), join(dir, "roster.csv"));
  reference = {
    codebookFile: join(DATA, "codebook.json"),
    rosterFile: join(dir, "roster.csv"),
    indicatorsFile: join(DATA, "indicators.json"),
    scoresFile: join(dir, "assessment", "scores.csv")
  };
  await runIngest(await openDuckDB(), {
    files: expandInputs([join(dir, "surveys")]),
    codebook,
    roster,
    store: storeDir,
    reference
  });
  report = await openReportStore({
    codebook: reference.codebookFile,
    roster: reference.rosterFile,
    indicators: reference.indicatorsFile,
    scores: reference.scoresFile,
    store: storeDir
  });
}, 600_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("the store describes itself", () => {
  it("lists every reference table in the manifest, with its content and source sha, as Parquet beside the survey tables", () => {
    const manifest = readManifest(storeDir);
    expect(manifest.reference.map((r) => r.name).sort()).toEqual(
      [
        "assessment_scores",
        "cb_attributes",
        "cb_indicators",
        "cb_likert",
        "cb_quality",
        "cb_questions",
        "cb_roster"
      ].sort()
    );
    for (const r of manifest.reference) {
      expect(r.path).toMatch(new RegExp(`^reference/${r.name}/[0-9a-f]{16}\\.parquet$`));
      expect(r.source?.sha256).toMatch(/^[0-9a-f]{64}$/);
    }
    expect(manifest.reference.find((r) => r.name === "assessment_scores")!.rows).toBeGreaterThan(0);
    expect(readFileSync(join(storeDir, "views.sql"), "utf8")).not.toContain(storeDir); // relative paths only
  });

  it("runs every named query in a bare DuckDB over a copy of the store folder alone, with the report store's rows", async () => {
    expect(await compareEveryQuery(storeDir, report, codebook)).toBeGreaterThan(1000);
  }, 600_000);

  it("refuses a store whose reference table is missing", async () => {
    await expect(
      bareCopy((copy) => {
        const roster = readManifest(copy).reference.find((r) => r.name === "cb_roster")!;
        rmSync(join(copy, roster.path));
      }).then(({ conn }) => queryRows(conn, "SELECT count(*) AS n FROM cb_roster"))
    ).rejects.toThrow();
    await expect(
      bareCopy((copy) => {
        const manifest = JSON.parse(readFileSync(join(copy, "manifest.json"), "utf8"));
        manifest.reference = manifest.reference.filter((r: { name: string }) => r.name !== "cb_likert");
        writeFileSync(join(copy, "manifest.json"), JSON.stringify(manifest));
      })
    ).rejects.toThrow(/views\.sql/);
  }, 120_000);

  it("a roster edited after the ingest makes the store stale until an ingest of nothing new rewrites that table alone", async () => {
    const before = readManifest(storeDir).reference;
    const edited = readFileSync(reference.rosterFile, "utf8").replace(/\n([^,\n]+),([^,\n]+),/, "\n$1,$2（改名）,");
    expect(edited).not.toBe(readFileSync(reference.rosterFile, "utf8"));
    writeFileSync(reference.rosterFile, edited);
    const changed = await openReportStore({ ...reference, roster: reference.rosterFile, store: storeDir });
    const sql = "SELECT * FROM cb_roster";
    const { conn } = await bareCopy();
    // stale: the bare store still says what the roster said at the ingest
    expect(canonical(await queryRows(conn, sql))).not.toEqual(canonical(await queryRows(changed.conn, sql)));

    const roster = loadRoster(reference.rosterFile);
    const ingested = await runIngest(await openDuckDB(), { files: [], codebook, roster, store: storeDir, reference });
    expect(ingested.reference.written).toEqual(["cb_roster"]);
    const after = readManifest(storeDir).reference;
    // Every table is recorded as made from the new inputs; only the roster's content and file changed.
    const derivations = new Set(after.map((r) => r.derivedFrom));
    expect(derivations.size).toBe(1);
    expect(derivations).not.toContain(before[0].derivedFrom);
    const withoutDerivation = ({ derivedFrom: _d, ...entry }: (typeof after)[number]) => entry;
    for (const r of after)
      if (r.name === "cb_roster") expect(r.sha256).not.toBe(before.find((b) => b.name === r.name)!.sha256);
      else expect(withoutDerivation(r)).toEqual(withoutDerivation(before.find((b) => b.name === r.name)!));
    sweepStore(storeDir); // the superseded roster part goes; the live one stays
    const fresh = await bareCopy();
    expect(canonical(await queryRows(fresh.conn, sql))).toEqual(canonical(await queryRows(changed.conn, sql)));
    // and once more: nothing changed, nothing written, no commit, and no reference file read again (the trace of
    // the files read would name the assessment scores, which the tables' reader records)
    const committed = readManifest(storeDir).updatedAt;
    const { value: again, inputs: read } = await collectInputs(async () =>
      runIngest(await openDuckDB(), { files: [], codebook, roster, store: storeDir, reference })
    );
    expect(again.reference.written).toEqual([]);
    expect(readManifest(storeDir).updatedAt).toBe(committed);
    expect(read).not.toContain(resolve(reference.scoresFile));
    // the same ingest after the scores file changed reads it, and records the new derivation
    writeFileSync(reference.scoresFile, readFileSync(reference.scoresFile, "utf8") + "\n");
    const { value: rewritten, inputs: readAgain } = await collectInputs(async () =>
      runIngest(await openDuckDB(), { files: [], codebook, roster, store: storeDir, reference })
    );
    expect(readAgain).toContain(resolve(reference.scoresFile));
    expect(rewritten.reference.written).toEqual([]); // a blank line at the end: the same rows
    expect(new Set(readManifest(storeDir).reference.map((r) => r.derivedFrom))).not.toContain(after[0].derivedFrom);
  }, 300_000);
});

describe.runIf(existsSync(BFI) && existsSync(BFI_CODEBOOK))(
  "a store of another questionnaire describes itself too",
  () => {
    it("bfi.csv (2,800 respondents, the bfi codebook): every named query, bare and through the report store, same rows", async () => {
      const bfiDir = tempDir("yipanqi-selfdescribing-bfi-");
      try {
        const bfiStore = join(bfiDir, "store");
        const book = loadCodebook(BFI_CODEBOOK);
        const bfiReference = {
          codebookFile: BFI_CODEBOOK,
          rosterFile: join(DATA, "roster.csv"),
          indicatorsFile: join(DATA, "indicators.json"),
          scoresFile: join(bfiDir, "no-scores.csv")
        };
        const ingested = await runIngest(await openDuckDB(), {
          files: [BFI],
          codebook: book,
          roster: loadRoster(bfiReference.rosterFile),
          store: bfiStore,
          wave: 2020,
          reference: bfiReference
        });
        expect(ingested.files[0]).toMatchObject({ status: "new", accepted: 2800 });
        const opened = await openReportStore({
          codebook: bfiReference.codebookFile,
          roster: bfiReference.rosterFile,
          indicators: bfiReference.indicatorsFile,
          scores: bfiReference.scoresFile,
          store: bfiStore
        });
        expect(await compareEveryQuery(bfiStore, opened, book)).toBeGreaterThan(100);
      } finally {
        rmSync(bfiDir, { recursive: true, force: true });
      }
    }, 600_000);
  }
);
