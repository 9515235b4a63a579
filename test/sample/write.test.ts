// The written files, read back as a steward's tools would read them: names, formats, headers, cells of each export
// mode, the deliberate flaws at their rows and columns, determinism, the CLI and ensureSampleData.
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LikertQuestion, Question } from "../../pipeline/codebook/schema.ts";
import { generateSample } from "../../pipeline/sample/generate.ts";
import type { MultipleAnswer } from "../../pipeline/sample/generate.ts";
import { ensureSampleData, foreignFiles, writeSample, type WrittenFile } from "../../pipeline/sample/write.ts";
import { dataDir, defaultTruth, inputs, readBack, root, str, type ReadCell } from "./helpers.ts";

const { codebook, roster } = inputs();
const { truth } = defaultTruth();
let dir: string;
let written: WrittenFile[];
const files = new Map<number, ReadCell[][]>();

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "sample-write-"));
  written = writeSample(truth, codebook, dir);
  for (const w of truth.waves) files.set(w.year, readBack(join(dir, "surveys", w.file.fileName), w.file.format));
}, 120_000); // generous: writing and reading back seven workbooks on a busy machine
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const header = (q: Question) => `${q.number}、${q.text}`;
const colCache = new WeakMap<ReadCell[][], Map<string, number>>();
/** The index of a header (trimmed) in a file's header row, -1 when absent. */
const colOf = (rows: ReadCell[][], h: string) => {
  let m = colCache.get(rows);
  if (!m) {
    m = new Map();
    rows[0].forEach((c, i) => m!.has(str(c).trim()) || m!.set(str(c).trim(), i));
    colCache.set(rows, m);
  }
  return m.get(h) ?? -1;
};
const likert = codebook.questions.filter((q): q is LikertQuestion => q.type === "likert");
const unitQ = codebook.questions.find((q) => q.type === "single" && q.options === "roster")!;
const multi = codebook.questions.find((q) => q.type === "multiple")!;

