// 对策建议 (measures.json): the report's measures ranked per wave and group by the weakness of the sub-dimensions
// each part addresses (pipeline/marts/measures.ts). Evidence, priorities and parts are cubes (wave × group × code).
import { z } from "zod";
import { GroupingSchema } from "./common.ts";
import { cubeOf } from "./cube.ts";
import { DirectionSchema, hiddenRowsCarryNothing } from "./scores.ts";

const num = z.number().nullable();
const key = { wave: z.int(), grouping: z.string(), group: z.string(), code: z.string() };

export const EvidenceCellSchema = z
  .strictObject({
    ...key,
    n: z.int().nullable(),
    index: num,
    indexLow: num,
    indexHigh: num,
    agreeShare: num,
    indexChange: num,
    /** Benjamini–Hochberg adjusted p ≤ 5% within the page's family: every change of its evidence. */
    changeSignificant: z.boolean().nullable(),
    /** 0–100: distance of the index from the good end of the scale. */
    gap: num,
    rankInSection: z.int().nullable(),
    reasons: z.array(z.enum(["weakest", "unfavourable", "worsened"])).nullable(),
    suppressed: z.boolean()
  })
  .superRefine(
    hiddenRowsCarryNothing<{ suppressed: boolean } & Record<string, unknown>>([
      "n",
      "index",
      "indexLow",
      "indexHigh",
      "agreeShare",
      "indexChange",
      "changeSignificant",
      "gap",
      "rankInSection"
    ])
  );

export const PriorityCellSchema = z
  .strictObject({
    ...key,
    need: num,
    applies: z.boolean(),
    rank: z.int().nullable(),
    /** The respondents' own demand for the measure (the 对策需求 dimension of the same code), when there is one. */
    demandIndex: num,
    demandShare: num,
    demandLow: num,
    demandHigh: num,
    demandN: z.int().nullable(),
    demandSuppressed: z.boolean().nullable()
  })
  .superRefine((row, ctx) => {
    if (
      row.demandSuppressed === true &&
      [row.demandIndex, row.demandShare, row.demandLow, row.demandHigh, row.demandN].some((v) => v !== null)
    )
      ctx.addIssue({ code: "custom", message: "a suppressed demand carries figures" });
  });

export const PartCellSchema = z.strictObject({ ...key, need: num, applies: z.boolean(), rank: z.int().nullable() });

export const MeasureDefinitionSchema = z.strictObject({
  code: z.string(),
  name: z.string(),
  summary: z.string().nullable(),
  parts: z.array(z.strictObject({ code: z.string(), name: z.string(), addresses: z.array(z.string()) }))
});

export const MeasuresFileSchema = z.strictObject({
  minGroupSize: z.int().positive(),
  waves: z.array(z.int()),
  groupings: z.array(GroupingSchema),
  refreshedAt: z.string(),
  changeTest: z.string(),
  sections: z.array(z.strictObject({ code: z.string(), name: z.string(), direction: DirectionSchema })),
  demandSection: z.strictObject({ code: z.string(), name: z.string() }).nullable(),
  /** The section whose sub-dimensions rank the measures (gaps of different sections are never averaged). */
  basis: z.strictObject({ code: z.string(), name: z.string() }).nullable(),
  subdimensions: z.record(
    z.string(),
    z.strictObject({
      name: z.string(),
      dimension: z.string(),
      dimensionName: z.string(),
      section: z.string(),
      sectionName: z.string()
    })
  ),
  measures: z.array(MeasureDefinitionSchema),
  evidence: cubeOf(EvidenceCellSchema),
  priorities: cubeOf(PriorityCellSchema),
  parts: cubeOf(PartCellSchema)
});
