// Anonymity, enforced before anything is written for the site: no published figure describes fewer respondents
// than the codebook's minGroupSize. When exactly one group of a breakdown falls under the minimum, the next smallest
// group is suppressed too (complementary suppression), or a reader could subtract the others from the total.
export interface Suppressible {
  n: number | null;
  suppressed: boolean;
}

/**
 * Marks rows to suppress in place. `cellKey` identifies one breakdown's cell set (same wave, grouping and scale);
 * the 'all' grouping is never a breakdown of itself.
 */
export function suppressSmallGroups<T extends Suppressible>(rows: T[], minGroupSize: number, cellKey: (row: T) => string): T[] {
  const sets = new Map<string, T[]>();
  for (const row of rows) {
    row.suppressed = row.n === null || row.n < minGroupSize;
    const key = cellKey(row);
    if (!sets.has(key)) sets.set(key, []);
    sets.get(key)!.push(row);
  }
  for (const set of sets.values()) {
    const suppressed = set.filter((r) => r.suppressed);
    if (suppressed.length !== 1 || set.length < 2) continue;
    const next = set.filter((r) => !r.suppressed).sort((a, b) => (a.n ?? 0) - (b.n ?? 0))[0];
    if (next) next.suppressed = true;
  }
  return rows;
}
