// Shapes shared by several published files: the codebook's section tree, breakdowns, provenance fields.
import { z } from "zod";
import { DirectionSchema } from "./scores.ts";

/** The grouping of everyone and its one group, as the published files spell them. */
export const ALL = "all";
export const ALL_GROUP = "全体";
/** The groupings by the roster: one unit, and a category of units. */
export const UNIT = "unit";
export const UNIT_CATEGORY = "unit_category";

/** A dimension of a section as the pages name it: its summary (the report's wording) and its sub-dimensions. */
export const DimensionSchema = z.strictObject({
  code: z.string(),
  name: z.string(),
  summary: z.string().nullable(),
  /** Each named for what it measures (higher is better in its section); `reportName` is the report's fault name. */
  subdimensions: z.array(z.strictObject({ code: z.string(), name: z.string(), reportName: z.string().optional() }))
});

export const SectionTreeSchema = z.array(
  z.strictObject({
    code: z.string(),
    name: z.string(),
    direction: DirectionSchema,
    dimensions: z.array(DimensionSchema)
  })
);

export const GroupingSchema = z.strictObject({ key: z.string(), name: z.string(), groups: z.array(z.string()) });

export const CodebookRefSchema = z.strictObject({ id: z.string(), version: z.string(), title: z.string() });

/** The files a build used, as the store's manifest lists them (names and checksums, never contents). */
export const SourceSchema = z.strictObject({
  name: z.string(),
  sha256: z.string(),
  wave: z.int(),
  accepted: z.int(),
  quarantined: z.int()
});
