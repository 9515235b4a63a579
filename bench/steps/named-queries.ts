// Child of a measurement: runs every heavy named query once over a store, as a refresh asks for them, and prints one
// JSON line per query (name, parameters, ms, CPU ms of all threads, rows) and a last one with the total and the process's peak RSS.
//   --whole   each query over the whole store on the report store's connection (no cache, no per-wave execution:
//             what the bench's replay measures);
//   default   through runNamedQuery (pipeline/db/query-cache.ts: per wave, the respondent-level views materialized
//             once per wave), the store's query cache emptied first unless --warm.
// tsx bench/steps/named-queries.ts --data DIR --store DIR [--whole] [--warm]
import { rmSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import type { DuckDBValue } from "@duckdb/node-api";
import { z } from "zod";
import { queryCacheDir } from "../../pipeline/db/query-cache.ts";
import { runNamedQuery, sqlText } from "../../pipeline/db/named-sql.ts";
import { openReportStore } from "../../pipeline/db/report-store.ts";
import { FOCUS_SECTION } from "../../pipeline/marts/units.ts";
import { queryRows } from "../../pipeline/io/duckdb.ts";

const { values } = parseArgs({
  options: {
    data: { type: "string" },
    store: { type: "string" },
    whole: { type: "boolean", default: false },
    warm: { type: "boolean", default: false }
  }
});
if (!values.data || !values.store) {
  console.error("usage: tsx bench/steps/named-queries.ts --data DIR --store DIR [--whole] [--warm]");
  process.exit(2);
}
if (!values.whole && !values.warm) rmSync(queryCacheDir(values.store), { recursive: true, force: true });
const started = performance.now();
const store = await openReportStore({
  codebook: join(values.data, "codebook.json"),
  roster: join(values.data, "roster.csv"),
  indicators: join(values.data, "indicators.json"),
  store: values.store
});
const { codebook } = store.index;
const sections = codebook.sections.map((s) => s.code);
const queries: [string, Record<string, DuckDBValue>?][] = [
  ["scale_correlations_by_wave", { predictors: sections[1], outcomes: sections[2] }],
  ...sections.map((section) => ["scale_scores_by_wave_group", { section }] as [string, Record<string, DuckDBValue>]),
  ["missing_answers_by_wave_question"],
  ["scale_scores_by_wave_unit", { focus_section: FOCUS_SECTION }],
  ["item_distribution_by_wave_group"],
  ["subdimension_scores_by_wave_unit", { subdimension: codebook.sections[2].dimensions[2].subdimensions[0].code }],
  ["group_sizes_by_wave"],
  ["groups_by_grouping"],
  ["quality_flags_by_wave"]
];
let total = 0;
let totalCpu = 0;
for (const [name, params] of queries) {
  const t = performance.now();
  const cpu = process.cpuUsage();
  const rows = values.whole
    ? await queryRows(store.conn, sqlText(name), params)
    : await runNamedQuery(store.conn, name, z.unknown(), params);
  const ms = performance.now() - t;
  const used = process.cpuUsage(cpu);
  total += ms;
  totalCpu += (used.user + used.system) / 1000;
  process.stdout.write(
    JSON.stringify({
      name,
      params: params ?? null,
      ms: Math.round(ms),
      cpuMs: Math.round((used.user + used.system) / 1000),
      rows: rows.length
    }) + "\n"
  );
}
process.stdout.write(
  JSON.stringify({
    total: Math.round(total),
    totalCpu: Math.round(totalCpu),
    withOpen: Math.round(performance.now() - started),
    maxRssKb: process.resourceUsage().maxRSS
  }) + "\n"
);
