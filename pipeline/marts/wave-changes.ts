// Change since the previous wave, for any mart row that carries n, mean and sd, and the verdict a page prints on it.
// - The test (withChanges): by default Welch's t test on the two waves' summaries without a finite population
//   correction, a statement about the process that produces the answers (respondents choose themselves, so they are
//   no random sample of the roster). Only a codebook with inference.finitePopulationCorrection (a survey that really
//   draws a random sample of the roster) gets the design-based test with 1 − n/N, N the group's roster headcount.
//   The waves overlap (most cadres answer every year, anonymously, so answers cannot be paired): the test treats the
//   waves as independent samples, which is conservative when a cadre's answers in two years are positively correlated.
// - The verdict (withFamilyVerdicts): a page prints many changes, so "significant" is decided within the page's family
//   of change tests by Benjamini–Hochberg at a false discovery rate of 5%; changeP stays the test's own (raw) p.
// The test's name travels with the numbers (changeTest) so the page can say which applies.
import { designTTest, designTTestP, welchTest, welchTestP, type WaveSummary } from "../stats/change.ts";
import { adjustTests } from "../stats/multiplicity.ts";

/** What the codebook says about inference (CodebookSchema · inference). */
export interface InferenceOptions {
  finitePopulationCorrection: boolean;
}

/** The false discovery rate each page's family of change verdicts is held to. */
export const FALSE_DISCOVERY_RATE = 0.05;

/** The published name of the change test, in the words a leader reads (the page adds the multiplicity sentence). */
export function changeTest(inference: InferenceOptions): string {
  return inference.finitePopulationCorrection
    ? "设计型 t 检验（双侧）；按名册人数作有限总体校正：假定回答者是从名册中随机抽取的样本"
    : "Welch t 检验（双侧）；未作有限总体校正：把回答看作产生回答的过程的结果";
}

export interface ChangeFields {
  previousWave: number | null;
  change: number | null;
  changeLow: number | null;
  changeHigh: number | null;
  /** The test's own two-sided p, unrounded and not adjusted for multiplicity; null when there is no test. */
  changeP: number | null;
}

interface Summary {
  wave: number;
  n: number | null;
  mean: number | null;
  sd: number | null;
  suppressed: boolean;
}

const NO_CHANGE: ChangeFields = Object.freeze({
  previousWave: null,
  change: null,
  changeLow: null,
  changeHigh: null,
  changeP: null
});

/** The change test of `b` against the earlier wave `a` of one group whose roster headcount is `population`. */
export function testChange(
  a: WaveSummary,
  b: WaveSummary,
  population: number | undefined,
  inference: InferenceOptions
) {
  // Only n, mean and sd are passed on: copying each side's whole row by spread, for the 640,000 unit tests the pass
  // then ran, took half a second of the 1 M pass and fed the garbage collector.
  if (!inference.finitePopulationCorrection)
    return welchTest({ n: a.n, mean: a.mean, sd: a.sd }, { n: b.n, mean: b.mean, sd: b.sd });
  const N = populationOfBoth(a, b, population);
  return designTTest(
    { n: a.n, mean: a.mean, sd: a.sd, populationSize: N },
    { n: b.n, mean: b.mean, sd: b.sd, populationSize: N }
  );
}

/** testChange's difference and p alone, without the interval (welchTestP says why that matters). */
export function testChangeP(
  a: WaveSummary,
  b: WaveSummary,
  population: number | undefined,
  inference: InferenceOptions
): { difference: number; p: number } {
  if (!inference.finitePopulationCorrection)
    return welchTestP({ n: a.n, mean: a.mean, sd: a.sd }, { n: b.n, mean: b.mean, sd: b.sd });
  const N = populationOfBoth(a, b, population);
  return designTTestP(
    { n: a.n, mean: a.mean, sd: a.sd, populationSize: N },
    { n: b.n, mean: b.mean, sd: b.sd, populationSize: N }
  );
}

/** The correction needs N for both waves; a headcount below a wave's respondents is not that wave's population. */
const populationOfBoth = (a: WaveSummary, b: WaveSummary, population: number | undefined) =>
  population !== undefined && population >= a.n && population >= b.n ? population : undefined;

/**
 * Adds ChangeFields to each shown row against the same series' previous shown wave. `seriesKey` names a series (same
 * group and scale, any wave); `populationOf` gives the group's population size (roster headcount), or undefined when
 * it is not known; it is used only when `inference.finitePopulationCorrection` is on. No verdict: withFamilyVerdicts.
 */
export function withChanges<T extends Summary>(
  rows: T[],
  seriesKey: (row: T) => string,
  populationOf: (row: T) => number | undefined,
  inference: InferenceOptions
): (T & ChangeFields)[] {
  const changes = changesOf(rows, seriesKey, populationOf, inference);
  return rows.map((row, i) => ({ ...row, ...changes[i] }));
}