describe("writeSample", () => {
  it("writes one file per wave with all three modes and all four formats, named as a steward receives them", () => {
    const surveys = written.filter((f) => f.kind === "survey");
    expect(surveys.map((f) => f.relPath.replace("surveys/", ""))).toEqual([
      "2019年市直机关党务干部问卷_按文本.xls",
      "2020年市直机关党务干部问卷_按序号.xlsx",
      "2021年市直机关党务干部问卷_GBK.csv",
      "2022年市直机关党务干部问卷_按分数.xlsx",
      "2023年市直机关党务干部问卷_按文本.csv",
      "2024年市直机关党务干部问卷_按序号.xls",
      "2025年市直机关党务干部问卷_按文本.xlsx"
    ]);
    expect(new Set(surveys.map((f) => f.mode))).toEqual(new Set(["text", "number", "score"]));
    expect(new Set(surveys.map((f) => f.format))).toEqual(new Set(["xls", "xlsx", "csv-gbk", "csv-utf8bom"]));
    for (const f of written) expect(existsSync(f.path)).toBe(true);
    // BIFF8 .xls is an OLE compound file; .xlsx a zip
    expect(readFileSync(surveys[0].path).subarray(0, 4).toString("hex")).toBe("d0cf11e0");
    expect(readFileSync(surveys[1].path).subarray(0, 2).toString()).toBe("PK");
  });

  it("starts every file with 问卷星's metadata columns, then one column per question (expanded in coded modes)", () => {
    for (const w of truth.waves) {
      const rows = files.get(w.year)!;
      expect(rows[0].slice(0, 6)).toEqual(["序号", "提交答卷时间", "所用时间", "来源", "来源详情", "来自IP"]);
      for (const q of codebook.questions) {
        if (q.type === "multiple" && w.file.mode !== "text") {
          expect(colOf(rows, header(q))).toBe(-1);
          for (const o of q.options) expect(colOf(rows, `第${q.number}题(${o.label})`)).toBeGreaterThan(0);
        } else expect(colOf(rows, header(q))).toBeGreaterThan(0);
      }
      expect(rows[0].includes("总分")).toBe(w.file.mode === "score");
      // some headers carry a trailing space, like the real export
      expect(rows[0].some((h) => typeof h === "string" && h.endsWith(" "))).toBe(true);
      // header row + data rows, the last fully empty
      expect(rows.length).toBe(w.rows.length + 1);
      expect(rows[rows.length - 1].every((c) => str(c) === "")).toBe(true);
    }
  });

  it("prints each clean row's answers as the mode says", { timeout: 60_000 }, () => {
    const bad: string[] = [];
    for (const w of truth.waves) {
      const rows = files.get(w.year)!;
      const mode = w.file.mode;
      for (const fr of w.rows) {
        if (!fr.clean) continue;
        const r = fr.respondent!;
        const cells = rows[fr.row - 1];
        expect(Number(cells[0])).toBe(r.serial);
        expect(str(cells[1])).toBe(r.submittedAt);
        expect(str(cells[2])).toBe(`${r.durationSeconds}秒`);
        expect(str(cells[5])).toBe(r.ip);
        const unit = str(cells[colOf(rows, header(unitQ))]);
        expect(unit).toBe(mode === "text" ? r.attributes.unit : String(roster.findIndex((u) => u.code === r.unit) + 1));
        for (const q of likert) {
          const cell = str(cells[colOf(rows, header(q))]);
          const raw = r.answers[q.code];
          const scale = codebook.scales[q.scale];
          const skipped = r.missing[q.code] === "skipped";
          const want =
            raw === null
              ? mode === "text"
                ? skipped
                  ? "(跳过)"
                  : ""
                : skipped
                  ? "-3"
                  : "-2"
              : mode === "text"
                ? scale.labels[(raw as number) - scale.min]
                : String(raw);
          if (cell !== want) bad.push(`${w.file.fileName} row ${fr.row} ${q.code}: ${cell} ≠ ${want}`);
        }
        const m = r.answers[multi.code] as MultipleAnswer;
        if (mode === "text") {
          const cell = str(cells[colOf(rows, header(multi))]);
          const parts = cell.split("┋");
          expect(parts.map((p) => p.replace(/〖.*〗$/, ""))).toEqual(m.labels);
          if (m.other !== null) expect(cell).toContain(`其他【请注明】〖${m.other}〗`);
        } else
          for (const o of multi.options)
            expect(str(cells[colOf(rows, `第${multi.number}题(${o.label})`)])).toBe(
              m.labels.includes(o.label) ? "1" : "0"
            );
        if (mode === "score") {
          const total = likert.reduce((s, q) => s + ((r.answers[q.code] as number | null) ?? 0), 0);
          expect(Number(cells[rows[0].indexOf("总分")])).toBe(total);
        }
      }
    }
    expect(bad).toEqual([]);
  });

  it("uses option labels in text mode and codes in number/score mode", () => {
    const labels = new Set([...codebook.scales.agree5.labels, "(跳过)", ""]);
    const codes = new Set(["1", "2", "3", "4", "5", "-2", "-3"]);
    let otherFillIns = 0;
    let skips = 0;
    const bad: string[] = [];
    for (const w of truth.waves) {
      const rows = files.get(w.year)!;
      for (const fr of w.rows) {
        if (!fr.clean) continue;
        for (const q of likert) {
          const cell = str(rows[fr.row - 1][colOf(rows, header(q))]);
          if (!(w.file.mode === "text" ? labels : codes).has(cell))
            bad.push(`${w.file.fileName} row ${fr.row} ${q.code}: ${cell}`);
          if (cell === "(跳过)") skips++;
        }
        if (
          w.file.mode === "text" &&
          /其他【请注明】〖[^〗]+〗/.test(str(rows[fr.row - 1][colOf(rows, header(multi))]))
        )
          otherFillIns++;
      }
      // number mode: the text cells are typed as numbers in the workbooks
      if (w.file.mode !== "text" && (w.file.format === "xls" || w.file.format === "xlsx"))
        expect(typeof rows[1][colOf(rows, header(likert[0]))]).toBe("number");
    }
    expect(bad).toEqual([]);
    expect(otherFillIns).toBeGreaterThan(5);
    expect(skips).toBeGreaterThan(10);
  });

  it("puts every deliberate flaw at its row and column", () => {
    for (const w of truth.waves) {
      const rows = files.get(w.year)!;
      for (const f of truth.flaws.filter((x) => x.file === w.file.fileName)) {
        const cells = rows[f.row - 1];
        switch (f.kind) {
          case "empty_row":
            expect(cells.every((c) => str(c) === "")).toBe(true);
            break;
          case "duplicate_id":
            expect(cells.map(str)).toEqual(rows[f.duplicateOf! - 1].map(str));
            expect(str(cells[0])).toBe(String(f.value));
            break;
          case "missing_required":
            expect(str(cells[rows[0].indexOf(f.column!)])).toBe("");
            break;
          default: {
            const i = rows[0].indexOf(f.column!);
            expect(i).toBeGreaterThan(0);
            expect(str(cells[i])).toBe(String(f.value));
          }
        }
        if (f.kind === "unknown_unit") {
          if (w.file.mode === "text") expect(roster.map((u) => u.name)).not.toContain(f.value);
          else expect(Number(f.value)).toBeGreaterThan(roster.length);
        }
        if (f.kind === "likert_out_of_range") expect([1, 2, 3, 4, 5]).not.toContain(f.value);
        if (f.kind === "invalid_option") expect(codebook.scales.agree5.labels).not.toContain(f.value);
      }
      // 序号 repeats exactly once: at the duplicate_id row
      const serials = rows
        .slice(1)
        .map((r) => str(r[0]))
        .filter((s) => s !== "");
      expect(serials.length - new Set(serials).size).toBe(1);
    }
  });

  it("writes the GBK CSV so that it is not UTF-8 but decodes as GBK, with CRLF", () => {
    const w = truth.waves.find((x) => x.file.format === "csv-gbk")!;
    const bytes = readFileSync(join(dir, "surveys", w.file.fileName));
    expect(() => new TextDecoder("utf-8", { fatal: true }).decode(bytes)).toThrow();
    const text = new TextDecoder("gbk").decode(bytes);
    expect(text.startsWith("序号,提交答卷时间,所用时间")).toBe(true);
    expect(text).toContain("┋");
    expect(text.split("\r\n").length).toBe(w.rows.length + 2);
    expect(text.replace(/\r\n/g, "")).not.toMatch(/[\r\n]/);
  });

  it("writes the UTF-8 CSV with a byte order mark and CRLF", () => {
    const w = truth.waves.find((x) => x.file.format === "csv-utf8bom")!;
    const bytes = readFileSync(join(dir, "surveys", w.file.fileName));
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    expect(text.includes("\r\n")).toBe(true);
  });

  it("writes the assessment scores as UTF-8 CSV with roster unit codes", () => {
    const text = readFileSync(join(dir, "assessment", "scores.csv"), "utf8");
    const lines = text.trimEnd().split("\n");
    expect(lines[0]).toBe("year,unit,indicator,score");
    expect(lines.length - 1).toBe(truth.assessment.length + truth.assessmentFlaws.length);
    const codes = new Set(roster.map((u) => u.code));
    const flawRows = new Set(truth.assessmentFlaws.map((f) => f.row));
    for (const [i, l] of lines.entries())
      if (i > 0 && !flawRows.has(i + 1)) expect(codes.has(l.split(",")[1])).toBe(true);
    // the deliberate flaws sit at the rows the truth names, written as the truth has them
    for (const f of truth.assessmentFlaws) expect(lines[f.row - 1]).toBe(f.cells.join(","));
  });

  it("writes the same files for the same seed (CSV byte-identical, workbooks cell-identical)", () => {
    const dir2 = mkdtempSync(join(tmpdir(), "sample-write2-"));
    try {
      writeSample(generateSample({ ...inputs(), seed: truth.seed }), codebook, dir2);
      for (const w of truth.waves) {
        const a = join(dir, "surveys", w.file.fileName);
        const b = join(dir2, "surveys", w.file.fileName);
        if (w.file.format.startsWith("csv")) expect(readFileSync(b).equals(readFileSync(a))).toBe(true);
        else expect(readBack(b, w.file.format)).toEqual(files.get(w.year));
      }
      expect(
        readFileSync(join(dir2, "assessment", "scores.csv")).equals(readFileSync(join(dir, "assessment", "scores.csv")))
      ).toBe(true);
    } finally {
      rmSync(dir2, { recursive: true, force: true });
    }
  }, 60_000); // generating and writing seven workbooks takes seconds on a loaded machine

  it("knows its own files: a manifest, and anything else in surveys/ is foreign", () => {
    expect(foreignFiles(dir)).toEqual([]);
    writeFileSync(join(dir, "surveys", "真实导出.xlsx"), "x");
    expect(foreignFiles(dir)).toEqual(["surveys/真实导出.xlsx"]);
    rmSync(join(dir, "surveys", "真实导出.xlsx"));
    expect(foreignFiles(dir)).toEqual([]);
  });
});

