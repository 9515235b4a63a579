// The compact ("cube") format: how it is written (toCube, used by the marts), how it is read (expandCube, in
// src/components/cube.ts because the pages load it in the browser) and a schema for a cube whose cells, read back
// exactly as a page reads them, must each match a row schema.
//
// Compact ("cube") encoding of a mart's rows for the site: a leader's page should not download the same keys and texts
// thousands of times. Rows keyed by a few columns (wave × breakdown group × scale …) become one array per field over
// every combination of the keys, in a fixed order; the keys are written once, as axes. Texts that belong to a key
// (an item's wording, a scale's name) go into the page's meta file instead (see section-files.ts).
//
// The format, read back in the browser by src/components/sectionData.ts (expandCube):
//   { axes: [{names, values}], fields: {name: value[]}, digits: {name: d}, booleans: [name], presence: name }
// - axes, outermost first: a cell's key takes one value tuple from each axis (`names` are the row fields it sets);
// - fields: cell i of the cube is fields[f][i], cells in row-major axis order (the last axis varies fastest);
// - a number field with `digits` d is written as the integer round(x · 10^d) and read back as that integer / 10^d
//   (3.2158 with d = 3 → 3216 → 3.216: shorter than "3.216", and the same double as parsing it);
// - booleans are written 1/0 and read back as true/false; null stays null;
// - a cell exists iff its `presence` field is not null there (a group absent from a wave has no row).

import { z } from "zod";
import { expandCube, type Cube } from "../../src/components/cube.ts";

export { expandCube, type Cube };
type AxisValue = Cube["axes"][number]["values"][number][number];
type CubeAxis = Cube["axes"][number];

export const CubeShapeSchema = z.strictObject({
  axes: z.array(
    z.strictObject({
      names: z.array(z.string()),
      values: z.array(z.array(z.union([z.string(), z.number(), z.null()])))
    })
  ),
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
    for (const [name, values] of wrong)
      ctx.addIssue({ code: "custom", path: ["fields", name], message: `${values.length} values for ${size} cells` });
    if (wrong.length) return;
    expandCube(cube as Cube).forEach((row, i) => {
      const result = cell.safeParse(row);
      if (!result.success)
        for (const issue of result.error.issues)
          ctx.addIssue({ code: "custom", path: ["cells", i, ...issue.path], message: issue.message });
    });
  });
}

/** How a field is written: decimals kept for a number (integer-coded), "boolean" (1/0), or "raw" (as is, e.g. counts). */
export type FieldSpec = number | "boolean" | "raw";

export interface CubeSpec<T> {
  /** Key columns, outermost first; each axis is one or more row fields that vary together (grouping + group). */
  axes: (keyof T & string)[][];
  fields: Partial<Record<keyof T & string, FieldSpec>>;
  /** A field that is never null in an existing row (e.g. suppressed). */
  presence: keyof T & string;
  /** Optional fixed order of an axis's values (by the axis's first field); values not listed follow in order of appearance. */
  order?: Partial<Record<keyof T & string, AxisValue[]>>;
}

function encode(value: unknown, spec: FieldSpec): unknown {
  if (value === null || value === undefined) return null;
  if (spec === "boolean") return value ? 1 : 0;
  if (spec === "raw") return value;
  if (typeof value !== "number") throw new TypeError(`a numeric field holds ${JSON.stringify(value)}`);
  if (!Number.isFinite(value)) return null;
  const coded = Math.round(value * 10 ** spec);
  return coded === 0 ? 0 : coded; // no -0 in the output
}

/** Encodes rows as a cube. Throws when two rows share a key (a mart's keys must be unique). */
export function toCube<T extends Record<string, unknown>>(rows: readonly T[], spec: CubeSpec<T>): Cube {
  const axes: CubeAxis[] = spec.axes.map((names) => {
    const seen = new Map<string, AxisValue[]>();
    for (const row of rows) {
      const tuple = names.map((n) => row[n] as AxisValue);
      const key = JSON.stringify(tuple);
      if (!seen.has(key)) seen.set(key, tuple);
    }
    const fixed = spec.order?.[names[0]] ?? [];
    const rank = (v: AxisValue) => (fixed.includes(v) ? fixed.indexOf(v) : fixed.length);
    // Array.prototype.sort is stable: values not in the fixed order keep their order of appearance.
    return { names, values: [...seen.values()].sort((a, b) => rank(a[0]) - rank(b[0])) };
  });
  const positions = axes.map((axis) => new Map(axis.values.map((v, i) => [JSON.stringify(v), i])));
  const size = axes.reduce((s, a) => s * a.values.length, 1);
  const fieldNames = Object.keys(spec.fields) as (keyof T & string)[];
  if (!fieldNames.includes(spec.presence))
    throw new Error(`the presence field ${spec.presence} must be one of the fields`);
  const fields: Record<string, unknown[]> = Object.fromEntries(fieldNames.map((f) => [f, new Array(size).fill(null)]));
  const filled = new Set<number>();
  for (const row of rows) {
    let cell = 0;
    axes.forEach((axis, j) => {
      cell = cell * axis.values.length + positions[j].get(JSON.stringify(axis.names.map((n) => row[n])))!;
    });
    if (filled.has(cell))
      throw new Error(`two rows share the key ${JSON.stringify(spec.axes.flat().map((n) => row[n]))}`);
    filled.add(cell);
    if (row[spec.presence] === null || row[spec.presence] === undefined)
      throw new Error(`a row has no ${spec.presence}`);
    for (const f of fieldNames) fields[f][cell] = encode(row[f], spec.fields[f]!);
  }
  const digits = Object.fromEntries(
    fieldNames.flatMap((f) =>
      typeof spec.fields[f] === "number" && spec.fields[f] !== 0 ? [[f, spec.fields[f] as number]] : []
    )
  );
  return {
    axes,
    fields,
    digits,
    booleans: fieldNames.filter((f) => spec.fields[f] === "boolean"),
    presence: spec.presence
  };
}
