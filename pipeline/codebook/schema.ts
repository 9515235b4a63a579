// The codebook, roster and assessment-indicator schemas: declared once with zod, types derived with z.infer.
// Everything about one questionnaire lives in data files validated by these schemas, never in pipeline code.
import { z } from "zod";

const code = z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/, "a code is letters, digits and _ and starts with a letter");

/** A Likert scale: integer scores min..max, one label per score (as a 问卷星 text export prints them). */
export const ScaleSchema = z
  .object({
    min: z.int(),
    max: z.int(),
    labels: z.array(z.string().min(1)),
    /** Scores at or above this count as "agreeing" for the share-agreeing statistic. */
    agreeFrom: z.int()
  })
  .refine((s) => s.max > s.min, { message: "max must be greater than min", path: ["max"] })
  .refine((s) => s.labels.length === s.max - s.min + 1, {
    message: "a scale needs exactly one label per score (max - min + 1)",
    path: ["labels"]
  })
  .refine((s) => s.agreeFrom > s.min && s.agreeFrom <= s.max, {
    message: "agreeFrom must be a score of the scale above its minimum",
    path: ["agreeFrom"]
  });

/** An option of a single or multiple choice question; `other` options carry a fill-in text (问卷星 〖…〗). */
export const OptionSchema = z.object({
  label: z.string().min(1),
  labelEn: z.string().optional(),
  other: z.boolean().default(false)
});

const questionBase = {
  code,
  /** The question number printed in the export header (`12、…`); optional for plain CSV exports. */
  number: z.int().positive().optional(),
  text: z.string().min(1),
  textEn: z.string().optional(),
  /** Other header spellings that mean this question (e.g. a bare column name `A1`). */
  aliases: z.array(z.string()).default([]),
  /** Whether an empty answer is a rejected row (true) or a missing value (false). */
  required: z.boolean().default(false),
  /** The respondent attribute this question records (unit, role, tenure, age_band…), used for breakdowns. */
  attribute: code.optional(),
  /** How a breakdown by this attribute is titled (身份, 单位类别 …); defaults to the question text. */
  attributeName: z.string().optional()
};

export const LikertQuestionSchema = z.object({
  ...questionBase,
  type: z.literal("likert"),
  scale: code,
  subdimension: code,
  /** Reverse-keyed: the score is mirrored (min + max - x) before it enters any scale statistic. */
  reverse: z.boolean().default(false)
});

export const SingleQuestionSchema = z.object({
  ...questionBase,
  type: z.literal("single"),
  /** Either listed options, or "roster": the options are the roster's units, in roster order. */
  options: z.union([z.array(OptionSchema).min(2), z.literal("roster")])
});

export const MultipleQuestionSchema = z.object({
  ...questionBase,
  type: z.literal("multiple"),
  options: z.array(OptionSchema).min(2)
});

export const NumberQuestionSchema = z.object({
  ...questionBase,
  type: z.literal("number"),
  min: z.number().optional(),
  max: z.number().optional()
});

export const TextQuestionSchema = z.object({
  ...questionBase,
  type: z.literal("text")
});

export const QuestionSchema = z.discriminatedUnion("type", [
  LikertQuestionSchema,
  SingleQuestionSchema,
  MultipleQuestionSchema,
  NumberQuestionSchema,
  TextQuestionSchema
]);

/**
 * A sub-dimension, named for what its score measures so that a higher score reads as better (认识清晰), and, when the
 * source report names it for the fault whose absence it measures (模糊认识), that name as `reportName`. Optional: a
 * questionnaire without a source report (bfi) has none.
 */
export const SubdimensionSchema = z.object({
  code,
  name: z.string().min(1),
  nameEn: z.string().optional(),
  reportName: z.string().min(1).optional()
});

export const DimensionSchema = z.object({
  code,
  name: z.string().min(1),
  nameEn: z.string().optional(),
  /** The report's short phrase for the dimension (e.g. 热情不高). */
  summary: z.string().optional(),
  subdimensions: z.array(SubdimensionSchema).min(1)
});

