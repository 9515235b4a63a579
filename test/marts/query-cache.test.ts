// The query cache (pipeline/db/query-cache.ts) on the seeded sample: a query declared `-- cache: per wave` gives,
// wave by wave from the cache, exactly the rows it gives over the whole store; a second run computes nothing; a new
// wave computes only that wave; a different codebook or parameter is a different entry.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it, vi } from "vitest";
import type { DuckDBValue } from "@duckdb/node-api";
import { closeDuckDB, queryRows } from "../../pipeline/io/duckdb.ts";
import { collectInputs } from "../../pipeline/io/trace.ts";
import { openReportStore, type ReportStore } from "../../pipeline/db/report-store.ts";
import { itemDistributions } from "../../pipeline/marts/section.ts";
import { overview } from "../../pipeline/marts/overview.ts";
import { unitPages } from "../../pipeline/marts/units.ts";
import {
  cacheModeOf,
  materializedPerWave,
  pruneQueryCache,
  queryCacheDir,
  queryCacheOf,
  queryCacheStats,
  runCachedQuery
} from "../../pipeline/db/query-cache.ts";
import { NamedQueryRowError, runNamedQuery, sqlText } from "../../pipeline/db/named-sql.ts";
import { z } from "zod";
import {
  GROUP_SIZE_ROW,
  INDICATOR_SCORE_SUMMARY_ROW,
  SCALE_SCORE_GROUP_ROW,
  QUALITY_FLAGS_ROW,
  NAMED_QUERY_ROWS,
  type NamedQuery
} from "../../pipeline/db/rows.ts";
import { sampleStore, type SampleStore } from "./sample-store.ts";

let s: SampleStore;
const SQL_DIR = join(import.meta.dirname, "../../pipeline/db/sql");

beforeAll(async () => {
  s = await sampleStore();
}, 120_000);

/** Parameters for each cached query, from the codebook (a newly declared query must be added here). */
function paramsFor(name: string): Record<string, DuckDBValue> | undefined {
  const { codebook } = s.store.index;
  const section = { section: codebook.sections.find((x) => x.code === "causes")!.code };
  const table: Record<string, Record<string, DuckDBValue> | undefined> = {
    choice_counts_by_wave: {
      question: codebook.questions.find((q) => q.type === "single" && q.options !== "roster")!.code
    },
    scale_scores_by_wave_group: section,
    scale_scores_by_wave_unit: { focus_section: section.section },
    subdimension_scores_by_wave_unit: { subdimension: codebook.sections[2].dimensions[2].subdimensions[0].code },
    scale_correlations_by_wave: { predictors: "causes", outcomes: "problems" }
  };
  return table[name];
}

/** The sample store opened again with the query cache off (as a loader, or the bench's capture, may run). */
async function openWithCacheOff(): Promise<ReportStore> {
  const before = process.env.YIPANQI_QUERY_CACHE;
  process.env.YIPANQI_QUERY_CACHE = "off";
  try {
    const store = await openReportStore({
      codebook: join(import.meta.dirname, "../../data/codebook.json"),
      roster: join(import.meta.dirname, "../../data/roster.csv"),
      store: s.storeDir,
      scores: s.scores,
      indicators: s.indicators
    });
    expect(queryCacheOf(store.conn)).toBeUndefined();
    return store;
  } finally {
    if (before === undefined) delete process.env.YIPANQI_QUERY_CACHE;
    else process.env.YIPANQI_QUERY_CACHE = before;
  }
}

const declared = readdirSync(SQL_DIR)
  .filter((f) => f.endsWith(".sql"))
  .map((f) => f.replace(/\.sql$/, ""))
  .filter((name) => cacheModeOf(readFileSync(join(SQL_DIR, `${name}.sql`), "utf8")) !== null);

/** Equal rows; numbers within 1e-9 (a wave's sums may be added in another order: an SD of 0 may come out 1e-17). */
function expectSameRows(actual: Record<string, unknown>[], expected: Record<string, unknown>[]) {
  expect(actual.length).toBe(expected.length);
  const close = (a: unknown, b: unknown) =>
    typeof a === "number" && typeof b === "number"
      ? Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b))
      : a === b;
  const mismatches = actual.flatMap((row, i) =>
    Object.keys({ ...row, ...expected[i] })
      .filter((k) => !close(row[k], expected[i][k]))
      .map((k) => ({ row: i, column: k, actual: row[k], expected: expected[i][k] }))
  );
  expect(mismatches.slice(0, 5)).toEqual([]);
}

