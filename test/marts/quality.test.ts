// The data-quality mart on the seeded sample, against the generator's truth: every deliberate flaw quarantined at its
// row with its reason kind, the assessment rows rejected, speeders and straight-liners per wave, skipped items per
// wave, and the files of the manifest. And nothing that describes a respondent: no cells, no reason texts (they quote
// cells), no counts per unit.
import { beforeAll, describe, expect, it } from "vitest";
import { qualityReport, reasonKind, type QualityReport } from "../../pipeline/marts/quality.ts";
import { QualityReportSchema } from "../../pipeline/contracts/quality.ts";
import { toJson } from "../../pipeline/publish/json.ts";
import type { FlawKind } from "../../pipeline/sample/types.ts";
import { inputs } from "../sample/helpers.ts";
import { sampleStore, type SampleStore } from "./sample-store.ts";

const { codebook } = inputs();
let s: SampleStore;
let report: QualityReport;

beforeAll(async () => {
  s = await sampleStore();
  report = await qualityReport(s.store);
}, 60_000);

/** How the quality page groups each kind of flaw the generator makes (the empty row is not a row: a warning). */
const KIND_OF_FLAW: Record<Exclude<FlawKind, "empty_row">, string> = {
  unknown_unit: "unknown_unit",
  likert_out_of_range: "out_of_range",
  invalid_option: "invalid_likert",
  missing_required: "missing_required",
  duplicate_id: "duplicate"
};

describe("qualityReport", () => {
  it("lists every ingested file of the manifest with its checksum and counts", () => {
    expect(report.files.map((f) => f.name)).toEqual(s.truth.waves.map((w) => w.file.fileName));
    for (const f of report.files) {
      const wave = s.truth.waves.find((w) => w.file.fileName === f.name)!;
      expect(f.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(f.wave).toBe(wave.year);
      expect(f.accepted).toBe(wave.respondents.length);
      expect(f.quarantined).toBe(s.truth.flaws.filter((x) => x.year === wave.year && x.kind !== "empty_row").length);
      expect(f.rows).toBe(f.accepted + f.quarantined);
      expect(f.codebookVersion).toBe(codebook.version);
    }
  });

  it("quarantines exactly the deliberate flaws, each at its file, row and column, with its reason kind", () => {
    const flaws = s.truth.flaws.filter((f) => f.kind !== "empty_row");
    expect(report.quarantine).toHaveLength(flaws.length);
    for (const f of flaws) {
      const q = report.quarantine.find((x) => x.file === f.file && x.row === f.row)!;
      expect(q, `${f.file} row ${f.row}`).toBeDefined();
      expect(q.wave).toBe(f.year);
      expect(q.column).toBe(f.column);
      expect(q.kind, `${f.kind} at ${f.file} row ${f.row}`).toBe(
        KIND_OF_FLAW[f.kind as Exclude<FlawKind, "empty_row">]
      );
    }
  });

  it("aggregates the quarantine by reason kind, in total and per wave", () => {
    const flaws = s.truth.flaws.filter((f) => f.kind !== "empty_row");
    for (const k of report.quarantineKinds) {
      const of = flaws.filter((f) => KIND_OF_FLAW[f.kind as Exclude<FlawKind, "empty_row">] === k.kind);
      expect(k.rows, k.kind).toBe(of.length);
      for (const wave of s.truth.waves)
        expect(k.byWave[wave.year] ?? 0).toBe(of.filter((f) => f.year === wave.year).length);
    }
    expect(report.quarantineKinds.reduce((a, k) => a + k.rows, 0)).toBe(flaws.length);
    expect(report.quarantineKinds.some((k) => k.kind === "other")).toBe(false);
  });

  it("reports the assessment rows rejected, one per deliberate flaw", () => {
    expect(report.assessment!.quarantined).toBe(s.truth.assessmentFlaws.length);
    expect(report.assessment!.errors.map((e) => [e.row, e.column])).toEqual(
      s.truth.assessmentFlaws.map((f) => [f.row, f.column])
    );
    const kinds = {
      unknown_unit: "unknown_unit",
      unknown_indicator: "unknown_indicator",
      score_above_max: "score_above_max",
      duplicate_row: "duplicate_row",
      non_numeric_score: "not_number"
    };
    expect(report.assessment!.errors.map((e) => e.kind)).toEqual(s.truth.assessmentFlaws.map((f) => kinds[f.kind]));
    expect(report.assessment!.kinds.reduce((a, k) => a + k.rows, 0)).toBe(5);
  });

  it("counts speeders and straight-liners per wave as the truth flags them", () => {
    for (const wave of s.truth.waves) {
      const f = report.flags.find((x) => x.wave === wave.year)!;
      expect(f.respondents).toBe(wave.respondents.length);
      expect(f.speeders, `${wave.year}`).toBe(wave.respondents.filter((r) => r.flags.speeder).length);
      expect(f.straightliners).toBe(wave.respondents.filter((r) => r.flags.straightliner).length);
      expect(f.flagged).toBe(wave.respondents.filter((r) => r.flags.speeder || r.flags.straightliner).length);
      expect(f.speeders).toBeGreaterThan(0);
      const durations = wave.respondents.map((r) => r.durationSeconds).sort((a, b) => a - b);
      const mid = durations.length / 2;
      expect(f.medianDuration).toBe(
        durations.length % 2 ? durations[Math.floor(mid)] : (durations[mid - 1] + durations[mid]) / 2
      );
    }
  });

  it("gives the share of respondents who skipped each question in each wave, as the truth has it", () => {
    for (const wave of s.truth.waves)
      for (const q of codebook.questions) {
        const missing = wave.respondents.filter(
          (r) => r.answers[q.code] === null || r.answers[q.code] === undefined
        ).length;
        const row = report.missing.find((m) => m.wave === wave.year && m.question === q.code)!;
        expect(row.missing, `${wave.year} ${q.code}`).toBe(missing);
        expect(row.share).toBeCloseTo(missing / wave.respondents.length, 12);
      }
    expect(report.questions.map((q) => q.code)).toEqual(codebook.questions.map((q) => q.code));
  });

  it("publishes no cells, reason texts, open-text answers, IP addresses or counts per unit", () => {
    expect(QualityReportSchema.safeParse(report).success).toBe(true);
    const json = toJson(report);
    expect(json).not.toMatch(/"cells"|"reason"|flagsByUnit/);
    // No quoted cell survives anywhere: the only quotes are in the codebook's question texts and the kinds' labels.
    expect(json).not.toMatch(/单位“|答案“|选项“/);
    for (const t of s.truth.sensitiveTexts) expect(json.includes(t.text), t.text).toBe(false);
    for (const w of s.truth.waves.slice(0, 2))
      for (const r of w.respondents.slice(0, 50)) expect(json.includes(r.ip.split("(")[0])).toBe(false);
  });
});

describe("reason kinds", () => {
  it("names the kind of every reason the ingest writes", () => {
    expect(reasonKind("单位“市国资委”不在名册中").kind).toBe("unknown_unit");
    expect(reasonKind("超出量表范围 1–5").kind).toBe("out_of_range");
    expect(reasonKind("选项序号超出范围 1–4").kind).toBe("out_of_range");
    expect(reasonKind("序号 5 重复（与第 6 行相同）").kind).toBe("duplicate");
    expect(reasonKind("无法识别的时间“昨天”").kind).toBe("invalid_meta");
    expect(reasonKind("something new").kind).toBe("other");
  });
});

describe("qualityReport called twice on one connection", () => {
  it("gives the same report", async () => {
    const again = await qualityReport(s.store);
    expect(toJson(again)).toBe(toJson(report));
  });
});