export const SectionSchema = z.object({
  code,
  name: z.string().min(1),
  nameEn: z.string().optional(),
  /** "higher_is_better": a high score is good (causes, achievements); "higher_is_worse": a problem's severity. */
  direction: z.enum(["higher_is_better", "higher_is_worse"]),
  dimensions: z.array(DimensionSchema).min(1)
});

/** A measure of the report (助推剂 …) and the sub-dimensions whose weakness calls for it. */
export const MeasureSchema = z.object({
  code,
  name: z.string().min(1),
  nameEn: z.string().optional(),
  summary: z.string().optional(),
  parts: z.array(z.object({ code, name: z.string().min(1), addresses: z.array(code).min(1) })).min(1)
});

/** Column names of the export's metadata; defaults are 问卷星's. */
export const ExportColumnsSchema = z.object({
  id: z.array(z.string()).default(["序号", "编号", "答卷编号"]),
  submittedAt: z.array(z.string()).default(["提交答卷时间", "提交时间", "开始答题时间"]),
  duration: z.array(z.string()).default(["所用时间", "答题时长"]),
  source: z.array(z.string()).default(["来源", "来源渠道"]),
  sourceDetail: z.array(z.string()).default(["来源详情"]),
  ip: z.array(z.string()).default(["来自IP", "IP", "填写者IP"]),
  /** 问卷星's score export (按分数) appends the questionnaire total; it is recognised, not imported. */
  totalScore: z.array(z.string()).default(["总分"])
});

export const QualitySchema = z.object({
  /** A response completed faster than this is a speeder. */
  minDurationSeconds: z.number().nonnegative().default(0),
  /** A respondent giving one score to at least this many Likert items in a row (and all of them) is a straight-liner. */
  straightLineMinItems: z.int().positive().default(10),
  /** Flags whose respondents are left out of every scale statistic (they stay in the store and the quality report). */
  excludeFromScores: z.array(z.enum(["speeder", "straightliner"])).default(["speeder"])
});

/**
 * How the change since the previous wave is tested. `finitePopulationCorrection` false (the default): the answers
 * are outcomes of the process that produces them, and each wave's respondents are not treated as a sample drawn from
 * the roster (they choose themselves); Welch's t test without a finite population correction (R's t.test). True:
 * only for a survey whose respondents really are a simple random sample of the roster; the design-based test with
 * the correction 1 − n/N, N the roster headcount of the group (R's survey::svyttest with fpc), about the roster's
 * mean at that time. Groups whose headcount the roster does not give are tested by the same design without it.
 * The option is about changes between waves only: a unit against the rest of its category (marts/unit-verdicts.ts)
 * is always compared model-based, since "the rest" is no sample of any roster.
 */
export const InferenceSchema = z.object({
  finitePopulationCorrection: z.boolean().default(false)
});

