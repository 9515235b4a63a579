// Child process of the bench: the fixed cost every data loader pays before its first query, measured by doing only
// that: import the marts' module graph, then openReportStore() (codebook and roster validated with zod, DuckDB
// started, the store's Parquet attached, the cb_* tables and the shared views created). Prints one JSON line.
// tsx bench/steps/open-store.ts   (YIPANQI_DATA / YIPANQI_STORE name the store)
const started = performance.now();
const { openReportStore } = await import("../../pipeline/db/report-store.ts");
await import("../../pipeline/marts/section.ts");
const imported = performance.now();
await openReportStore();
const opened = performance.now();
process.stdout.write(
  JSON.stringify({
    importMs: imported - started,
    openMs: opened - imported,
    maxRssKb: process.resourceUsage().maxRSS
  }) + "\n"
);
