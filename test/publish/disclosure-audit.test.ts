// The disclosure audit (pipeline/publish/audit.ts) on real builds of the seeded sample: the build passes it at several
// seeds and at minGroupSize 3, 5 and 10, and each class of attack found against the old site, planted into otherwise
// clean output, makes it fail. Each build runs `npm run build`'s own command (which refuses to publish on a finding);
// builds take a few minutes on a loaded 2-core machine, hence the long timeouts.
/* eslint-disable @typescript-eslint/no-explicit-any -- the attacks below edit published JSON of any shape in place */
import { spawnSync } from "node:child_process";
import { copyFileSync, cpSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { tableFromIPC, type DataType } from "apache-arrow";
import { auditFiles, publishedDataFiles, type Finding } from "../../pipeline/publish/audit.ts";
import { toArrowStream, type ArrowColumnType } from "../../pipeline/publish/arrow.ts";
import { arrowRows } from "../../pipeline/publish/files.ts";
import { auditContext } from "../../pipeline/publish/gate.ts";
import { auditPublished, openAuditBeside, startAuditBeside } from "../../pipeline/publish/audit-beside-build.ts";
import { loadCodebook, loadRoster } from "../../pipeline/codebook/load.ts";
import { tempDir } from "../helpers/mini-exports.ts";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const BUILD_TIMEOUT = 15 * 60_000;
/** Each planted test audits the whole build once or twice: seconds on an idle machine, far more on a loaded one. */
const AUDIT_TIMEOUT = 5 * 60_000;

interface Built {
  dataDir: string;
  distDir: string;
  status: number | null;
  output: string;
}

/** The sample at `seed` with the codebook's minGroupSize set to `k`, built with `tsx pipeline/cli/site.ts build`. */
function buildSample(seed: number | null, k: number): Built {
  const work = tempDir("yipanqi-audit-");
  const dataDir = join(work, "data");
  mkdirSync(dataDir);
  for (const f of ["roster.csv", "indicators.json"]) copyFileSync(join(ROOT, "data", f), join(dataDir, f));
  const codebook = JSON.parse(readFileSync(join(ROOT, "data", "codebook.json"), "utf8"));
  writeFileSync(join(dataDir, "codebook.json"), JSON.stringify({ ...codebook, minGroupSize: k }, null, 2));
  const run = (args: string[]) =>
    spawnSync("npx", ["tsx", ...args], {
      cwd: ROOT,
      env: { ...process.env, YIPANQI_DATA: dataDir, YIPANQI_DIST: join(work, "dist") },
      encoding: "utf8",
      timeout: BUILD_TIMEOUT
    });
  if (seed !== null) {
    const sample = run(["pipeline/cli/sample.ts", "--seed", String(seed), "--out", dataDir]);
    if (sample.status !== 0) throw new Error(`npm run sample failed: ${sample.stderr}`);
  }
  const build = run(["pipeline/cli/site.ts", "build"]);
  return { dataDir, distDir: join(work, "dist"), status: build.status, output: `${build.stdout}\n${build.stderr}` };
}

type Files = Map<string, { bytes: Uint8Array; json?: unknown }>;

function readBuild(b: Built): Files {
  const files: Files = new Map();
  for (const f of publishedDataFiles(b.distDir)) {
    const bytes = readFileSync(f.absolute);
    files.set(f.path, { bytes, json: f.path.endsWith(".json") ? JSON.parse(bytes.toString("utf8")) : undefined });
  }
  return files;
}

const contextOf = (b: Built) =>
  auditContext(loadCodebook(join(b.dataDir, "codebook.json")), loadRoster(join(b.dataDir, "roster.csv")));

/** Audits the files with `plant` applied to a deep copy of the JSON of `path`. */
function auditPlanted(files: Files, b: Built, plants: Record<string, (value: any) => void>): Finding[] {
  const list = [...files].map(([path, f]) => {
    if (!plants[path]) return { path, bytes: f.bytes };
    const value = structuredClone(f.json);
    plants[path](value);
    return { path, bytes: new TextEncoder().encode(JSON.stringify(value)) };
  });
  return auditFiles(list, contextOf(b));
}

/** The column type of our Arrow writer (arrow.ts) that writes an Arrow type. */
function arrowTypeOf(type: DataType): ArrowColumnType {
  const name = String(type);
  if (name.startsWith("Dictionary")) return "utf8";
  if (name === "Int32" || name === "Bool" || name === "Float64")
    return ({ Int32: "int32", Bool: "bool", Float64: "float64" } as const)[name];
  throw new Error(`no writer type for ${name}`);
}

/** The build's files with the rows of the Arrow file `path` changed by `edit` (written back with its own columns). */
function withArrowRows(files: Files, path: string, edit: (rows: Record<string, unknown>[]) => void) {
  const table = tableFromIPC(files.get(path)!.bytes);
  const rows = arrowRows(files.get(path)!.bytes);
  edit(rows);
  const columns = table.schema.fields.map((f) => ({ name: f.name, type: arrowTypeOf(f.type), description: "" }));
  const list = [...files].map(([p, f]) =>
    p === path
      ? { path: p, bytes: toArrowStream({ name: "t", description: "", columns, rows }) }
      : { path: p, bytes: f.bytes }
  );
  return { list, rows };
}

const rules = (findings: Finding[]) => [...new Set(findings.map((f) => f.rule))].sort();

describe("the disclosure audit on a build of the sample (k = 5)", () => {
  let built: Built;
  let files: Files;
  let rates: any[];
  let unitFile: (code: string) => string;
  /** A wave, category and its hidden units (at least two) with the pool's count. */
  let pool: { wave: number; category: string; hidden: string[]; n: number };
  /** A shown unit of that category and wave. */
  let shownUnit: { code: string; n: number };

  beforeAll(() => {
    built = buildSample(null, 5);
    if (built.status !== 0) throw new Error(`build failed (${built.status}):\n${built.output.slice(-3000)}`);
    files = readBuild(built);
    rates = files.get("response-rates.json")!.json as any[];
    const poolRow = rates.find((r) => r.level === "unit_pool");
    const units = rates.filter((r) => r.level === "unit" && r.wave === poolRow.wave && r.category === poolRow.category);
    pool = {
      wave: poolRow.wave,
      category: poolRow.category,
      hidden: units.filter((u) => u.suppressed).map((u) => u.code),
      n: poolRow.n
    };
    const shown = units.find((u) => !u.suppressed);
    shownUnit = { code: shown.code, n: shown.n };
    unitFile = (code) => `units/${code}.json`;
  }, BUILD_TIMEOUT);

  it(
    "publishes the build and finds nothing in it",
    () => {
      expect(built.output).toContain("匿名保护检查通过");
      // npm run build audits beside Framework's build, and the files it read are those the build published.
      expect(built.output).toContain("匿名保护检查：与构建同时进行");
      const findings = auditFiles(
        [...files].map(([path, f]) => ({ path, bytes: f.bytes })),
        contextOf(built)
      );
      expect(findings).toEqual([]);
      expect(pool.hidden.length).toBeGreaterThanOrEqual(2);
      expect(pool.n).toBeGreaterThanOrEqual(5);
    },
    AUDIT_TIMEOUT
  );

  it(
    "audited beside the build: the worker's verdict is the audit's, and a file that differs from those it read is audited again",
    async () => {
      const ctx = contextOf(built);
      // Shows one pooled unit with all but two of the pool's people (as the first residual attack below).
      const attack = (list: any[]) => {
        const row = list.find((r: any) => r.level === "unit" && r.wave === pool.wave && r.code === pool.hidden[0]);
        Object.assign(row, { n: pool.n - 2, rate: 0.5, suppressed: false });
        list.splice(
          list.findIndex((r: any) => r.level === "unit_pool" && r.wave === pool.wave && r.category === pool.category),
          1
        );
      };
      const onDisk = publishedDataFiles(built.distDir);
      const given = (inMemory: { path: string; text: string }[] = []) => ({
        onDisk: onDisk.filter((f) => !inMemory.some((m) => m.path === f.path)),
        inMemory
      });
      // The build as it is: the worker's findings (none) are taken, since it read exactly the published files.
      const clean = await auditPublished(built.distDir, ctx, startAuditBeside(given(), ctx));
      expect(clean).toEqual({ findings: [], reused: true, files: onDisk.length });

      // A build that publishes an attacked file, which the worker read too (from memory, as it reads the unit files):
      // the worker's findings are taken, and they are the audit's on this thread.
      const rates = structuredClone(files.get("response-rates.json")!.json) as any[];
      attack(rates);
      const text = JSON.stringify(rates);
      const here = auditPlanted(files, built, { "response-rates.json": attack });
      expect(rules(here)).toContain("residual");
      const dist = join(tempDir("yipanqi-audit-beside-"), "dist");
      cpSync(built.distDir, dist, { recursive: true });
      writeFileSync(publishedDataFiles(dist).find((f) => f.path === "response-rates.json")!.absolute, text);
      const attacked = given([{ path: "response-rates.json", text }]);
      expect(await auditPublished(dist, ctx, startAuditBeside(attacked, ctx))).toEqual({
        findings: here,
        reused: true,
        files: onDisk.length
      });

      // The same files given to the worker a few at a time and out of order, as the refresh gives them while the pass
      // makes them: the same digest and the same findings, in the same order.
      const inBatches = openAuditBeside(ctx);
      const reversed = [...attacked.onDisk].reverse();
      inBatches.add({ onDisk: reversed.slice(0, 3), inMemory: [] });
      inBatches.add({ onDisk: [], inMemory: attacked.inMemory });
      inBatches.add({ onDisk: reversed.slice(3), inMemory: [] });
      inBatches.end();
      expect(await auditPublished(dist, ctx, inBatches)).toEqual({
        findings: here,
        reused: true,
        files: onDisk.length
      });

      // The same build after the worker read the clean file: audited again here, and refused.
      const changed = await auditPublished(dist, ctx, startAuditBeside(given(), ctx));
      expect(changed).toEqual({ findings: here, reused: false, files: onDisk.length });

      // A worker that fails (a file it should read is gone) and one stopped: the audit is done here. (A worker silent
      // when the wait ends: test/publish/audit-beside-build.test.ts, with a stand-in, which cannot race.)
      const fallback = { findings: here, reused: false, files: onDisk.length };
      const gone = startAuditBeside(
        { ...attacked, onDisk: [...attacked.onDisk, { path: "x.json", absolute: dist }] },
        ctx
      );
      expect(await gone.digest).toBeNull();
      expect(await auditPublished(dist, ctx, gone)).toEqual(fallback);
      const stopped = startAuditBeside(attacked, ctx);
      await stopped.stop();
      expect(await stopped.findings).toBeNull();
      expect(await auditPublished(dist, ctx, stopped)).toEqual(fallback);
    },
    AUDIT_TIMEOUT
  );

  it(
    "1 residual differencing: a category minus its shown units leaving fewer than k",
    () => {
      // Show one of the pooled units with all but two of the pool's people: the category minus the shown units is 2.
      const [first] = pool.hidden;
      const found = auditPlanted(files, built, {
        "response-rates.json": (list) => {
          const row = list.find((r: any) => r.level === "unit" && r.wave === pool.wave && r.code === first);
          Object.assign(row, { n: pool.n - 2, rate: 0.5, suppressed: false });
          list.splice(
            list.findIndex((r: any) => r.level === "unit_pool" && r.wave === pool.wave && r.category === pool.category),
            1
          );
        }
      });
      expect(rules(found)).toContain("residual");
      expect(found.find((f) => f.rule === "residual")!.message).toMatch(
        new RegExp(`${pool.wave} 年 · ${pool.category}.*余下 2 人`)
      );
    },
    AUDIT_TIMEOUT
  );

  it(
    "1 residual differencing: a pool that is one hidden unit",
    () => {
      // Show every pooled unit but the first, so that the pool left is that one unit alone (the counts given to the
      // others leave it at least k people, so only the single-unit rule can fire for this category).
      const others = pool.hidden.slice(1);
      const found = auditPlanted(files, built, {
        "response-rates.json": (list) => {
          let left = pool.n;
          for (const code of others) {
            const row = list.find((r: any) => r.level === "unit" && r.wave === pool.wave && r.code === code);
            const n = Math.min(5, left - 5);
            Object.assign(row, { n, rate: 0.5, suppressed: false });
            left -= n;
          }
        }
      });
      expect(rules(found)).toContain("residual");
    },
    AUDIT_TIMEOUT
  );

  it(
    "2 sums: a figure about a unit the rates hide (its mean falls out of the category's)",
    () => {
      const code = pool.hidden[0];
      const found = auditPlanted(files, built, {
        [unitFile(code)]: (page) => {
          const point = page.scales[0].points.find((p: any) => p.wave === pool.wave);
          Object.assign(point, { index: 61.2, low: 50.1, high: 72.3, suppressed: false });
        }
      });
      expect(rules(found)).toContain("shown_and_hidden");
    },
    AUDIT_TIMEOUT
  );

  it(
    "3 second moments: figures finer than the pages print, or an SD",
    () => {
      const precise = auditPlanted(files, built, {
        "trends.json": (t) => {
          const p = t.series[0].points.find((x: any) => !x.suppressed);
          p.low = p.low + 0.0123;
        }
      });
      expect(rules(precise)).toContain("precision");
      const withSd = auditPlanted(files, built, {
        "trends.json": (t) => {
          t.series[0].points.find((x: any) => !x.suppressed).sd = 0.8123;
        }
      });
      expect(rules(withSd)).toContain("contract");
    },
    AUDIT_TIMEOUT
  );

  it(
    "4 presence: a table that lists only the units with respondents",
    () => {
      const found = auditPlanted(files, built, {
        "response-rates.json": (list) => {
          const i = list.findIndex((r: any) => r.level === "unit" && r.suppressed);
          list.splice(i, 1);
        }
      });
      expect(rules(found)).toContain("presence");
    },
    AUDIT_TIMEOUT
  );

  it(
    "5 excluded people: a unit's response count beside a smaller count of scored answers",
    () => {
      const found = auditPlanted(files, built, {
        [unitFile(shownUnit.code)]: (page) => {
          page.responses.find((r: any) => r.wave === pool.wave).n = shownUnit.n + 2;
        }
      });
      expect(rules(found)).toContain("two_counts");
    },
    AUDIT_TIMEOUT
  );

  it(
    "5b the units list and a unit's page: the same index, and nothing about a hidden unit",
    () => {
      const latest = (d: any) => d.categories.flatMap((c: any) => c.units);
      const shown = (d: any) => latest(d).find((u: any) => !u.latest.suppressed);
      // The list rounds a unit's index differently from its page: two values of one figure.
      const differs = auditPlanted(files, built, {
        "units-index.json": (d) => {
          shown(d).latest.index = shown(d).latest.index + 0.1;
        }
      });
      expect(rules(differs)).toContain("two_values");
      // A unit the pattern hides in the latest wave gets an index in the list.
      const leaked = auditPlanted(files, built, {
        "units-index.json": (d) => {
          const u = latest(d).find((x: any) => x.latest.suppressed);
          Object.assign(u.latest, { index: 61.3, suppressed: false });
        }
      });
      expect(rules(leaked).length).toBeGreaterThan(0);
      expect(rules(leaked)).toEqual(expect.arrayContaining(["shown_and_hidden"]));
    },
    AUDIT_TIMEOUT
  );

  it(
    "6 quoted cells: a quarantine reason quoting a cell",
    () => {
      const found = auditPlanted(files, built, {
        "quality.json": (q) => {
          q.quarantine[0].reason = "单位“张三 13912345678”不在名册中";
        }
      });
      expect(rules(found)).toContain("contract");
    },
    AUDIT_TIMEOUT
  );

  it(
    "7 one pattern per table: the assessment link showing a unit the rates hide",
    () => {
      const code = pool.hidden[0];
      const found = auditPlanted(files, built, {
        "assessment-survey.json": (a) => {
          Object.assign(
            a.units.find((u: any) => u.wave === pool.wave && u.unit === code),
            { n: 5, index: 40.2, suppressed: false }
          );
        }
      });
      expect(rules(found)).toEqual(expect.arrayContaining(["shown_and_hidden"]));
    },
    AUDIT_TIMEOUT
  );

  it(
    "the overview's chart states the causes as trends.json does: another value, a finer one or another count is refused",
    () => {
      const shown = (o: any) => o.trend[0].points.find((p: any) => !p.suppressed);
      expect(rules(auditPlanted(files, built, { "overview.json": (o) => (shown(o).index += 0.1) }))).toContain(
        "two_values"
      );
      expect(rules(auditPlanted(files, built, { "overview.json": (o) => (shown(o).high += 0.04) }))).toContain(
        "precision"
      );
      expect(rules(auditPlanted(files, built, { "overview.json": (o) => (shown(o).n += 1) }))).toContain("two_counts");
    },
    AUDIT_TIMEOUT
  );

  it(
    "8 respondent-level data: an IP address or a submission time in a file",
    () => {
      const found = auditPlanted(files, built, {
        "overview.json": (o) => {
          o.title = `${o.title} 来自 36.112.4.18 · 2019/10/12 9:31:05`;
        }
      });
      expect(rules(found)).toEqual(["respondent_level"]);
      expect(found).toHaveLength(2);
    },
    AUDIT_TIMEOUT
  );

  it(
    "8b respondent-level data in an Arrow file: a respondent id or an IP address in one of its strings",
    () => {
      // The audit reads an Arrow file's strings (not its rows' JSON): plant both into one cell of a text column.
      const path = "explore/item-distributions.arrow";
      const { list } = withArrowRows(files, path, (rows) => {
        rows[7].text = `${rows[7].text as string}（答卷 3f9a0c1b2d4e-117，来自 36.112.4.18）`;
      });
      const found = auditFiles(list, contextOf(built));
      expect(rules(found)).toEqual(["respondent_level"]);
      expect(found.map((f) => [f.file, f.message.match(/含有(.+?)样式的内容“(.+?)”/)?.slice(1)])).toEqual([
        [path, ["答卷编号", "3f9a0c1b2d4e-117"]],
        [path, ["IP 地址", "36.112.4.18"]]
      ]);
    },
    AUDIT_TIMEOUT
  );

  it(
    "two numbers of those who answered one item in two files: found, and the verdict does not depend on the files' order",
    () => {
      // One more 非常不同意 for the first item of the whole sample in one wave of 探索's distributions than its section
      // page publishes: the difference of the two counts would be one person.
      const { list, rows } = withArrowRows(files, "explore/item-distributions.arrow", (rows) => {
        (rows[0] as { count: number }).count += 1;
      });
      const found = auditFiles(list, contextOf(built));
      expect(found.filter((f) => f.rule === "two_counts").map((f) => f.message)).toEqual([
        expect.stringMatching(
          new RegExp(`${rows[0].wave} 年 · all · 全体 中作答“item:${rows[0].code}”的人数发布了两个`)
        )
      ]);
      expect(auditFiles([...list].reverse(), contextOf(built))).toEqual(found);
    },
    AUDIT_TIMEOUT
  );

  it(
    "9 skippers' answers: an index that is not the mean of the group's published item counts",
    () => {
      // Built as the mean of each respondent's mean, a group's index differs from what its item counts give by exactly
      // what the one who skipped an item answered on the others; the audit recomputes every index from the counts.
      const scores = files.get("sections/causes-scores.json")!.json as {
        fields: Record<string, (number | null)[]>;
        digits: Record<string, number>;
      };
      const cell = scores.fields.index.findIndex((v) => v !== null);
      const found = auditPlanted(files, built, {
        "sections/causes-scores.json": (cube) => {
          cube.fields.index[cell] += 3; // 0.3 on the index scale: what a skipper's answer moves in a group of 20
        }
      });
      expect(rules(found)).toContain("index_vs_answers");
      expect(found.find((f) => f.rule === "index_vs_answers")!.message).toMatch(/跳答者/);
    },
    AUDIT_TIMEOUT
  );

  it(
    "a data file without a contract is refused",
    () => {
      const found = auditFiles(
        [
          ...[...files].map(([path, f]) => ({ path, bytes: f.bytes })),
          { path: "extra.json", bytes: new TextEncoder().encode("[]") }
        ],
        contextOf(built)
      );
      expect(found.map((f) => f.rule)).toEqual(["contract"]);
    },
    AUDIT_TIMEOUT
  );
});

describe("the sample passes the audit at other seeds and minimum group sizes", () => {
  for (const [seed, k] of [
    [null, 3],
    [11, 10],
    [20250902, 5]
  ] as const)
    it(
      `seed ${seed ?? "default"}, minGroupSize ${k}`,
      () => {
        const b = buildSample(seed, k);
        expect(b.output).toContain("匿名保护检查通过");
        expect(b.status).toBe(0);
        // The pattern adapts: at k = 10 more units are hidden than at k = 3.
        const rates = JSON.parse(
          readFileSync(publishedDataFiles(b.distDir).find((f) => f.path === "response-rates.json")!.absolute, "utf8")
        );
        const shown = rates.filter((r: any) => r.level === "unit" && !r.suppressed);
        expect(shown.every((r: any) => r.n >= k)).toBe(true);
      },
      BUILD_TIMEOUT
    );
});
