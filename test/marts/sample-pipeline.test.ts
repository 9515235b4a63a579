// The whole pipeline on the seeded sample: written exports → ingest → store → marts, checked against the
// generator's in-memory truth, computed here independently (plain loops, no SQL, no shared code path).
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { indexCodebook } from "../../pipeline/codebook/load.ts";
import { openDuckDB } from "../../pipeline/io/duckdb.ts";
import { expandInputs, runIngest, type IngestReport } from "../../pipeline/store/ingest-batch.ts";
import { openReportStore, type ReportStore } from "../../pipeline/db/report-store.ts";
import {
  itemDistributions,
  scaleScores,
  scaleScoreTests,
  sectionMeta,
  type ScaleScoreWithChange
} from "../../pipeline/marts/section.ts";
import { responseRates } from "../../pipeline/marts/response-rates.ts";
import { designTTest, welchTest } from "../../pipeline/stats/change.ts";
import { pAdjust } from "../../pipeline/stats/multiplicity.ts";
import { writeSample } from "../../pipeline/sample/write.ts";
import type { SampleTruth } from "../../pipeline/sample/types.ts";
import { defaultTruth, inputs } from "../sample/helpers.ts";
import { tempDir } from "../helpers/mini-exports.ts";
import { truthScale } from "../helpers/truth-scores.ts";

const { codebook, roster } = inputs();
const index = indexCodebook(codebook);
let truth: SampleTruth;
let report: IngestReport;
let store: ReportStore;
let causes: ScaleScoreWithChange[];
let dir: string;

beforeAll(async () => {
  truth = defaultTruth().truth;
  dir = tempDir();
  writeSample(truth, codebook, dir);
  report = await runIngest(await openDuckDB(), {
    files: expandInputs([join(dir, "surveys")]),
    codebook,
    roster,
    store: join(dir, "store")
  });
  store = await openReportStore({
    codebook: join(import.meta.dirname, "../../data/codebook.json"),
    roster: join(import.meta.dirname, "../../data/roster.csv"),
    store: join(dir, "store")
  });
  causes = await scaleScores(store, "causes");
}, 60_000);

function expected(year: number, dimension: string, group?: { attribute: string; label: string }) {
  const items = index.likert.filter((q) => index.subdimension.get(q.subdimension)!.dimension === dimension);
  const wave = truth.waves.find((w) => w.year === year)!;
  // codebook: quality.excludeFromScores = ["speeder"]
  const members = wave.respondents.filter(
    (r) => !r.flags.speeder && (!group || r.attributes[group.attribute] === group.label)
  );
  const t = truthScale(index, members, items);
  // The group's one published count: every respondent who counts (not a speeder), with a score or not.
  return {
    n: t.n,
    counted: members.length,
    mean: t.mean,
    sd: t.sd,
    se: t.se,
    agree: t.scores.filter((s) => s >= 4).length / t.n
  };
}

/** x as the site publishes it: the 0–100 index to one decimal (a published value is within half a step of x). */
const expectPublished = (got: number | null, x: number, digits = 1) =>
  expect(Math.abs(got! - x)).toBeLessThanOrEqual(0.5 * 10 ** -digits + 1e-9);
const toIndex = (mean: number) => ((mean - 1) / 4) * 100;

describe("ingesting the seeded sample", () => {
  it("accepts exactly the clean respondents of each wave and quarantines exactly the deliberate flaws", () => {
    for (const wave of truth.waves) {
      const file = report.files.find((f) => f.file.endsWith(wave.file.fileName))!;
      expect(file.wave).toBe(wave.year);
      expect(file.accepted).toBe(wave.respondents.length);
      expect(file.accepted + file.quarantined).toBe(file.rows);
      const flaws = truth.flaws.filter((f) => f.year === wave.year);
      const rowFlaws = flaws.filter((f) => f.kind !== "empty_row");
      expect(file.errors.map((e) => e.row).sort((a, b) => a! - b!)).toEqual(
        rowFlaws.map((f) => f.row).sort((a, b) => a - b)
      );
      for (const flaw of rowFlaws) {
        const error = file.errors.find((e) => e.row === flaw.row)!;
        if (flaw.column) expect(error.column, `${wave.file.fileName} row ${flaw.row} ${flaw.kind}`).toBe(flaw.column);
      }
      // The trailing empty row is not a respondent, and the report says it was there.
      if (flaws.some((f) => f.kind === "empty_row")) expect(file.warnings.join()).toMatch(/末尾有 1 个空行/);
    }
  });

  it("recognises each export mode and container", () => {
    const kinds = Object.fromEntries(
      report.files.map((f) => [f.file.split("/").pop(), `${f.kind} ${f.format} ${f.encoding ?? ""}`.trim()])
    );
    expect(kinds).toEqual({
      "2019年市直机关党务干部问卷_按文本.xls": "wjx-text xls",
      "2020年市直机关党务干部问卷_按序号.xlsx": "wjx-number xlsx",
      "2021年市直机关党务干部问卷_GBK.csv": "wjx-text csv gb18030",
      "2022年市直机关党务干部问卷_按分数.xlsx": "wjx-score xlsx",
      "2023年市直机关党务干部问卷_按文本.csv": "wjx-text csv utf-8-bom",
      "2024年市直机关党务干部问卷_按序号.xls": "wjx-number xls",
      "2025年市直机关党务干部问卷_按文本.xlsx": "wjx-text xlsx"
    });
  });
});

