// Loading assessment scores: the seeded sample's scores file holds exactly five deliberately flawed rows (recorded in
// the truth, pipeline/sample/generate.ts); the loader must quarantine exactly those, blame the right column, and keep
// every clean score. Plus the cells a steward types by hand: empty, with a unit, in words.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadAssessmentScores } from "../../pipeline/ingest/assessment.ts";
import { writeSample } from "../../pipeline/sample/write.ts";
import { defaultTruth, inputs } from "../sample/helpers.ts";
import { tempDir } from "../helpers/mini-exports.ts";

const { codebook, roster, indicators } = inputs();

describe("loadAssessmentScores on the seeded sample", () => {
  const { truth } = defaultTruth();
  const dir = tempDir("assessment-load-");
  writeSample(truth, codebook, dir);
  const file = loadAssessmentScores(join(dir, "assessment", "scores.csv"), roster, indicators.indicators);

  it("has one flaw of each kind in the truth", () => {
    expect(truth.assessmentFlaws.map((f) => f.kind).sort()).toEqual([
      "duplicate_row",
      "non_numeric_score",
      "score_above_max",
      "unknown_indicator",
      "unknown_unit"
    ]);
  });

  it("quarantines exactly the flawed rows, each at its row and column", () => {
    expect(file.rows).toBe(truth.assessment.length + truth.assessmentFlaws.length);
    expect(file.quarantined.map((q) => [q.row, q.column])).toEqual(truth.assessmentFlaws.map((f) => [f.row, f.column]));
    const reason = (kind: string) =>
      file.quarantined.find((q) => q.row === truth.assessmentFlaws.find((f) => f.kind === kind)!.row)!.reason;
    const dup = truth.assessmentFlaws.find((f) => f.kind === "duplicate_row")!;
    expect(reason("duplicate_row")).toBe(`与第 ${dup.duplicateOf} 行重复（同一年度、单位和指标）`);
    expect(reason("unknown_unit")).toMatch(/^单位代码 \S+ 不在名册中$/);
    expect(reason("unknown_indicator")).toMatch(/^指标 \S+ 不在指标定义中$/);
    expect(reason("score_above_max")).toMatch(/^得分 \d+ 超过满分 100$/);
    expect(reason("non_numeric_score")).toMatch(/^得分“[\d.]+分”不是数字$/);
  });

  it("keeps every clean score as the truth has it", () => {
    expect(file.scores).toEqual(truth.assessment);
  });
});

describe("loadAssessmentScores on hand-typed cells", () => {
  it("rejects an empty score instead of reading it as 0, and a year in words", () => {
    const dir = tempDir("assessment-cells-");
    const path = join(dir, "scores.csv");
    writeFileSync(
      path,
      [
        "year,unit,indicator,score",
        "2019,U001,pb_meetings,",
        "二〇一九,U001,pb_ledgers,90",
        "2019,U001,pb_study,88"
      ].join("\n") + "\n"
    );
    const file = loadAssessmentScores(path, roster, indicators.indicators);
    expect(file.quarantined.map((q) => [q.row, q.column, q.reason])).toEqual([
      [2, "score", "得分为空"],
      [3, "year", "年度“二〇一九”不是数字"]
    ]);
    expect(file.scores).toEqual([{ year: 2019, unit: "U001", indicator: "pb_study", score: 88 }]);
  });
});
