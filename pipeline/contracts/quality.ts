// 数据质量 (quality.json), for stewards: what was ingested (files and checksums), which rows were quarantined — by
// kind, column and row number only, never a cell's content (the cells stay in the steward's quarantine CSV) — which
// assessment rows were rejected, and per whole wave how many answers were flagged and which items went unanswered.
import { z } from "zod";
import { CodebookRefSchema } from "./common.ts";

const kindSummary = z.strictObject({ kind: z.string(), label: z.string(), rows: z.int() });

export const QualityReportSchema = z.strictObject({
  codebook: CodebookRefSchema,
  minGroupSize: z.int().positive(),
  rules: z.strictObject({
    minDurationSeconds: z.number(),
    straightLineMinItems: z.int(),
    excludeFromScores: z.array(z.string())
  }),
  refreshedAt: z.string(),
  files: z.array(
    z.strictObject({
      name: z.string(),
      sha256: z.string(),
      wave: z.int(),
      kind: z.string(),
      format: z.string(),
      encoding: z.string().nullable(),
      rows: z.int(),
      accepted: z.int(),
      quarantined: z.int(),
      ingestedAt: z.string(),
      codebookVersion: z.string(),
      warnings: z.array(z.string())
    })
  ),
  /** One row per problem of a quarantined survey row: where, and what kind (no reason text, no cell). */
  quarantine: z.array(
    z.strictObject({ file: z.string(), wave: z.int(), row: z.int(), column: z.string(), kind: z.string() })
  ),
  quarantineKinds: z.array(
    z.strictObject({
      kind: z.string(),
      label: z.string(),
      reasons: z.int(),
      rows: z.int(),
      byWave: z.record(z.string(), z.int())
    })
  ),
  assessment: z
    .strictObject({
      file: z.string(),
      rows: z.int(),
      accepted: z.int(),
      quarantined: z.int(),
      errors: z.array(z.strictObject({ row: z.int(), column: z.string(), kind: z.string() })),
      kinds: z.array(kindSummary)
    })
    .nullable(),
  /** Per whole wave (never per unit): answers accepted, flagged as too fast or straight-lined, and answer durations. */
  flags: z.array(
    z.strictObject({
      wave: z.int(),
      respondents: z.int(),
      speeders: z.int(),
      straightliners: z.int(),
      flagged: z.int(),
      medianDuration: z.number().nullable(),
      p10Duration: z.number().nullable()
    })
  ),
  questions: z.array(
    z.strictObject({ code: z.string(), number: z.int().nullable(), text: z.string(), type: z.string() })
  ),
  /** Per whole wave and question: answers accepted, how many gave no answer, and their share. */
  missing: z.array(
    z.strictObject({ wave: z.int(), question: z.string(), respondents: z.int(), missing: z.int(), share: z.number() })
  )
});
export type QualityReport = z.infer<typeof QualityReportSchema>;
