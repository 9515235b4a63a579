// 考核: the assessment page (assessment.json: unit-level scores, not respondents', so no group-size rule applies) and
// the survey beside it (assessment-survey.json: one question's answers per wave and each unit's sub-dimension index,
// shown as the wave's suppression pattern says).
import { z } from "zod";
import { hiddenRowsCarryNothing } from "./scores.ts";

const num = z.number().nullable();
const domain = z.enum(["party_building", "business"]);
const kind = z.enum(["process", "outcome"]);

export const AssessmentReportSchema = z.strictObject({
  indicatorsVersion: z.string(),
  indicators: z.array(
    z.strictObject({ code: z.string(), name: z.string(), domain, kind, weight: z.number(), maxScore: z.number() })
  ),
  years: z.array(z.int()),
  units: z.array(z.strictObject({ code: z.string(), name: z.string(), category: z.string() })),
  /** Per year and unit, the raw score of each indicator in the order of `indicators` (null: not scored). */
  scores: z.array(z.strictObject({ year: z.int(), unit: z.string(), scores: z.array(num) })),
  totals: z.array(
    z.strictObject({
      year: z.int(),
      unit: z.string(),
      partyBuilding: num,
      business: num,
      partyBuildingPercentile: num,
      businessPercentile: num,
      /** Percentile points, party building's rank minus business's. */
      rankGap: num,
      /** 两张皮 by ranks and the tolerance of indicators.json (pipeline/stats/two-skins.ts). */
      twoSkins: z.enum(["party_building_ahead", "business_ahead", "together"]).nullable()
    })
  ),
  medians: z.array(z.strictObject({ year: z.int(), partyBuilding: z.number(), business: z.number(), units: z.int() })),
  twoSkins: z.strictObject({
    /** Percentile points off the diagonal (indicators.json twoSkinsTolerance). */
    tolerance: z.number().min(0).lt(100),
    lasting: z.array(
      z.strictObject({
        unit: z.string(),
        ahead: z.enum(["party_building_ahead", "business_ahead"]),
        years: z.int()
      })
    ),
    /** Pearson's r between the party-building and business totals across the year's units, with its 95% interval. */
    correlations: z.array(z.strictObject({ year: z.int(), units: z.int(), r: num, ciLow: num, ciHigh: num, p: num }))
  }),
  indicatorSummary: z.array(
    z.strictObject({
      year: z.int(),
      indicator: z.string(),
      n: z.int(),
      mean: z.number(),
      sd: num,
      min: z.number(),
      q1: z.number(),
      median: z.number(),
      q3: z.number(),
      max: z.number()
    })
  ),
  weights: z.array(
    z.strictObject({ domain: z.string(), kind: z.string(), indicators: z.int(), weight: z.number(), share: z.number() })
  ),
  file: z.strictObject({ name: z.string(), rows: z.int(), accepted: z.int(), quarantined: z.int() }).nullable()
});
export type AssessmentReport = z.infer<typeof AssessmentReportSchema>;

export const UnitSubdimensionRowSchema = z
  .strictObject({
    wave: z.int(),
    unit: z.string(),
    /** The unit's one count in this wave. */
    n: z.int().nullable(),
    index: num,
    /** The unit's party-building assessment total of the same year (a unit-level score, shown whatever the survey). */
    partyBuilding: num,
    suppressed: z.boolean()
  })
  .superRefine(hiddenRowsCarryNothing<{ suppressed: boolean } & Record<string, unknown>>(["n", "index"]));
export type UnitSubdimensionRow = z.infer<typeof UnitSubdimensionRowSchema>;

export const ChoiceShareRowSchema = z.strictObject({
  wave: z.int(),
  option: z.int(),
  label: z.string(),
  count: z.int(),
  n: z.int(),
  share: z.number(),
  low: z.number(),
  high: z.number()
});
export type ChoiceShareRow = z.infer<typeof ChoiceShareRowSchema>;

export const AssessmentSurveyLinkSchema = z.strictObject({
  minGroupSize: z.int().positive(),
  question: z.strictObject({ code: z.string(), text: z.string(), options: z.array(z.string()) }).nullable(),
  choices: z.array(ChoiceShareRowSchema),
  subdimension: z.strictObject({ code: z.string(), name: z.string(), dimensionName: z.string() }).nullable(),
  units: z.array(UnitSubdimensionRowSchema),
  /** Per wave: Pearson's r between the shown units' sub-dimension index and their party-building total. */
  correlations: z.array(z.strictObject({ wave: z.int(), units: z.int(), r: num, ciLow: num, ciHigh: num, p: num }))
});
export type AssessmentSurveyLink = z.infer<typeof AssessmentSurveyLinkSchema>;
