// npm run stats -- --codebook FILE --responses FILE [--roster FILE] [--json]
// Reads any export the ingest reads (same code, nothing written) and prints per dimension n, mean, SD and
// Cronbach's alpha (raw, standardized, average inter-item r), and per categorical item its counts.
// Exit codes: 0 printed · 2 usage, codebook or unreadable file.
import { existsSync } from "node:fs";
import { parseArgs } from "node:util";
import { DataFileError, indexCodebook, loadCodebook, loadRoster } from "../codebook/load.ts";
import { ingestFile } from "../ingest/ingest-file.ts";
import { UnreadableFileError } from "../ingest/read-table.ts";
import { categoricalStatistics, dimensionStatistics } from "../ingest/export-statistics.ts";

const f2 = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : "—");

function main(): number {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        codebook: { type: "string" },
        responses: { type: "string" },
        roster: { type: "string" },
        json: { type: "boolean", default: false }
      }
    }));
  } catch (e) {
    console.error(`用法错误：${(e as Error).message}`);
    return 2;
  }
  if (!values.codebook || !values.responses) {
    console.error("用法：npm run stats -- --codebook 码本.json --responses 导出文件 [--roster 名册.csv] [--json]");
    return 2;
  }
  try {
    const index = indexCodebook(loadCodebook(values.codebook));
    const roster = values.roster && existsSync(values.roster) ? loadRoster(values.roster) : [];
    const result = ingestFile(values.responses, { codebook: index.codebook, roster, wave: 0 });
    const dimensions = dimensionStatistics(index, result.accepted);
    const categorical = categoricalStatistics(index, result.accepted, new Map(roster.map((u) => [u.code, u.name])));
    if (values.json) {
      process.stdout.write(
        JSON.stringify({
          file: values.responses,
          rows: result.rows,
          accepted: result.accepted.length,
          quarantined: result.quarantined.length,
          dimensions,
          categorical
        }) + "\n"
      );
      return 0;
    }
    console.log(
      `${result.name}：读取 ${result.rows} 行，有效 ${result.accepted.length} 行，隔离 ${result.quarantined.length} 行`
    );
    console.log("维度\t题数\tn\t均值\t标准差\tα\t标准化α\t平均r");
    for (const d of dimensions)
      console.log(
        [d.name, d.items, d.n, f2(d.mean), f2(d.sd), f2(d.alpha), f2(d.std_alpha), f2(d.average_r)].join("\t")
      );
    for (const c of categorical)
      console.log(`${c.text}（n=${c.n}）：${c.counts.map((o) => `${o.option} ${o.count}`).join("，")}`);
    return 0;
  } catch (e) {
    if (e instanceof DataFileError || e instanceof UnreadableFileError) {
      console.error(e.message);
      return 2;
    }
    throw e;
  }
}

process.exitCode = main();
