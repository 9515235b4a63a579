// Child process of the bench: writes a store of N respondents straight to Parquet with DuckDB, in the store's own
// layout (respondents/ and answers/ Hive-partitioned by wave, manifest.json listing the parts), without going through
// exports and the ingest: the 10 M store, whose exports would be some 7 GB of CSV. Answers are drawn in SQL from a
// hash of (respondent, question), so the store is the same for a seed whatever the thread count; the questions, scale,
// options and their shares come from the codebook and the sample's population model, the units from the roster.
// tsx bench/steps/write-store.ts --store DIR --codebook FILE --roster FILE --respondents N [--seed S]
import { createHash } from "node:crypto";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { indexCodebook, loadCodebook, loadRoster } from "../../pipeline/codebook/load.ts";
import { openDuckDB, sqlString } from "../../pipeline/io/duckdb.ts";
import { POPULATION_MODEL, choiceShare, modelMean } from "../../pipeline/sample/population.ts";
import type { Manifest } from "../../pipeline/store/store.ts";
import { BENCH_SEED, BENCH_WAVES } from "../lib/generate.ts";

const { values } = parseArgs({
  options: {
    store: { type: "string" },
    codebook: { type: "string" },
    roster: { type: "string" },
    respondents: { type: "string" },
    seed: { type: "string" }
  }
});
if (!values.store || !values.codebook || !values.roster || !values.respondents) {
  console.error(
    "usage: tsx bench/steps/write-store.ts --store DIR --codebook FILE --roster FILE --respondents N [--seed S]"
  );
  process.exit(2);
}
const total = Number(values.respondents);
const seed = Number(values.seed ?? BENCH_SEED);
const codebook = loadCodebook(values.codebook);
const index = indexCodebook(codebook);
const roster = loadRoster(values.roster);
const model = POPULATION_MODEL;
const store = values.store;
rmSync(store, { recursive: true, force: true });
mkdirSync(store, { recursive: true });

const conn = await openDuckDB();
// a memory limit, spilling to the bench's work folder: the machine is shared (DuckDB's default is 80% of RAM)
const temp = join(import.meta.dirname, "../.work/duckdb-tmp");
mkdirSync(temp, { recursive: true });
await conn.run(`SET memory_limit = '8GB'; SET temp_directory = ${sqlString(temp)}`);
const started = performance.now();
const lit = (s: string) => sqlString(s);
// uniform in [0, 1) from a hash of the respondent, a salt and (for answers) the question or dimension: deterministic,
// independent of threads. `spread` is a uniform draw with a standard deviation of 1 (one hash, where 3 would give a
// near-normal one: at 550 M answers the hashes are most of the cost).
const u = (salt: string, by = "") => `((hash(r.i${by}, ${seed}, ${lit(salt)}) % 1000003) / 1000003.0)`;
const spread = (salt: string, by = "") => `((${u(salt, by)} - 0.5) * 3.4641)`;
const normal = (salt: string) => `((${u(salt + "a")} + ${u(salt + "b")} + ${u(salt + "c")} - 1.5) * 2.0)`;

await conn.run(
  `CREATE TABLE roster AS SELECT * FROM (VALUES ${roster.map((x, i) => `(${i}, ${lit(x.code)})`).join(", ")}) t(k, unit)`
);
const likert = index.likert.map((q) => {
  const sd = index.subdimension.get(q.subdimension)!;
  return {
    code: q.code,
    dimension: sd.dimension,
    offset: model.subdimensions[q.subdimension] ?? 0,
    reverse: q.reverse,
    scale: index.scaleOf(q)
  };
});
const singles = codebook.questions.filter((q) => q.type === "single" && q.options !== "roster");
const multiples = codebook.questions.filter((q) => q.type === "multiple");
const numbers = codebook.questions.filter((q) => q.type === "number");
const unitQuestion = codebook.questions.find((q) => q.type === "single" && q.options === "roster");
const manifest: Manifest = {
  format: 1,
  updatedAt: new Date().toISOString(),
  codebook: { id: codebook.id, version: codebook.version },
  files: [],
  reference: []
};
const perWave = Math.floor(total / BENCH_WAVES.length);

