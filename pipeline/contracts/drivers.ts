// drivers/<predictors>-<outcomes>.json: correlations (a cube: wave × predictor × outcome) and regressions of one
// section's dimensions on another's, over each whole wave (pipeline/marts/driver-correlations.ts). Coefficients only.
import { z } from "zod";
import { DimensionSchema } from "./common.ts";
import { cubeOf } from "./cube.ts";
import { DirectionSchema, hiddenRowsCarryNothing } from "./scores.ts";

const num = z.number().nullable();

export const SectionShapeSchema = z.strictObject({
  section: z.string(),
  name: z.string(),
  direction: DirectionSchema,
  dimensions: z.array(DimensionSchema)
});

export const CorrelationCellSchema = z
  .strictObject({
    wave: z.int(),
    predictor: z.string(),
    outcome: z.string(),
    n: z.int().nullable(),
    r: num,
    ciLow: num,
    ciHigh: num,
    p: num,
    suppressed: z.boolean()
  })
  .superRefine(
    hiddenRowsCarryNothing<{ suppressed: boolean } & Record<string, unknown>>(["n", "r", "ciLow", "ciHigh", "p"])
  );

export const RegressionRowSchema = z
  .strictObject({
    wave: z.int(),
    outcome: z.string(),
    n: z.int().nullable(),
    rSquared: num,
    adjustedRSquared: num,
    f: num,
    p: num,
    coefficients: z
      .array(z.strictObject({ predictor: z.string(), beta: z.number(), se: z.number(), t: z.number(), p: z.number() }))
      .nullable(),
    suppressed: z.boolean()
  })
  .superRefine(
    hiddenRowsCarryNothing<{ suppressed: boolean } & Record<string, unknown>>([
      "n",
      "rSquared",
      "adjustedRSquared",
      "f",
      "p",
      "coefficients"
    ])
  );
export type RegressionRow = z.infer<typeof RegressionRowSchema>;

export const DriversFileSchema = z.strictObject({
  caveat: z.string(),
  minGroupSize: z.int().positive(),
  waves: z.array(z.int()),
  predictors: SectionShapeSchema,
  outcomes: SectionShapeSchema,
  regressions: z.array(RegressionRowSchema),
  correlations: cubeOf(CorrelationCellSchema)
});

/** One correlation as the mart computes it (a wave's row before it is packed into the file's cube). */
export interface CorrelationRow {
  wave: number;
  /** A dimension or sub-dimension of the predictor section. */
  predictor: string;
  outcome: string;
  n: number | null;
  r: number | null;
  ciLow: number | null;
  ciHigh: number | null;
  p: number | null;
  suppressed: boolean;
}