describe("the causes marts", () => {
  const row = (wave: number, code: string, grouping = "all", group = "全体") =>
    causes.find((r) => r.wave === wave && r.code === code && r.grouping === grouping && r.group === group)!;

  it("give every cause's count, index, interval and share agreeing as computed from the truth, in every wave", () => {
    for (const wave of truth.waves)
      for (const cause of ["cognition", "capacity", "mechanisms"]) {
        const want = expected(wave.year, cause);
        const got = row(wave.year, cause);
        expect(got.n, `${wave.year} ${cause}`).toBe(want.counted);
        expectPublished(got.index, toIndex(want.mean));
        expectPublished(got.agreeShare, want.agree, 3);
        // The 95% t interval of the mean of all answers, on the index scale, to one decimal.
        const half = (toIndex(want.mean + want.se) - toIndex(want.mean)) * 1.96;
        expect(Math.abs(got.indexHigh! - got.indexLow! - 2 * half)).toBeLessThan(0.3);
        expect(got.indexLow).toBeLessThan(got.index!);
        expect(got.indexHigh).toBeGreaterThan(got.index!);
        expect(got).not.toHaveProperty("mean");
        expect(got).not.toHaveProperty("sd");
      }
  });

  it("break down by role as the truth does", () => {
    const label = "兼职党务干部";
    const want = expected(2019, "mechanisms", { attribute: "role", label });
    const got = row(2019, "mechanisms", "role", label);
    expect(got.n).toBe(want.counted);
    expectPublished(got.index, toIndex(want.mean));
  });

  it("show the sample's structure: mechanisms the weakest cause, 考核机制 the weakest sub-dimension, slow improvement", () => {
    const m = (code: string, wave = 2019) => row(wave, code).index!;
    expect(m("mechanisms")).toBeLessThan(m("capacity"));
    expect(m("capacity")).toBeLessThan(m("cognition"));
    const subs = causes.filter((r) => r.wave === 2019 && r.grouping === "all" && r.level === "subdimension");
    expect(subs.sort((a, b) => a.index! - b.index!)[0].code).toBe("mech_assessment");
    expect(m("mechanisms", 2025)).toBeGreaterThan(m("mechanisms", 2019));
  });

  it("suppress every group under the minimum and publish no numbers for it", () => {
    const suppressed = causes.filter((r) => r.suppressed);
    for (const r of causes) if (!r.suppressed) expect(r.n).toBeGreaterThanOrEqual(codebook.minGroupSize);
    for (const r of suppressed)
      expect([r.n, r.index, r.indexLow, r.indexHigh, r.agreeShare, r.indexChange]).toEqual([
        null,
        null,
        null,
        null,
        null,
        null
      ]);
  });

  it("count each item's raw answers as the truth has them", async () => {
    const items = await itemDistributions(store, "causes");
    const got = items.find((r) => r.wave === 2021 && r.grouping === "all" && r.code === "MEC04")!;
    const counts = [0, 0, 0, 0, 0];
    for (const r of truth.waves.find((w) => w.year === 2021)!.respondents)
      if (!r.flags.speeder && typeof r.answers.MEC04 === "number") counts[r.answers.MEC04 - 1]++;
    expect(got.counts).toEqual(counts);
    expect(got.reverse).toBe(true);
  });

  it("describe waves, breakdowns and sources for the page", async () => {
    const meta = await sectionMeta(store, "causes");
    expect(meta.waves).toEqual([2019, 2020, 2021, 2022, 2023, 2024, 2025]);
    expect(meta.groupings.map((g) => g.name)).toEqual(["全体", "身份", "党务工作年限", "年龄段", "单位类别"]);
    expect(meta.groupings[1].groups).toEqual([
      "党组（党委）书记",
      "机关党委（党总支）书记",
      "党支部书记",
      "专职党务干部",
      "兼职党务干部"
    ]);
    expect(meta.sources).toHaveLength(7);
  });
});