export const CodebookSchema = z
  .object({
    id: code,
    version: z.string().min(1),
    title: z.string().min(1),
    titleEn: z.string().optional(),
    /** No published figure may describe fewer respondents than this. */
    minGroupSize: z.int().min(1).default(5),
    /** A categorical-only questionnaire (like the 问卷星 examples in ../shared/external) has no scales or sections. */
    scales: z.record(code, ScaleSchema).default({}),
    sections: z.array(SectionSchema).default([]),
    measures: z.array(MeasureSchema).default([]),
    questions: z.array(QuestionSchema).min(1),
    exportColumns: ExportColumnsSchema.default(ExportColumnsSchema.parse({})),
    quality: QualitySchema.default(QualitySchema.parse({})),
    inference: InferenceSchema.default(InferenceSchema.parse({}))
  })
  .superRefine((cb, ctx) => {
    const subdims = new Set<string>();
    const dimCodes = new Set<string>();
    cb.sections.forEach((s, si) =>
      s.dimensions.forEach((d, di) => {
        if (dimCodes.has(d.code))
          ctx.addIssue({
            code: "custom",
            path: ["sections", si, "dimensions", di, "code"],
            message: `duplicate dimension code ${d.code}`
          });
        dimCodes.add(d.code);
        d.subdimensions.forEach((sd, sdi) => {
          if (subdims.has(sd.code))
            ctx.addIssue({
              code: "custom",
              path: ["sections", si, "dimensions", di, "subdimensions", sdi, "code"],
              message: `duplicate sub-dimension code ${sd.code}`
            });
          subdims.add(sd.code);
        });
      })
    );
    const codes = new Set<string>();
    const numbers = new Set<number>();
    cb.questions.forEach((q, qi) => {
      if (codes.has(q.code))
        ctx.addIssue({ code: "custom", path: ["questions", qi, "code"], message: `duplicate question code ${q.code}` });
      codes.add(q.code);
      if (q.number !== undefined) {
        if (numbers.has(q.number))
          ctx.addIssue({
            code: "custom",
            path: ["questions", qi, "number"],
            message: `duplicate question number ${q.number}`
          });
        numbers.add(q.number);
      }
      if (q.type === "likert") {
        if (!(q.scale in cb.scales))
          ctx.addIssue({ code: "custom", path: ["questions", qi, "scale"], message: `unknown scale ${q.scale}` });
        if (!subdims.has(q.subdimension))
          ctx.addIssue({
            code: "custom",
            path: ["questions", qi, "subdimension"],
            message: `unknown sub-dimension ${q.subdimension}`
          });
      }
    });
    cb.measures.forEach((m, mi) =>
      m.parts.forEach((p, pi) =>
        p.addresses.forEach((a, ai) => {
          if (!subdims.has(a))
            ctx.addIssue({
              code: "custom",
              path: ["measures", mi, "parts", pi, "addresses", ai],
              message: `unknown sub-dimension ${a}`
            });
        })
      )
    );
  });

/** One row of the roster CSV: a unit, its category and its number of cadres (for response rates). */
export const RosterUnitSchema = z.object({
  code,
  name: z.string().min(1),
  category: z.string().min(1),
  headcount: z.coerce.number().int().nonnegative()
});

/** One assessment indicator: its weight, whether it scores party building or business, process or outcome. */
export const IndicatorSchema = z.object({
  code,
  name: z.string().min(1),
  nameEn: z.string().optional(),
  domain: z.enum(["party_building", "business"]),
  kind: z.enum(["process", "outcome"]),
  weight: z.number().positive(),
  maxScore: z.number().positive()
});

export const IndicatorsSchema = z.object({
  version: z.string().min(1),
  indicators: z.array(IndicatorSchema).min(1),
  /**
   * 两张皮: how far apart, in percentile points (0–100), a unit's ranks among the year's units on the party-building
   * and the business totals must be for the unit to be called strong in one and weak in the other (the band
   * y = x ± t around the diagonal, pipeline/stats/two-skins.ts). Ranks, not scores: party-building totals sit
   * systematically higher than business totals, so a diagonal on the scores would flag nearly every unit.
   */
  twoSkinsTolerance: z.number().min(0).lt(100).default(50)
});

/** One row of an assessment scores CSV. */
export const AssessmentScoreSchema = z.object({
  year: z.coerce.number().int().min(1990).max(2100),
  unit: code,
  indicator: code,
  score: z.coerce.number().nonnegative()
});

export type Scale = z.infer<typeof ScaleSchema>;
export type Option = z.infer<typeof OptionSchema>;
export type Question = z.infer<typeof QuestionSchema>;
export type LikertQuestion = z.infer<typeof LikertQuestionSchema>;
export type Section = z.infer<typeof SectionSchema>;
export type Dimension = z.infer<typeof DimensionSchema>;
export type Codebook = z.infer<typeof CodebookSchema>;
export type RosterUnit = z.infer<typeof RosterUnitSchema>;
export type Indicator = z.infer<typeof IndicatorSchema>;
export type Indicators = z.infer<typeof IndicatorsSchema>;
export type AssessmentScore = z.infer<typeof AssessmentScoreSchema>;