describe("npm run sample", () => {
  const tsx = join(root, "node_modules", ".bin", "tsx");
  const cli = join(root, "pipeline", "cli", "sample.ts");

  it("writes the sample, prints a Chinese summary, and refuses to overwrite foreign files unless --force", () => {
    const out = mkdtempSync(join(tmpdir(), "sample-cli-"));
    try {
      const ok = spawnSync(tsx, [cli, "--out", out, "--seed", "20190901"], { encoding: "utf8" });
      expect(ok.status, ok.stderr).toBe(0);
      expect(ok.stdout).toContain("有效答卷 565 份");
      expect(ok.stdout).toContain("2019年市直机关党务干部问卷_按文本.xls");
      // a second run over its own files is fine
      writeFileSync(join(out, "surveys", "steward.csv"), "序号\n1\n");
      const refused = spawnSync(tsx, [cli, "--out", out], { encoding: "utf8" });
      expect(refused.status).toBe(2);
      expect(refused.stderr).toContain("surveys/steward.csv");
      const forced = spawnSync(tsx, [cli, "--out", out, "--force"], { encoding: "utf8" });
      expect(forced.status, forced.stderr).toBe(0);
      expect(readFileSync(join(out, "surveys", "steward.csv"), "utf8")).toBe("序号\n1\n");
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 120_000); // spawns tsx three times
});

describe("ensureSampleData", () => {
  it("generates the sample on first run only", () => {
    const d = mkdtempSync(join(tmpdir(), "sample-ensure-"));
    try {
      for (const f of ["codebook.json", "roster.csv", "indicators.json"]) copyFileSync(join(dataDir, f), join(d, f));
      const first = ensureSampleData(d);
      expect(first.filter((f) => f.kind === "survey")).toHaveLength(7);
      expect(existsSync(join(d, "assessment", "scores.csv"))).toBe(true);
      expect(ensureSampleData(d)).toEqual([]);
      // a steward's own scores are never overwritten
      const d2 = join(d, "second");
      mkdirSync(join(d2, "assessment"), { recursive: true });
      for (const f of ["codebook.json", "roster.csv", "indicators.json"]) copyFileSync(join(dataDir, f), join(d2, f));
      writeFileSync(join(d2, "assessment", "scores.csv"), "year,unit,indicator,score\n");
      const second = ensureSampleData(d2);
      expect(second.some((f) => f.kind === "assessment")).toBe(false);
      expect(readFileSync(join(d2, "assessment", "scores.csv"), "utf8")).toBe("year,unit,indicator,score\n");
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  }, 120_000); // writes the sample twice: generous for a busy machine
});