for (const [w, wave] of BENCH_WAVES.entries()) {
  const n = w === BENCH_WAVES.length - 1 ? total - perWave * (BENCH_WAVES.length - 1) : perWave;
  const sha = createHash("sha256").update(`bench-10m-${seed}-${wave}-${n}`).digest("hex");
  const id = sha.slice(0, 16);
  const rel = {
    respondents: join("respondents", `wave=${wave}`, `${id}.parquet`),
    answers: join("answers", `wave=${wave}`, `${id}.parquet`)
  };
  for (const p of Object.values(rel)) mkdirSync(join(store, p, ".."), { recursive: true });
  await conn.run(`CREATE OR REPLACE TEMP TABLE r AS
    SELECT r.i, ${lit(id)} || '-' || (r.i + 1) AS respondent_id, ${lit(sha)} AS file_sha, (r.i + 2)::INTEGER AS source_row,
           (r.i + 1)::INTEGER AS serial, ${lit(`${wave}/10/`)} || (8 + (r.i * 23 // ${n})) || ' 10:00:00' AS submitted_at,
           CASE WHEN ${u("speed")} < ${model.quality.speeders} THEN 31 + floor(${u("d")} * 58) ELSE 95 + floor(${u("d")} * 900) END AS duration_s,
           '手机提交' AS source, ro.unit,
           ${u("speed")} < ${model.quality.speeders} AS is_speeder,
           ${u("speed")} >= ${model.quality.speeders} AND ${u("straight")} < ${model.quality.straightliners} AS is_straightliner,
           ${normal("general")} * ${model.noise.general} AS general
    FROM range(${n}) r(i) JOIN roster ro ON ro.k = hash(r.i, ${seed}, 'unit') % ${roster.length}`);
  await conn.run(`COPY (SELECT respondent_id, file_sha, source_row, serial, submitted_at, duration_s::DOUBLE AS duration_s, source, unit, is_speeder, is_straightliner FROM r)
    TO ${lit(join(store, rel.respondents))} (FORMAT parquet, COMPRESSION zstd)`);
  const dims = [...new Set(likert.map((q) => q.dimension))];
  const likertRows = likert
    .map(
      (q, k) =>
        `(${k}, ${lit(q.code)}, ${modelMean(model, q.dimension, wave) + q.offset}, ${q.reverse}, ${q.scale.min}, ${q.scale.max}, ${dims.indexOf(q.dimension)})`
    )
    .join(", ");
  const selects: string[] = [
    // Likert: the respondent's latent (general + a deviation per dimension, drawn from a hash of respondent and
    // dimension, so the same on every item of it) + item noise, keyed to the scale, reverse items mirrored,
    // 1.5 % skipped; a straight-liner gives 4 everywhere, a speeder anything
    `SELECT r.respondent_id, q.code AS question, NULL::INTEGER AS option,
            CASE WHEN r.is_straightliner THEN 4.0
                 WHEN r.is_speeder THEN (q.lo + floor(${u("sp", ", q.qi")} * (q.hi - q.lo + 1)))::DOUBLE
                 ELSE (CASE WHEN q.reverse THEN q.lo + q.hi - k.keyed ELSE k.keyed END)::DOUBLE END AS value,
            NULL::VARCHAR AS label, NULL::VARCHAR AS text
     FROM r CROSS JOIN (VALUES ${likertRows}) q(qi, code, mean, reverse, lo, hi, di)
     CROSS JOIN LATERAL (SELECT least(q.hi, greatest(q.lo, round(q.mean + r.general
       + ${spread("dim", ", q.di")} * ${model.noise.dimension} + ${spread("item", ", q.qi")} * ${model.noise.item}))) AS keyed) k
     WHERE ${u("skip", ", q.qi")} >= ${model.quality.likertSkipped} OR r.is_straightliner OR r.is_speeder`
  ];
  if (unitQuestion) selects.push(`SELECT respondent_id, ${lit(unitQuestion.code)}, NULL, NULL, unit, NULL FROM r`);
  for (const q of singles) {
    if (q.type !== "single" || q.options === "roster") continue;
    const shares = q.options.map((o) => choiceShare(model, o.label, wave) ?? 1);
    const sum = shares.reduce((a, b) => a + b, 0);
    let acc = 0;
    const bands = q.options.map((o, k) => {
      const lo = acc / sum;
      acc += shares[k];
      return `(${k + 1}, ${lit(o.label)}, ${lo}, ${k === q.options.length - 1 ? 1.01 : acc / sum})`;
    });
    selects.push(`SELECT r.respondent_id, ${lit(q.code)}, b.option, b.option::DOUBLE, b.label, NULL FROM r
      JOIN (VALUES ${bands.join(", ")}) b(option, label, lo, hi) ON ${u(q.code)} >= b.lo AND ${u(q.code)} < b.hi`);
  }
  for (const q of multiples) {
    if (q.type !== "multiple") continue;
    const opts = q.options.map(
      (o, k) =>
        `(${k + 1}, ${o.other ? model.multiple.otherShare : Math.min(model.multiple.maxShare, (model.multiple.shares[o.label] ?? model.multiple.defaultShare) + model.multiple.trend * (wave - model.baseYear))})`
    );
    selects.push(`SELECT r.respondent_id, ${lit(q.code)}, o.option, 1.0, NULL, NULL FROM r CROSS JOIN (VALUES ${opts.join(", ")}) o(option, share)
      WHERE ${u(q.code, ", o.option")} < o.share`);
  }
  for (const q of numbers)
    selects.push(`SELECT respondent_id, ${lit(q.code)}, NULL, floor(${u(q.code)} * 12)::DOUBLE, NULL, NULL FROM r`);
  await conn.run(
    `COPY (${selects.join("\nUNION ALL\n")}) TO ${lit(join(store, rel.answers))} (FORMAT parquet, COMPRESSION zstd)`
  );
  manifest.files.push({
    name: `${wave}年${id}.csv`,
    sha256: sha,
    format: "csv",
    encoding: "utf-8-bom",
    kind: "wjx-text",
    wave,
    rows: n,
    accepted: n,
    quarantined: 0,
    ingestedAt: new Date().toISOString(),
    codebookVersion: codebook.version,
    original: join("originals", `${sha}.csv`),
    respondents: rel.respondents,
    answers: rel.answers,
    quarantine: null,
    warnings: []
  });
  process.stderr.write(`wave ${wave}: ${n} respondents in ${((performance.now() - started) / 1000).toFixed(0)} s\n`);
}
writeFileSync(join(store, "manifest.json"), JSON.stringify(manifest, null, 2) + "\n");
process.stdout.write(
  JSON.stringify({ ms: performance.now() - started, respondents: total, maxRssKb: process.resourceUsage().maxRSS }) +
    "\n"
);