describe("the query cache", () => {
  it("is declared by the queries that scan respondents, and by no query of the assessment files", () => {
    expect(declared).toEqual(
      expect.arrayContaining([
        "scale_scores_by_wave_group",
        "item_distribution_by_wave_group",
        "scale_scores_by_wave_unit",
        "groups_by_grouping"
      ])
    );
    expect(declared.filter((n) => n.startsWith("assessment_") || n.startsWith("indicator_"))).toEqual([]);
    expect(queryCacheOf(s.store.conn)).toBeDefined();
  });

  it.each(declared)("%s: from the cache, wave by wave, the same rows as over the whole store", async (name) => {
    const params = paramsFor(name);
    const direct = await queryRows(s.store.conn, sqlText(name), params);
    expect(direct.length).toBeGreaterThan(0);
    const before = { ...queryCacheStats };
    const rows = NAMED_QUERY_ROWS[name as NamedQuery];
    const cold = await runNamedQuery(s.store.conn, name, rows, params);
    expectSameRows(cold, direct);
    const computed = queryCacheStats.misses - before.misses;
    // Read back from the cache's files (runNamedQuery would share the result it just gave): kept as parsed, equal
    // to what was computed, in the same column order.
    const mode = cacheModeOf(sqlText(name))!;
    const check = (raw: unknown[]) => raw.map((row) => rows.parse(row) as Record<string, unknown>);
    const warm = await runCachedQuery(
      s.store.conn,
      queryCacheOf(s.store.conn)!,
      name,
      sqlText(name),
      params,
      mode,
      check
    );
    expect(queryCacheStats.misses - before.misses).toBe(computed); // nothing computed the second time
    expect(JSON.stringify(warm)).toBe(JSON.stringify(cold));
    // Parsing converts nothing: rows parsed, written as JSON and parsed again are the same (the cache relies on it).
    expect(JSON.stringify(check(JSON.parse(JSON.stringify(cold))))).toBe(JSON.stringify(cold));
    // the views point at the whole store again afterwards
    expectSameRows(await queryRows(s.store.conn, sqlText(name), params), direct);
  });

  it("keys on rows.ts's text, so rows.ts imports nothing but zod: a schema elsewhere would change unseen", () => {
    const source = readFileSync(join(import.meta.dirname, "../../pipeline/db/rows.ts"), "utf8");
    const imported = [...source.matchAll(/^\s*import\b[^;]*?from\s+"([^"]+)"/gm)].map((m) => m[1]);
    expect(imported).toEqual(["zod"]);
    expect(source).not.toMatch(/\.(transform|default|catch|pipe|preprocess)\(|z\.coerce/);
  });

  it("keeps its results readable by the store's owner only: they are aggregates before suppression", () => {
    const dir = queryCacheDir(queryCacheOf(s.store.conn)!.storeDir);
    const walk = (d: string): string[] =>
      readdirSync(d, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? [join(d, e.name), ...walk(join(d, e.name))] : [join(d, e.name)]
      );
    const entries = walk(dir);
    expect(entries.length).toBeGreaterThan(0);
    for (const entry of [dir, ...entries]) expect((statSync(entry).mode & 0o077).toString(8), entry).toBe("0");
  });

  it("after a new wave, computes that wave only, and the respondent-level views of that wave only", async () => {
    const context = queryCacheOf(s.store.conn)!;
    const waves = [...new Set(context.manifest.files.map((f) => f.wave))].sort();
    const last = waves.at(-1)!;
    const earlier = {
      ...context,
      manifest: { ...context.manifest, files: context.manifest.files.filter((f) => f.wave !== last) }
    };
    const sql = sqlText("scale_scores_by_wave_group");
    const params = { section: "problems" };
    // a fresh cache: a different codebook key stands for another deployment
    const fresh = (c: typeof context) => ({ ...c, registeredKey: `${c.registeredKey}-new-wave-test` });
    const materialized = context.views.filter((v) => materializedPerWave(v.sql)).map((v) => v.name);
    expect(materialized).toEqual(expect.arrayContaining(["respondent_groups"]));
    const run = async (c: typeof context) => {
      const before = queryCacheStats.misses;
      const viewsBefore = queryCacheStats.viewMisses;
      const rows = await runCachedQuery<Record<string, unknown>>(
        s.store.conn,
        fresh(c),
        "scale_scores_by_wave_group",
        sql,
        params,
        "per wave"
      );
      return { rows, computed: queryCacheStats.misses - before, views: queryCacheStats.viewMisses - viewsBefore };
    };
    const first = await run(earlier);
    expect(first.computed).toBe(waves.length - 1);
    expect(first.views).toBe((waves.length - 1) * materialized.length);
    const after = await run(context);
    expect(after.computed).toBe(1);
    expect(after.views).toBe(materialized.length);
    expectSameRows(after.rows, await queryRows(s.store.conn, sql, params));
  });

  it("keys on the parameters and the registered codebook and roster", async () => {
    const context = queryCacheOf(s.store.conn)!;
    const sql = sqlText("scale_scores_by_wave_group");
    const before = queryCacheStats.misses;
    await runCachedQuery(s.store.conn, context, "scale_scores_by_wave_group", sql, { section: "measures" }, "per wave");
    const afterOne = queryCacheStats.misses;
    expect(afterOne).toBeGreaterThan(before);
    await runCachedQuery(
      s.store.conn,
      { ...context, registeredKey: "another-roster" },
      "scale_scores_by_wave_group",
      sql,
      { section: "measures" },
      "per wave"
    );
    expect(queryCacheStats.misses).toBeGreaterThan(afterOne);
  });

  it("prunes entries not used since a given time", async () => {
    const dir = queryCacheDir(s.storeDir);
    const entries = readdirSync(dir).length;
    expect(entries).toBeGreaterThan(0);
    const start = new Date(Date.now() + 1000);
    expect(pruneQueryCache(s.storeDir, start)).toBe(entries);
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe("results kept as parsed", () => {
  /** A check that counts the rows it parses and parses them with `schema`. */
  const counting = <S extends z.ZodType>(schema: S) => {
    const seen = { calls: 0, where: [] as string[] };
    const check = (rows: unknown[], where: string) => {
      seen.calls++;
      seen.where.push(where);
      return rows.map((r) => schema.parse(r) as z.output<S>);
    };
    return { seen, check };
  };
  const waveCount = () => new Set(queryCacheOf(s.store.conn)!.manifest.files.map((f) => f.wave)).size;

  it("are parsed once, when computed: read back, they are not parsed again", async () => {
    const context = { ...queryCacheOf(s.store.conn)!, registeredKey: "kept-as-parsed" };
    const { seen, check } = counting(GROUP_SIZE_ROW);
    const sql = sqlText("group_sizes_by_wave");
    const first = await runCachedQuery(s.store.conn, context, "group_sizes_by_wave", sql, undefined, "per wave", check);
    expect(seen.calls).toBe(waveCount());
    expect(seen.where[0]).toMatch(/^, wave \d{4}$/);
    const again = await runCachedQuery(s.store.conn, context, "group_sizes_by_wave", sql, undefined, "per wave", check);
    expect(seen.calls).toBe(waveCount()); // read back as kept
    expect(again).toEqual(first);
    const unchecked = await runCachedQuery(s.store.conn, context, "group_sizes_by_wave", sql, undefined, "per wave");
    expect(unchecked).toEqual(first);
  });

  it("are parsed again when they held NaN or an infinity, which JSON keeps as null", async () => {
    const context = { ...queryCacheOf(s.store.conn)!, registeredKey: "kept-with-nan" };
    const finite = z.strictObject({ wave: z.int(), x: z.number() });
    const sql = `SELECT wave, (CASE WHEN wave = min(wave) OVER () THEN 'NaN' ELSE '1.5' END)::DOUBLE AS x
                 FROM respondents GROUP BY wave ORDER BY wave`;
    const computed = counting(z.strictObject({ wave: z.int(), x: z.custom<number>((v) => typeof v === "number") }));
    const rows = await runCachedQuery(s.store.conn, context, "nan_test", sql, undefined, "whole store", computed.check);
    expect(Number.isNaN(rows[0].x)).toBe(true);
    expect(computed.seen.calls).toBe(1);
    // Read back, the NaN is null: the schema sees it, as it would have before results were kept as parsed.
    const readBack = counting(finite);
    const failure = await runCachedQuery(
      s.store.conn,
      context,
      "nan_test",
      sql,
      undefined,
      "whole store",
      readBack.check
    )
      .then(() => null)
      .catch((e: unknown) => e);
    expect(readBack.seen.calls).toBe(1);
    expect(failure).toBeInstanceOf(z.ZodError);
  });

  it("are computed once for callers that ask at the same time", async () => {
    const misses = queryCacheStats.misses;
    const [a, b] = await Promise.all([
      runNamedQuery(s.store.conn, "quality_flags_by_wave", QUALITY_FLAGS_ROW),
      runNamedQuery(s.store.conn, "quality_flags_by_wave", QUALITY_FLAGS_ROW)
    ]);
    expect(b).toBe(a);
    expect(queryCacheStats.misses - misses).toBeLessThanOrEqual(waveCount());
  });

  it("are shared by the callers of a named query while one holds them", async () => {
    const first = await runNamedQuery(s.store.conn, "group_sizes_by_wave", GROUP_SIZE_ROW);
    const hits = queryCacheStats.hits;
    const second = await runNamedQuery(s.store.conn, "group_sizes_by_wave", GROUP_SIZE_ROW);
    expect(second).toBe(first);
    expect(queryCacheStats.hits).toBe(hits); // not even read from the cache
    const other = await runNamedQuery(s.store.conn, "scale_scores_by_wave_group", SCALE_SCORE_GROUP_ROW, {
      section: "causes"
    });
    const otherSection = await runNamedQuery(s.store.conn, "scale_scores_by_wave_group", SCALE_SCORE_GROUP_ROW, {
      section: "problems"
    });
    expect(otherSection).not.toBe(other); // one result per parameters
  });
});

describe("named queries on one connection at the same time", () => {
  it("never see the store's views narrowed to one wave by another query's per-wave computation", async () => {
    const context = queryCacheOf(s.store.conn)!;
    const fresh = { ...context, registeredKey: `${context.registeredKey}-concurrent` };
    const count = () => queryRows<{ n: number }>(s.store.conn, "SELECT count(*)::INTEGER AS n FROM respondents");
    const all = await count();
    const computing = runCachedQuery(
      s.store.conn,
      fresh,
      "scale_scores_by_wave_group",
      sqlText("scale_scores_by_wave_group"),
      { section: "achievements" },
      "per wave"
    );
    await new Promise((ok) => setTimeout(ok, 20)); // the per-wave computation is under way
    const counted = await count();
    await computing;
    expect(counted).toEqual(all);
    expect(await count()).toEqual(all);
  });
});

describe("rows of named queries", () => {
  it("are parsed with the query's schema: a row that does not match names the query and the row", async () => {
    const noFloor = GROUP_SIZE_ROW.omit({ floor: true });
    const failure = await runNamedQuery(s.store.conn, "group_sizes_by_wave", noFloor).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(NamedQueryRowError);
    expect((failure as Error).message).toMatch(/^named query group_sizes_by_wave: row 1 of \d+ does not match/);
    expect((failure as Error).message).toContain("floor");
  });

  it("keep every value and the SQL's column order", async () => {
    const parsed = await runNamedQuery(s.store.conn, "indicator_score_summary_by_year", INDICATOR_SCORE_SUMMARY_ROW);
    const raw = await queryRows(s.store.conn, sqlText("indicator_score_summary_by_year"));
    expect(raw.length).toBeGreaterThan(0);
    expect(JSON.stringify(parsed)).toBe(JSON.stringify(raw));
  });
});

describe("results that several marts read", () => {
  it("every section's item distributions: one run of their query per store, with the query cache off too", async () => {
    const store = await openWithCacheOff();
    try {
      const runs = vi.spyOn(store.conn, "runAndReadAll");
      const sections = store.index.codebook.sections.map((x) => x.code);
      for (const section of sections) expect((await itemDistributions(store, section)).length).toBeGreaterThan(0);
      const itemQueries = runs.mock.calls.filter(([sql]) => sql.includes("item_distribution_by_wave_group"));
      expect(sections.length).toBeGreaterThan(1);
      expect(itemQueries).toHaveLength(1);
    } finally {
      closeDuckDB(store.conn);
    }
  });

  it("the units' sums: one run per store with the query cache off, and their inputs recorded for every caller", async () => {
    const store = await openWithCacheOff();
    try {
      const runs = vi.spyOn(store.conn, "runAndReadAll");
      // Read by the overview's verdicts, the units' score tests and the unit pages' verdicts.
      const first = await collectInputs(() => overview(store, "causes"));
      const second = await collectInputs(() => unitPages(store, "causes"));
      const unitQueries = runs.mock.calls.filter(([sql]) => sql.includes("scale_scores_by_wave_unit"));
      expect(unitQueries).toHaveLength(1);
      // The second caller, given what the first computed, lists the same query files among its inputs (the loader-key
      // file's record of what each data file read; the keys themselves cover every named SQL file anyway).
      for (const name of ["scale_scores_by_wave_unit", "group_sizes_by_wave"]) {
        const sql = join(SQL_DIR, `${name}.sql`);
        expect(first.inputs).toContain(sql);
        expect(second.inputs).toContain(sql);
      }
    } finally {
      closeDuckDB(store.conn);
    }
  });
});
