// Runs before `npm run dev` and `npm run build`: on first run (no survey file in data/surveys) writes the seeded
// sample data, then ingests every export in data/surveys the store does not hold yet (same checksum = skipped).
// A bad file or row never stops the report: it is reported here and in the quarantine, and the last good store stays.
// Exit codes: 0 ready (even with quarantined rows or refused files) · 2 codebook/roster error · 4 store not writable.
import { existsSync } from "node:fs";
import { DataFileError, loadCodebook, loadRoster } from "../codebook/load.ts";
import { paths } from "../config.ts";
import { openDuckDB } from "../db.ts";
import { expandInputs, runIngest } from "../ingest/run.ts";
import { ensureSampleData } from "../sample/write.ts";

async function main(): Promise<number> {
  const p = paths();
  if (ensureSampleData(p.dataDir).length) console.error(`${p.surveys} 中没有问卷导出文件：已生成示例数据（npm run sample）`);
  let codebook, roster;
  try {
    codebook = loadCodebook(p.codebook);
    roster = existsSync(p.roster) ? loadRoster(p.roster) : [];
  } catch (e) {
    if (!(e instanceof DataFileError)) throw e;
    console.error(`码本或名册有误：\n${e.message}`);
    return 2;
  }
  try {
    const report = await runIngest(await openDuckDB(), { files: expandInputs([p.surveys]), codebook, roster, store: p.store });
    for (const f of report.files) {
      if (f.status === "already_ingested") continue;
      if (f.status === "refused") console.error(`✗ ${f.file}：整个文件未导入：${f.errors[0]?.reason}`);
      else console.error(`${f.quarantined ? "!" : "✓"} ${f.file}：${f.wave} 年度，接受 ${f.accepted} 行，隔离 ${f.quarantined} 行`);
    }
    return 0;
  } catch (e) {
    console.error(`写入数据仓库失败，仓库保持原样：${(e as Error).message}`);
    return 4;
  }
}

process.exitCode = await main();