/**
 * withChanges' ChangeFields alone, one per row in the rows' order: for a mart with hundreds of thousands of rows
 * (every unit, wave and scale at 5,000 units) that builds its own row objects. Copying a row by spread and adding five
 * fields made V8 keep each copy as a slow dictionary: 14 s and a gigabyte of heap at 640,000 rows.
 */
export function changesOf<T extends Summary>(
  rows: readonly T[],
  seriesKey: (row: T) => string,
  populationOf: (row: T) => number | undefined,
  inference: InferenceOptions
): ChangeFields[] {
  return eachChange(rows, seriesKey, populationOf, inference, NO_CHANGE, (a, b, population, previousWave) => {
    const test = testChange(a, b, population, inference);
    return { previousWave, change: test.difference, changeLow: test.ciLow, changeHigh: test.ciHigh, changeP: test.p };
  });
}

/** ChangeFields without the interval. */
export type ChangePFields = Omit<ChangeFields, "changeLow" | "changeHigh">;

const NO_CHANGE_P: ChangePFields = Object.freeze({ previousWave: null, change: null, changeP: null });

/**
 * changesOf without the change's interval, for a mart that publishes the change and its verdict only: the unit pages'
 * 280,000 rows at 5,000 units, whose intervals' t quantiles took a third of a second of every pass.
 */
export function changePsOf<T extends Summary>(
  rows: readonly T[],
  seriesKey: (row: T) => string,
  populationOf: (row: T) => number | undefined,
  inference: InferenceOptions
): ChangePFields[] {
  return eachChange(rows, seriesKey, populationOf, inference, NO_CHANGE_P, (a, b, population, previousWave) => {
    const test = testChangeP(a, b, population, inference);
    return { previousWave, change: test.difference, changeP: test.p };
  });
}

/**
 * One change per row, in the rows' order, against the same series' nearest earlier wave in which it is shown (a
 * hidden wave has no figure to compare with): `none` where there is no such wave, `none` with that wave where one side
 * has fewer than two answers or no spread, and otherwise `tested` on the earlier wave's summary `a` and the row's `b`
 * (only n, mean and sd: copying each side's whole row by spread, for the 640,000 unit tests the pass then ran, took
 * half a second of the 1 M pass and fed the garbage collector), with the row's population where the finite population
 * correction uses it.
 */
function eachChange<T extends Summary, C extends { previousWave: number | null }>(
  rows: readonly T[],
  seriesKey: (row: T) => string,
  populationOf: (row: T) => number | undefined,
  inference: InferenceOptions,
  none: C,
  tested: (a: WaveSummary, b: WaveSummary, population: number | undefined, previousWave: number) => C
): C[] {
  // Each series' rows by their place in `rows` (an array by place, not a map by row object: 280,000 unit rows at 1 M).
  const series = new Map<string, number[]>();
  for (let i = 0; i < rows.length; i++) {
    const key = seriesKey(rows[i]);
    const list = series.get(key);
    if (list) list.push(i);
    else series.set(key, [i]);
  }
  // One walk along each series in wave order.
  const previousAt = new Int32Array(rows.length).fill(-1);
  for (const list of series.values()) {
    list.sort((a, b) => rows[a].wave - rows[b].wave);
    let lastShown = -1;
    for (const i of list) {
      previousAt[i] = lastShown;
      if (!rows[i].suppressed) lastShown = i;
    }
  }
  return rows.map((row, i): C => {
    const previous = row.suppressed || previousAt[i] < 0 ? undefined : rows[previousAt[i]];
    if (!previous) return none;
    if ((row.n ?? 0) < 2 || (previous.n ?? 0) < 2 || row.sd === null || previous.sd === null)
      return { ...none, previousWave: previous.wave };
    return tested(
      { n: previous.n!, mean: previous.mean!, sd: previous.sd },
      { n: row.n!, mean: row.mean!, sd: row.sd },
      inference.finitePopulationCorrection ? populationOf(row) : undefined,
      previous.wave
    );
  });
}

/** A mart row before its verdict, with its change test's raw p unrounded (the row itself publishes p rounded). */
export interface Tested<T> {
  row: T;
  p: number | null;
}

/**
 * The verdicts of one page's family of change tests: changeSignificant is true when the Benjamini–Hochberg adjusted
 * p (R's p.adjust(p, "BH") over the family's tests) is at most 5%, false otherwise, null where there is no test.
 * The family is every change test the page shows, so each verdict holds with the page's other verdicts in view.
 */
export function withFamilyVerdicts<T>(family: readonly Tested<T>[]): (T & { changeSignificant: boolean | null })[] {
  const verdicts = familyVerdicts(family);
  return family.map((t, i) => ({ ...t.row, changeSignificant: verdicts[i] }));
}

/** withFamilyVerdicts' changeSignificant alone, one per test in the family's order. */
export function familyVerdicts(family: readonly { p: number | null }[]): (boolean | null)[] {
  const verdicts = adjustTests(family, { method: "BH", level: FALSE_DISCOVERY_RATE });
  return family.map((t, i) => (t.p === null ? null : verdicts[i].significant));
}
