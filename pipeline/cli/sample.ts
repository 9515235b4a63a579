// npm run sample -- [--out DIR] [--seed N] [--force]
// Generates the seeded sample (7 waves of 问卷星 exports with their flaws, plus assessment scores) from the project's
// data/codebook.json, roster.csv and indicators.json, and writes it to DIR (default: the project's data/):
// DIR/surveys/*.xls|xlsx|csv and DIR/assessment/scores.csv. Refuses (exit 2) to overwrite files it did not write.
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { DataFileError, loadCodebook, loadIndicators, loadRoster } from "../codebook/load.ts";
import { generateSample } from "../sample/generate.ts";
import { DEFAULT_SEED } from "../sample/population.ts";
import { foreignFiles, writeSample, SURVEYS_DIR } from "../sample/write.ts";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const dataDir = join(root, "data");

const MODE_NAMES = { text: "按选项文本", number: "按选项序号", score: "按分数" } as const;
const FORMAT_NAMES = {
  xls: "Excel 97 (.xls)",
  xlsx: "Excel (.xlsx)",
  "csv-gbk": "CSV（GBK）",
  "csv-utf8bom": "CSV（UTF-8 BOM）",
  "csv-utf8": "CSV（UTF-8）"
} as const;

const USAGE = `用法：npm run sample -- [--out 目录] [--seed 整数] [--force]
  --out    输出目录（默认：项目的 data/；问卷导出写入 目录/surveys/，考核得分写入 目录/assessment/scores.csv）
  --seed   随机种子（默认 ${DEFAULT_SEED}；同一种子生成完全相同的数据）
  --force  即使输出目录中已有非本生成器写入的文件，也照样写入（同名文件将被覆盖）`;

function fail(message: string, code = 2): never {
  console.error(message);
  process.exit(code);
}

function parseArgs(argv: string[]): { out: string; seed: number; force: boolean } {
  let out = dataDir;
  let seed = DEFAULT_SEED;
  let force = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = (name: string) => {
      const eq = a.indexOf("=");
      if (eq >= 0) return a.slice(eq + 1);
      const v = argv[++i];
      if (v === undefined) fail(`参数 ${name} 缺少取值\n${USAGE}`);
      return v;
    };
    if (a === "--help" || a === "-h") {
      console.log(USAGE);
      process.exit(0);
    } else if (a === "--out" || a.startsWith("--out=")) out = resolve(value("--out"));
    else if (a === "--seed" || a.startsWith("--seed=")) {
      const v = value("--seed");
      if (!/^\d+$/.test(v) || Number(v) > 0xffffffff) fail(`--seed 须为 0 到 4294967295 之间的整数，收到“${v}”`);
      seed = Number(v);
    } else if (a === "--force") force = true;
    else fail(`未知参数“${a}”\n${USAGE}`);
  }
  return { out, seed, force };
}

function main() {
  const { out, seed, force } = parseArgs(process.argv.slice(2));
  const started = performance.now();
  let inputs;
  try {
    inputs = {
      codebook: loadCodebook(join(dataDir, "codebook.json")),
      roster: loadRoster(join(dataDir, "roster.csv")),
      indicators: loadIndicators(join(dataDir, "indicators.json"))
    };
  } catch (e) {
    if (e instanceof DataFileError) fail(`输入文件有误：${e.message}`, 1);
    throw e;
  }
  const foreign = foreignFiles(out);
  if (foreign.length > 0 && !force)
    fail(
      `未写入：${join(out, SURVEYS_DIR)} 等目录中已有不是本生成器写入（或写入后被改动）的文件：\n` +
        foreign.map((f) => `  ${f}`).join("\n") +
        `\n为免覆盖真实数据，已停止。请换一个 --out 目录，或确认后加 --force。`
    );

  const truth = generateSample({ ...inputs, seed });
  const written = writeSample(truth, inputs.codebook, out);
  const ms = Math.round(performance.now() - started);

  console.log(`已生成样例数据（种子 ${seed}，用时 ${ms} 毫秒）→ ${out}`);
  for (const f of written) {
    if (f.kind === "survey") {
      const wave = truth.waves.find((w) => w.year === f.year)!;
      const flaws = truth.flaws.filter((x) => x.file === wave.file.fileName).length;
      const units = Object.keys(wave.unitCounts).length;
      console.log(
        `  ${f.relPath}  ${MODE_NAMES[f.mode!]} · ${FORMAT_NAMES[f.format]} · 有效答卷 ${wave.respondents.length} 份（${units} 个单位）· 数据行 ${f.rows} 行，含故意瑕疵 ${flaws} 处`
      );
    } else console.log(`  ${f.relPath}  考核得分 ${f.rows} 条`);
  }
  const speeders = truth.waves.reduce((s, w) => s + w.respondents.filter((r) => r.flags.speeder).length, 0);
  const straight = truth.waves.reduce((s, w) => s + w.respondents.filter((r) => r.flags.straightliner).length, 0);
  console.log(
    `  共 ${truth.waves.length} 期，快速作答 ${speeders} 份，直线作答 ${straight} 份，含单位或人名的意见 ${truth.sensitiveTexts.length} 条`
  );
}

main();
