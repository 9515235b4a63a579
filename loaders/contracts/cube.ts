// A compact "cube" file (loaders/marts/compact.ts writes it, src/components/cube.ts reads it) and a schema for one
// whose cells, read back exactly as a page reads them, must each match a row schema.
import { z } from "zod";
import { expandCube, type Cube } from "../../src/components/cube.ts";

export const CubeShapeSchema = z.strictObject({
  axes: z.array(z.strictObject({ names: z.array(z.string()), values: z.array(z.array(z.union([z.string(), z.number(), z.null()]))) })),
  fields: z.record(z.string(), z.array(z.unknown())),
  digits: z.record(z.string(), z.int()),
  booleans: z.array(z.string()),
  presence: z.string()
});

/** A cube whose every cell, read back, is a `cell` (the errors name the cell's index). */
export function cubeOf<T extends z.ZodType>(cell: T) {
  return CubeShapeSchema.superRefine((cube, ctx) => {
    const size = cube.axes.reduce((s, a) => s * a.values.length, 1);
    const wrong = Object.entries(cube.fields).filter(([, values]) => values.length !== size);
    for (const [name, values] of wrong) ctx.addIssue({ code: "custom", path: ["fields", name], message: `${values.length} values for ${size} cells` });
    if (wrong.length) return;
    expandCube(cube as Cube).forEach((row, i) => {
      const result = cell.safeParse(row);
      if (!result.success) for (const issue of result.error.issues) ctx.addIssue({ code: "custom", path: ["cells", i, ...issue.path], message: issue.message });
    });
  });
}

export type { Cube };