describe("change since the previous wave", () => {
  const headcount = roster.reduce((s, u) => s + u.headcount, 0);

  it("is Welch's test without the finite population correction by default: about the process, not the roster", () => {
    for (const code of ["cognition", "capacity", "mechanisms"]) {
      const [a, b] = [expected(2024, code), expected(2025, code)];
      const want = welchTest(a, b);
      const got = causes.find((r) => r.wave === 2025 && r.code === code && r.grouping === "all")!;
      expect(got.previousWave).toBe(2024);
      expectPublished(got.changeP, want.p, 3);
      expectPublished(got.indexChange, ((b.mean - a.mean) / 4) * 100);
      expectPublished(got.changeLow, (want.ciLow / 4) * 100);
      expectPublished(got.changeHigh, (want.ciHigh / 4) * 100);
    }
    for (const r of causes.filter((r) => r.wave === 2019)) expect(r.indexChange).toBeNull();
  });

  it("is called significant only when Benjamini–Hochberg at 5% over every change of the section page says so", async () => {
    const tests = await scaleScoreTests(store, "causes");
    expect(tests.map((t) => t.row)).toEqual(
      causes.map(({ changeSignificant, ...row }) => (void changeSignificant, row))
    );
    const adjusted = pAdjust(
      tests.map((t) => t.p),
      "BH"
    );
    causes.forEach((r, i) => expect(r.changeSignificant).toBe(adjusted[i] === null ? null : adjusted[i]! <= 0.05));
    // A raw p below 0.05 is no longer a verdict on its own: on this page some are not significant after adjustment.
    const rawSmall = tests.filter((t) => t.p !== null && t.p < 0.05);
    const significant = causes.filter((r) => r.changeSignificant);
    expect(significant.length).toBeGreaterThan(0);
    expect(significant.length).toBeLessThan(rawSmall.length);
    for (const r of significant) expect(r.changeP!).toBeLessThan(0.05);
  });

  it("is the design-based test with the roster headcount as N when the codebook switches the correction on", async () => {
    const file = join(dir, "codebook-fpc.json");
    const json = JSON.parse(readFileSync(join(import.meta.dirname, "../../data/codebook.json"), "utf8"));
    writeFileSync(file, JSON.stringify({ ...json, inference: { finitePopulationCorrection: true } }));
    const fpc = await openReportStore({
      codebook: file,
      roster: join(import.meta.dirname, "../../data/roster.csv"),
      store: join(dir, "store")
    });
    const rows = await scaleScores(fpc, "causes");
    let differs = 0;
    for (const code of ["cognition", "capacity", "mechanisms"]) {
      const [a, b] = [expected(2024, code), expected(2025, code)];
      const want = designTTest({ ...a, populationSize: headcount }, { ...b, populationSize: headcount });
      const got = rows.find((r) => r.wave === 2025 && r.code === code && r.grouping === "all")!;
      expectPublished(got.changeP, want.p, 3);
      expectPublished(got.changeLow, (want.ciLow / 4) * 100);
      expectPublished(got.changeHigh, (want.ciHigh / 4) * 100);
      const off = causes.find((r) => r.wave === 2025 && r.code === code && r.grouping === "all")!;
      expect(got.indexChange).toBe(off.indexChange);
      if (Math.abs(want.p - welchTest(a, b).p) > 0.001) differs++;
    }
    expect(differs).toBeGreaterThan(0);
    expect((await sectionMeta(fpc, "causes")).changeTest).toContain("按名册人数作有限总体校正");
    expect((await sectionMeta(store, "causes")).changeTest).toContain("未作有限总体校正");
  });
});

describe("response rates", () => {
  it("count the respondents who count (not the speeders) against the roster, hiding small units and pooling them", async () => {
    const rates = await responseRates(store);
    const wave = truth.waves.find((w) => w.year === 2019)!;
    const counted = wave.respondents.filter((r) => !r.flags.speeder);
    const countOf = (unit: string) => counted.filter((r) => r.unit === unit).length;
    const all = rates.find((r) => r.wave === 2019 && r.level === "all")!;
    expect(wave.respondents).toHaveLength(565);
    expect(all.n).toBe(counted.length);
    expect(all.rate).toBeCloseTo(counted.length / roster.reduce((s, u) => s + u.headcount, 0), 3);
    const units = rates.filter((r) => r.wave === 2019 && r.level === "unit");
    expect(units).toHaveLength(73);
    for (const u of units) {
      if (countOf(u.code) < codebook.minGroupSize) expect(u.suppressed, u.code).toBe(true);
      if (!u.suppressed) expect(u.n, u.code).toBe(countOf(u.code));
    }
    expect(units.filter((u) => u.suppressed).length).toBeGreaterThanOrEqual(6);
    // Each category's hidden units, pooled: the pool is what the category minus its shown units leaves.
    for (const pool of rates.filter((r) => r.wave === 2019 && r.level === "unit_pool")) {
      const hidden = units.filter((u) => u.category === pool.category && u.suppressed);
      expect(pool.n).toBe(hidden.reduce((s, u) => s + countOf(u.code), 0));
      expect(pool.n).toBeGreaterThanOrEqual(codebook.minGroupSize);
      expect(hidden.length).toBeGreaterThanOrEqual(2);
    }
  });
});
