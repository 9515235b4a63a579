// Reads a section page's compact data files back into rows (the shape of pipeline/marts/section.ts): the scores and
// items "cubes" written by pipeline/contracts/cube.ts, joined with the names and item texts of the meta file.
// Also the small selections every section page makes (one wave and group; a series across waves).
// Pure data functions: no statistics here, the numbers are the loaders'.
import type { ItemDistributionRow, ScaleScoreRow as ScaleScoreWithChange } from "../../pipeline/contracts/scores.ts";
import type { SectionMeta } from "../../pipeline/contracts/sections.ts";
import { expandCube, type Cube } from "./cube.js";

export { expandCube, type Cube };

export type { SectionMeta };

// The row and file shapes are the published contracts' (type-only imports: erased when Framework transpiles this file
// for the browser).
export type { ScaleLevel } from "../../pipeline/contracts/scores.ts";

/** A score row as the page sees it: the mart's row with its change since the previous wave. */
export type ScoreRow = ScaleScoreWithChange;

export type ItemRow = ItemDistributionRow;

/** Name and parent dimension of every scale of the section (the section itself, its dimensions and sub-dimensions). */
export function scaleNames(meta: SectionMeta): Map<string, { name: string; dimension: string | null }> {
  const names = new Map<string, { name: string; dimension: string | null }>([
    [meta.section.code, { name: meta.section.name, dimension: null }]
  ]);
  for (const d of meta.dimensions) {
    names.set(d.code, { name: d.name, dimension: d.code });
    for (const s of d.subdimensions) names.set(s.code, { name: s.name, dimension: d.code });
  }
  return names;
}

/**
 * The scores cube as score rows with their names, in wave order. `previousWave` is the latest earlier wave in which
 * the same series (group and scale) is shown: the wave the loader's change was computed against (null on a hidden row).
 */
export function expandScores(meta: SectionMeta, cube: Cube): ScoreRow[] {
  const names = scaleNames(meta);
  const rows = expandCube<Record<string, unknown>>(cube);
  const seriesOf = (r: Record<string, unknown>) => `${r.grouping}|${r.group}|${r.level}|${r.code}`;
  const shownWaves = new Map<string, number[]>();
  for (const r of rows)
    if (!r.suppressed) shownWaves.set(seriesOf(r), [...(shownWaves.get(seriesOf(r)) ?? []), r.wave as number]);
  return rows.map((r) => {
    const { wave, grouping, group, level, code, ...stats } = r;
    const known = names.get(code as string);
    const earlier = r.suppressed ? [] : (shownWaves.get(seriesOf(r)) ?? []).filter((w) => w < (wave as number));
    const previousWave = earlier.length ? Math.max(...earlier) : null;
    return {
      wave,
      grouping,
      group,
      level,
      code,
      name: known?.name ?? (code as string),
      dimension: known?.dimension ?? null,
      ...stats,
      previousWave
    } as unknown as ScoreRow;
  });
}

/** The items cube as item rows with each item's wording, dimension, sub-dimension and key from the meta file. */
export function expandItems(meta: SectionMeta, cube: Cube): ItemRow[] {
  const items = new Map(meta.items.map((q) => [q.code, q]));
  return expandCube<Record<string, unknown>>(cube).map((r) => {
    const q = items.get(r.code as string);
    return {
      wave: r.wave,
      grouping: r.grouping,
      group: r.group,
      code: r.code,
      text: q?.text ?? (r.code as string),
      dimension: q?.dimension ?? "",
      subdimension: q?.subdimension ?? "",
      reverse: q?.reverse ?? false,
      n: r.counts ? (r.counts as number[]).reduce((a, b) => a + b, 0) : null,
      counts: r.counts,
      suppressed: r.suppressed
    } as ItemRow;
  });
}

/** Both files of a section page as rows. */
export function expandSection(meta: SectionMeta, scores: Cube, items: Cube): { scores: ScoreRow[]; items: ItemRow[] } {
  return { scores: expandScores(meta, scores), items: expandItems(meta, items) };
}

/** The rows of one wave and one breakdown group. */
export function pick<T extends { wave: number; grouping: string; group: string }>(
  rows: T[],
  wave: number | null,
  grouping: string,
  group: string
): T[] {
  return wave == null ? [] : rows.filter((d) => d.wave === wave && d.grouping === grouping && d.group === group);
}

/** Whether a group's dimension rows are suppressed in a wave (to mark it in a group picker). */
export function isGroupSuppressed(scores: ScoreRow[], wave: number, grouping: string, group: string): boolean {
  return scores.some(
    (d) => d.wave === wave && d.grouping === grouping && d.group === group && d.level === "dimension" && d.suppressed
  );
}

/** The wave before `wave` in the list of waves, or null. */
export function previousWaveOf(waves: number[], wave: number): number | null {
  const i = waves.indexOf(wave);
  return i > 0 ? waves[i - 1] : null;
}
