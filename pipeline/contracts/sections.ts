// The three files of a section page (sections/<section>-{meta,scores,items}.json): the meta file with names, waves,
// breakdowns and item wordings, and the scores and items as cubes of the section marts' cells.
import { z } from "zod";
import { CodebookRefSchema, DimensionSchema, GroupingSchema, SourceSchema } from "./common.ts";
import { cubeOf } from "./cube.ts";
import { DirectionSchema, ItemCellSchema, ScaleScoreCellSchema } from "./scores.ts";

export const SectionMetaSchema = z.strictObject({
  codebook: CodebookRefSchema,
  minGroupSize: z.int().positive(),
  waves: z.array(z.int()),
  scale: z.strictObject({ min: z.int(), max: z.int(), labels: z.array(z.string()), agreeFrom: z.number() }),
  section: z.strictObject({ code: z.string(), name: z.string(), direction: DirectionSchema }),
  dimensions: z.array(DimensionSchema),
  groupings: z.array(GroupingSchema),
  refreshedAt: z.string(),
  changeTest: z.string(),
  sources: z.array(SourceSchema),
  items: z.array(
    z.strictObject({
      code: z.string(),
      text: z.string(),
      dimension: z.string(),
      subdimension: z.string(),
      reverse: z.boolean()
    })
  ),
  measures: z.array(
    z.strictObject({
      code: z.string(),
      name: z.string(),
      summary: z.string().nullable(),
      parts: z.array(z.strictObject({ code: z.string(), name: z.string(), addresses: z.array(z.string()) }))
    })
  )
});
export type SectionMeta = z.infer<typeof SectionMetaSchema>;

export const SectionScoresFileSchema = cubeOf(ScaleScoreCellSchema);
export const SectionItemsFileSchema = cubeOf(ItemCellSchema);
