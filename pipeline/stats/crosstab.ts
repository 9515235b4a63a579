// Cross-tabulation of two categorical answers with Pearson's chi-square test of independence and Cramér's V.
// No continuity (Yates) correction is applied, also for 2 × 2 tables: R's chisq.test(correct = FALSE).

import { chiSquareSurvival } from "./distributions.ts";

export interface SparseCell {
  row: string;
  col: string;
  expected: number;
}

export interface Crosstab {
  rowLabels: string[];
  colLabels: string[];
  /** counts[r][c]: respondents in row category r and column category c. */
  counts: number[][];
  rowTotals: number[];
  colTotals: number[];
  total: number;
  /** rowShares[r][c] = counts[r][c] / rowTotals[r] (NaN for an empty row). */
  rowShares: number[][];
  /** Expected counts under independence, rowTotal · colTotal / total. */
  expected: number[][];
  chiSquare: number;
  /** (rows − 1)(cols − 1), counting only rows and columns with respondents. */
  df: number;
  p: number;
  /** √(χ² / (total · (min(rows, cols) − 1))): 0 = independent, 1 = one answer determines the other. */
  cramersV: number;
  /** Cells whose expected count is below 5, where the chi-square approximation becomes unreliable. */
  sparseCells: SparseCell[];
  /** Share of the tested cells that are sparse (the usual rule of thumb tolerates up to 20%). */
  sparseShare: number;
}

export interface CrosstabOptions {
  /** Category order for rows and columns (e.g. the codebook's option order); default: order of first appearance. */
  rowLevels?: readonly string[];
  colLevels?: readonly string[];
}

type Category = string | number | null | undefined;

/**
 * Cross-tabulates two answers of the same respondents (rows[i] and cols[i] belong to respondent i).
 * Respondents missing either answer are left out; categories outside given levels are an error.
 */
export function crosstab(
  rows: readonly Category[],
  cols: readonly Category[],
  options: CrosstabOptions = {}
): Crosstab {
  if (rows.length !== cols.length) throw new RangeError(`rows has ${rows.length} answers, cols ${cols.length}`);
  const pairs = rows.flatMap((r, i) =>
    isAnswer(r) && isAnswer(cols[i]) ? [[String(r), String(cols[i])] as const] : []
  );
  const rowLabels = options.rowLevels ? [...options.rowLevels] : firstAppearance(pairs.map((p) => p[0]));
  const colLabels = options.colLevels ? [...options.colLevels] : firstAppearance(pairs.map((p) => p[1]));
  const counts = rowLabels.map(() => colLabels.map(() => 0));
  for (const [r, c] of pairs) {
    const ri = rowLabels.indexOf(r);
    const ci = colLabels.indexOf(c);
    if (ri < 0 || ci < 0) throw new RangeError(`category ${ri < 0 ? r : c} is not among the given levels`);
    counts[ri][ci]++;
  }
  return crosstabFromCounts(counts, rowLabels, colLabels);
}

/** The same analysis from a ready count matrix (e.g. aggregated in SQL). */
export function crosstabFromCounts(
  counts: readonly (readonly number[])[],
  rowLabels?: readonly string[],
  colLabels?: readonly string[]
): Crosstab {
  const nCols = counts[0]?.length ?? 0;
  if (counts.some((row) => row.length !== nCols))
    throw new RangeError("every row of a count matrix needs the same number of columns");
  const rows = rowLabels ? [...rowLabels] : counts.map((_, i) => `row${i + 1}`);
  const cols = colLabels ? [...colLabels] : Array.from({ length: nCols }, (_, j) => `col${j + 1}`);
  const rowTotals = counts.map((row) => row.reduce((s, v) => s + v, 0));
  const colTotals = cols.map((_, j) => counts.reduce((s, row) => s + row[j], 0));
  const total = rowTotals.reduce((s, v) => s + v, 0);
  const expected = rowTotals.map((rt) => colTotals.map((ct) => (rt * ct) / total));
  // Empty rows or columns carry no information about association; leaving them out keeps χ² and df defined.
  const liveRows = rowTotals.flatMap((t, i) => (t > 0 ? [i] : []));
  const liveCols = colTotals.flatMap((t, j) => (t > 0 ? [j] : []));
  let chiSquare = 0;
  const sparseCells: SparseCell[] = [];
  for (const i of liveRows)
    for (const j of liveCols) {
      chiSquare += (counts[i][j] - expected[i][j]) ** 2 / expected[i][j];
      if (expected[i][j] < 5) sparseCells.push({ row: rows[i], col: cols[j], expected: expected[i][j] });
    }
  const df = (liveRows.length - 1) * (liveCols.length - 1);
  const smaller = Math.min(liveRows.length, liveCols.length) - 1;
  return {
    rowLabels: rows,
    colLabels: cols,
    counts: counts.map((row) => [...row]),
    rowTotals,
    colTotals,
    total,
    rowShares: counts.map((row, i) => row.map((v) => v / rowTotals[i])),
    expected,
    chiSquare: df > 0 ? chiSquare : NaN,
    df,
    p: df > 0 ? chiSquareSurvival(chiSquare, df) : NaN,
    cramersV: df > 0 ? Math.sqrt(chiSquare / (total * smaller)) : NaN,
    sparseCells,
    sparseShare: liveRows.length * liveCols.length > 0 ? sparseCells.length / (liveRows.length * liveCols.length) : NaN
  };
}

function isAnswer(v: Category): v is string | number {
  return v !== null && v !== undefined && v !== "" && !(typeof v === "number" && Number.isNaN(v));
}

function firstAppearance(values: readonly string[]): string[] {
  return [...new Set(values)];
}
