// The codebook, roster and indicators in data/ are valid, say what DOMAIN.md says, and bad files are named precisely.
import { readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import {
  DataFileError,
  indexCodebook,
  loadCodebook,
  loadIndicators,
  loadRoster,
  parseCodebook
} from "../../pipeline/codebook/load.ts";
import { tempDir } from "../helpers/mini-exports.ts";

const DATA = resolve(import.meta.dirname, "../../data");
const codebook = loadCodebook(join(DATA, "codebook.json"));

describe("data/codebook.json", () => {
  it("has the report's four sections and, under 原因剖析, its three causes with their three sub-dimensions", () => {
    expect(codebook.sections.map((s) => s.name)).toEqual(["工作成效", "存在问题", "原因剖析", "对策需求"]);
    const causes = codebook.sections.find((s) => s.code === "causes")!;
    // Named for what the score measures (higher is better), with the report's name for the fault beside it.
    expect(causes.dimensions.map((d) => [d.name, d.subdimensions.map((s) => [s.name, s.reportName])])).toEqual([
      [
        "思想认识",
        [
          ["认识清晰", "模糊认识"],
          ["价值取向端正", "价值偏差"],
          ["真抓实干", "应付思想"]
        ]
      ],
      [
        "能力素质",
        [
          ["业务水平", "业务工作水平不高"],
          ["服务中心能力", "服务中心能力不够"],
          ["融合措施得力", "融合发展措施不力"]
        ]
      ],
      [
        "制度机制",
        [
          ["责任机制完善", "责任机制不完善"],
          ["考核机制科学", "考核机制不科学"],
          ["激励机制到位", "激励机制不到位"]
        ]
      ]
    ]);
    const problems = codebook.sections.find((s) => s.code === "problems")!;
    expect(problems.direction).toBe("higher_is_worse");
    expect(problems.dimensions.map((d) => d.summary)).toEqual(["热情不高", "思路不清", "办法不多"]);
  });

  it("gives every sub-dimension items, balances each cause sub-dimension with a reverse-keyed item, and maps causes to measures", () => {
    const index = indexCodebook(codebook);
    for (const code of index.subdimension.keys())
      expect(
        index.likert.some((q) => q.subdimension === code),
        code
      ).toBe(true);
    for (const [code, sd] of index.subdimension)
      if (sd.section === "causes")
        expect(
          index.likert
            .filter((q) => q.subdimension === code)
            .map((q) => q.reverse)
            .sort()
        ).toEqual([false, true]);
    expect(codebook.measures.map((m) => m.name)).toEqual(["助推剂", "粘合剂", "强化剂"]);
    const causeSubs = [...index.subdimension.values()].filter((s) => s.section === "causes").map((s) => s.code);
    const addressed = new Set(codebook.measures.flatMap((m) => m.parts.flatMap((p) => p.addresses)));
    for (const code of causeSubs) expect(addressed.has(code), code).toBe(true);
  });

  it("has the respondent attributes unit, role, tenure and age band, and every question type", () => {
    expect(index().attributes.map((a) => a.attribute)).toEqual(["unit", "role", "tenure", "age_band"]);
    expect(new Set(codebook.questions.map((q) => q.type))).toEqual(
      new Set(["single", "likert", "multiple", "number", "text"])
    );
  });
});

function index() {
  return indexCodebook(codebook);
}

describe("the inference option", () => {
  const original = JSON.parse(readFileSync(join(DATA, "codebook.json"), "utf8"));

  it("leaves the finite population correction off unless a codebook switches it on", () => {
    expect(codebook.inference).toEqual({ finitePopulationCorrection: false });
    expect(loadCodebook(join(import.meta.dirname, "../fixtures/bfi/codebook.json")).inference).toEqual({
      finitePopulationCorrection: false
    });
    const on = parseCodebook({ ...original, inference: { finitePopulationCorrection: true } });
    expect(on.inference.finitePopulationCorrection).toBe(true);
    expect(() => parseCodebook({ ...original, inference: { finitePopulationCorrection: "yes" } }, "cb.json")).toThrow(
      /^cb\.json: inference\.finitePopulationCorrection: /
    );
  });
});

describe("a broken codebook", () => {
  const original = JSON.parse(readFileSync(join(DATA, "codebook.json"), "utf8"));
  const broken = (change: (cb: typeof original) => void) => {
    const cb = structuredClone(original);
    change(cb);
    return cb;
  };

  it("names the path inside the file and what is wrong", () => {
    const attempt = () =>
      parseCodebook(
        broken((cb) => (cb.scales.agree5.max = "5")),
        "data/codebook.json"
      );
    expect(attempt).toThrow(DataFileError);
    expect(attempt).toThrow(/^data\/codebook\.json: scales\.agree5\.max: /);
    expect(() =>
      parseCodebook(
        broken((cb) => (cb.questions[12].subdimension = "nope")),
        "cb.json"
      )
    ).toThrow("cb.json: questions[12].subdimension: unknown sub-dimension nope");
    expect(() =>
      parseCodebook(
        broken((cb) => (cb.questions[5].number = 5)),
        "cb.json"
      )
    ).toThrow("questions[5].number: duplicate question number 5");
    expect(() =>
      parseCodebook(
        broken((cb) => cb.scales.agree5.labels.pop()),
        "cb.json"
      )
    ).toThrow("scales.agree5.labels: a scale needs exactly one label per score");
  });

  it("reports a file that is not JSON with the file name", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "cb.json"), "{ not json");
    expect(() => loadCodebook(join(dir, "cb.json"))).toThrow(/cb\.json: not valid JSON/);
  });
});

describe("data/roster.csv and data/indicators.json", () => {
  it("lists the 73 units of the survey with their categories and headcounts", () => {
    const roster = loadRoster(join(DATA, "roster.csv"));
    expect(roster).toHaveLength(73);
    expect(new Set(roster.map((u) => u.category))).toEqual(
      new Set(["党政机关", "事业单位", "国有企业", "垂管单位", "群团组织"])
    );
    expect(roster.reduce((s, u) => s + u.headcount, 0)).toBeGreaterThanOrEqual(565);
  });

  it("reports a bad roster row by row and column", () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, "roster.csv"),
      "code,name,category,headcount\nU001,甲,党政机关,10\nU002,乙,党政机关,多\nU001,丙,事业单位,3\n"
    );
    expect(() => loadRoster(join(dir, "roster.csv"))).toThrow(
      /roster\.csv: row 3, column headcount: .*; row 4, column code: duplicate unit code U001$/
    );
  });

  it("defines party-building and business indicators, process and outcome, with weights", () => {
    const { indicators } = loadIndicators(join(DATA, "indicators.json"));
    const weight = (domain: string, kind?: string) =>
      indicators.filter((i) => i.domain === domain && (!kind || i.kind === kind)).reduce((s, i) => s + i.weight, 0);
    expect(weight("party_building")).toBe(100);
    expect(weight("business")).toBe(100);
    expect(weight("party_building", "process")).toBe(70); // the report's complaint: process outweighs outcome
  });
});
