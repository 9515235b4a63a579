// npm run ingest -- [--codebook FILE] [--roster FILE] [--store DIR] [--wave W] [--json] FILE|DIR…
// Exit codes: 0 every row accepted (or the file already in the store) · 1 some rows quarantined · 2 usage or codebook
//             error (nothing written) · 3 a file refused whole (the others were ingested) · 4 the store could not be
//             written (left as it was; with --json, {"files":[],"error":"…"} names the file being written)
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { DataFileError, loadCodebook, loadRoster } from "../codebook/load.ts";
import { paths } from "../io/config.ts";
import { openDuckDB } from "../io/duckdb.ts";
import { exitCodeOf, expandInputs, runIngest, type IngestReport } from "../store/ingest-batch.ts";
import { storeLockPath, withLock } from "../io/lock.ts";
import { INGEST_EXIT } from "../io/exit-codes.ts";

function summary(report: IngestReport): string {
  const lines = report.files.map((f) => {
    const head = `${f.file}`;
    if (f.status === "refused") return `✗ ${head}\n  整个文件未导入：${f.errors[0]?.reason}`;
    const status = f.status === "already_ingested" ? "（已导入过，未重复导入）" : "";
    const body = `  ${f.wave} 年度 · ${f.kind} · 读取 ${f.rows} 行：接受 ${f.accepted} 行，隔离 ${f.quarantined} 行${status}`;
    const errors = f.errors.slice(0, 10).map((e) => `    第 ${e.row} 行 · ${e.column}：${e.reason}〔${e.kind}〕`);
    if (f.errors.length > 10) errors.push(`    …… 另有 ${f.errors.length - 10} 条，见隔离文件`);
    const warnings = f.warnings.map((w) => `  注意：${w}`);
    return [`${f.quarantined || f.errors.length ? "!" : "✓"} ${head}`, body, ...errors, ...warnings].join("\n");
  });
  return [...lines, `数据仓库：${report.store}`].join("\n");
}

async function main(): Promise<number> {
  const defaults = paths();
  let args;
  try {
    args = parseArgs({
      allowPositionals: true,
      options: {
        codebook: { type: "string", default: defaults.codebook },
        roster: { type: "string", default: defaults.roster },
        store: { type: "string", default: defaults.store },
        wave: { type: "string" },
        json: { type: "boolean", default: false }
      }
    });
  } catch (e) {
    console.error(`用法错误：${(e as Error).message}`);
    return INGEST_EXIT.usage;
  }
  const { values, positionals } = args;
  const wave = values.wave === undefined ? undefined : Number(values.wave);
  if (wave !== undefined && !(Number.isInteger(wave) && wave >= 1990 && wave <= 2100)) {
    console.error(`用法错误：--wave 应为年份，例如 2019（收到 “${values.wave}”）`);
    return INGEST_EXIT.usage;
  }
  const files = expandInputs(positionals.length ? positionals : [defaults.surveys]).map((f) => resolve(f));
  if (files.length === 0) {
    console.error("没有要导入的文件：请给出文件或文件夹");
    return INGEST_EXIT.usage;
  }
  let codebook, roster;
  try {
    codebook = loadCodebook(values.codebook!);
    roster = existsSync(values.roster!) ? loadRoster(values.roster!) : [];
  } catch (e) {
    if (!(e instanceof DataFileError)) throw e;
    console.error(`码本或名册有误，未导入任何数据：\n${e.message}`);
    return INGEST_EXIT.usage;
  }
  const conn = await openDuckDB();
  let report: IngestReport;
  try {
    const store = resolve(values.store!);
    const reference = { codebookFile: values.codebook!, rosterFile: values.roster! };
    report = await withLock(storeLockPath(store), () =>
      runIngest(conn, { files, codebook, roster, store, wave, reference })
    );
  } catch (e) {
    const message = `写入数据仓库失败，仓库保持原样，本次没有导入任何文件：${(e as Error).message}`;
    console.error(message);
    if (values.json) process.stdout.write(JSON.stringify({ files: [], error: message }) + "\n");
    return INGEST_EXIT.storeFailed;
  }
  if (values.json) process.stdout.write(JSON.stringify({ files: report.files }) + "\n");
  else {
    console.log(summary(report));
    if (report.reference.written.length) console.log(`数据仓库的参照表已更新：${report.reference.written.join("、")}`);
  }
  for (const problem of report.reference.problems) console.error(problem);
  return exitCodeOf(report);
}

process.exitCode = await main();
