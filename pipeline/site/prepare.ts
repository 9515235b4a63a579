// Before the site is previewed or built: on first run (no survey file in data/surveys) write the seeded sample
// data, then ingest every export in data/surveys the store does not hold yet (same checksum = skipped).
// A bad file or row never stops the report: it is reported here and in the quarantine, and the last good store stays.
import { existsSync } from "node:fs";
import { DataFileError, loadCodebook, loadRoster } from "../codebook/load.ts";
import { paths } from "../io/config.ts";
import { closeDuckDB, openDuckDB } from "../io/duckdb.ts";
import { expandInputs, runIngest } from "../store/ingest-batch.ts";
import { storeLockPath, withLock } from "../io/lock.ts";
import { ensureSampleData } from "../sample/write.ts";
import { BUILD_EXIT } from "../io/exit-codes.ts";

/** Returns 0 when the store is ready (even with quarantined rows or refused files), 2 on a codebook or roster error, 4 when the store cannot be written. */
export async function prepareStore(log: (line: string) => void = (l) => console.error(l)): Promise<number> {
  const p = paths();
  if (ensureSampleData(p.dataDir).length) log(`${p.surveys} 中没有问卷导出文件：已生成示例数据（npm run sample）`);
  let codebook, roster;
  try {
    codebook = loadCodebook(p.codebook);
    roster = existsSync(p.roster) ? loadRoster(p.roster) : [];
  } catch (e) {
    if (!(e instanceof DataFileError)) throw e;
    log(`码本或名册有误：\n${e.message}`);
    return BUILD_EXIT.config;
  }
  try {
    const conn = await openDuckDB();
    // Closed before the data pass opens its own DuckDB: its buffers would otherwise stay until the process ends.
    const report = await withLock(storeLockPath(p.store), () =>
      runIngest(conn, { files: expandInputs([p.surveys]), codebook, roster, store: p.store })
    ).finally(() => closeDuckDB(conn));
    for (const f of report.files) {
      if (f.status === "already_ingested") continue;
      if (f.status === "refused") log(`✗ ${f.file}：整个文件未导入：${f.errors[0]?.reason}`);
      else log(`${f.quarantined ? "!" : "✓"} ${f.file}：${f.wave} 年度，接受 ${f.accepted} 行，隔离 ${f.quarantined} 行（详见 npm run ingest 或数据仓库 quarantine/）`);
    }
    return BUILD_EXIT.ok;
  } catch (e) {
    log(`写入数据仓库失败，仓库保持原样：${(e as Error).message}`);
    return BUILD_EXIT.storeFailed;
  }
}
