// Change since the previous wave, for any mart row that carries n, mean and sd: Welch's t test on the two waves'
// summaries, with the finite population correction when the group's population (roster headcount) is known.
// A change is called a change only when p < 0.05; the test's name travels with the numbers so the page can say it.
import { welchTest } from "../stats/change.ts";

export const CHANGE_TEST = "Welch t 检验（双侧，α = 0.05；已知总体人数时作有限总体校正）";

export interface ChangeFields {
  previousWave: number | null;
  change: number | null;
  changeLow: number | null;
  changeHigh: number | null;
  changeP: number | null;
  /** true: significant rise, false: not significant, null: no comparable previous wave (or suppressed). */
  changeSignificant: boolean | null;
}

interface Summary {
  wave: number;
  n: number | null;
  mean: number | null;
  sd: number | null;
  suppressed: boolean;
}

const NO_CHANGE: ChangeFields = {
  previousWave: null,
  change: null,
  changeLow: null,
  changeHigh: null,
  changeP: null,
  changeSignificant: null
};

/**
 * Adds ChangeFields to each shown row against the same series' previous shown wave. `seriesKey` names a series (same
 * group and scale, any wave); `populationOf` gives the group's population size, or undefined when it is not known.
 */
export function withChanges<T extends Summary>(
  rows: T[],
  seriesKey: (row: T) => string,
  populationOf: (row: T) => number | undefined
): (T & ChangeFields)[] {
  const series = new Map<string, T[]>();
  for (const row of rows) {
    const key = seriesKey(row);
    if (!series.has(key)) series.set(key, []);
    series.get(key)!.push(row);
  }
  for (const list of series.values()) list.sort((a, b) => a.wave - b.wave);
  return rows.map((row) => {
    if (row.suppressed) return { ...row, ...NO_CHANGE };
    // Against the nearest earlier wave in which the same series is shown (a hidden wave has no figure to compare with).
    const list = series.get(seriesKey(row))!;
    const previous = list
      .slice(0, list.indexOf(row))
      .reverse()
      .find((r) => !r.suppressed);
    if (!previous) return { ...row, ...NO_CHANGE };
    if ((row.n ?? 0) < 2 || (previous.n ?? 0) < 2 || row.sd === null || previous.sd === null)
      return { ...row, ...NO_CHANGE, previousWave: previous.wave };
    const population = populationOf(row);
    const usable = (n: number) => (population !== undefined && population >= n ? population : undefined);
    const test = welchTest(
      { n: previous.n!, mean: previous.mean!, sd: previous.sd, populationSize: usable(previous.n!) },
      { n: row.n!, mean: row.mean!, sd: row.sd, populationSize: usable(row.n!) }
    );
    return {
      ...row,
      previousWave: previous.wave,
      change: test.difference,
      changeLow: test.ciLow,
      changeHigh: test.ciHigh,
      changeP: test.p,
      changeSignificant: test.p < 0.05
    };
  });
}
