// Reads a compact "cube" file back into rows: the format pipeline/contracts/cube.ts writes (see its header).
// Runs in the browser (section, measures and drivers pages) and in Node: the publish gate and the disclosure audit
// (pipeline/contracts, pipeline/publish) read a published cube with this same code, exactly as a page reads it.
// Pure: no DOM, no imports.

export interface Cube {
  axes: { names: string[]; values: (string | number | null)[][] }[];
  fields: Record<string, unknown[]>;
  /** Integer-coded number fields: the value is the integer / 10^digits. */
  digits?: Record<string, number>;
  booleans: string[];
  presence: string;
}

/** Rows of a cube, in axis order (the last axis varies fastest); cells without a row are skipped. */
export function expandCube<T = Record<string, unknown>>(cube: Cube): T[] {
  const { axes, fields, booleans, presence, digits = {} } = cube;
  const size = axes.reduce((s, a) => s * a.values.length, 1);
  const names = Object.keys(fields);
  const isBoolean = new Set(booleans);
  const rows: Record<string, unknown>[] = [];
  const index = new Array<number>(axes.length);
  for (let cell = 0; cell < size; cell++) {
    if (fields[presence][cell] === null || fields[presence][cell] === undefined) continue;
    let rest = cell;
    for (let j = axes.length - 1; j >= 0; j--) {
      index[j] = rest % axes[j].values.length;
      rest = Math.floor(rest / axes[j].values.length);
    }
    const row: Record<string, unknown> = {};
    axes.forEach((axis, j) => axis.names.forEach((n, k) => (row[n] = axis.values[index[j]][k])));
    for (const f of names) {
      const v = fields[f][cell];
      row[f] =
        v === null || v === undefined
          ? null
          : isBoolean.has(f)
            ? v === 1
            : f in digits
              ? (v as number) / 10 ** digits[f]
              : v;
    }
    rows.push(row);
  }
  return rows as T[];
}
