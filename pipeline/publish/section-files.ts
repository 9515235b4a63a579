// The three files of a section page (src/data/sections/[section]-{meta,scores,items}.json.ts), lean for leaders:
// - meta: sectionMeta plus what the rows used to repeat (each item's wording, dimension, sub-dimension and key;
//   the names of the scales) and the codebook's measure parts that address this section's sub-dimensions;
// - scores and items: the marts of section.ts as cubes (contracts/cube.ts), keys written once, no texts.
// src/components/sectionData.ts (expandSection) turns the three back into the marts' rows for the page.
import { parseArgs } from "node:util";
import type { ReportStore } from "../db/report-store.ts";
import {
  itemDistributions,
  publishedGroupings,
  scaleScores,
  sectionMeta,
  type ItemDistributionRow,
  type ScaleScoreWithChange
} from "../marts/section.ts";
import { suppressionPattern } from "../marts/suppression.ts";
import { DIGITS } from "../contracts/precision.ts";
import { toCube, type Cube } from "../contracts/cube.ts";

/**
 * Decimals kept per statistic: what the pages print (contracts/precision.ts). `previousWave` is not written: it is the
 * series' previous shown wave, which the reader finds from the keys (src/components/sectionData.ts).
 */
export const SCORE_DIGITS = {
  n: 0,
  index: DIGITS.index,
  indexLow: DIGITS.index,
  indexHigh: DIGITS.index,
  agreeShare: DIGITS.share,
  agreeLow: DIGITS.share,
  agreeHigh: DIGITS.share,
  suppressed: "boolean",
  indexChange: DIGITS.index,
  changeLow: DIGITS.index,
  changeHigh: DIGITS.index,
  changeP: DIGITS.p,
  changeSignificant: "boolean"
} as const;

export function compactScaleScores(rows: readonly ScaleScoreWithChange[], groupOrder: string[] = []): Cube {
  return toCube(rows as unknown as Record<string, unknown>[], {
    axes: [["wave"], ["grouping", "group"], ["level", "code"]],
    fields: SCORE_DIGITS,
    presence: "suppressed",
    order: { wave: [...new Set(rows.map((r) => r.wave))].sort((a, b) => a - b), grouping: groupOrder }
  });
}

export function compactItemDistributions(rows: readonly ItemDistributionRow[], groupOrder: string[] = []): Cube {
  return toCube(rows as unknown as Record<string, unknown>[], {
    axes: [["wave"], ["grouping", "group"], ["code"]],
    // n is not written: it is the sum of the counts.
    fields: { counts: "raw", suppressed: "boolean" },
    presence: "suppressed",
    order: { wave: [...new Set(rows.map((r) => r.wave))].sort((a, b) => a - b), grouping: groupOrder }
  });
}

export interface SectionItem {
  code: string;
  text: string;
  dimension: string;
  subdimension: string;
  reverse: boolean;
}

export async function sectionPageMeta(store: ReportStore, section: string) {
  const meta = await sectionMeta(store, section);
  const subdimensions = new Set(meta.dimensions.flatMap((d) => d.subdimensions.map((s) => s.code)));
  const items: SectionItem[] = store.index.likert
    .filter((q) => subdimensions.has(q.subdimension))
    .map((q) => ({
      code: q.code,
      text: q.text,
      dimension: store.index.subdimension.get(q.subdimension)!.dimension,
      subdimension: q.subdimension,
      reverse: q.reverse
    }));
  const measures = store.index.codebook.measures
    .map((m) => ({
      code: m.code,
      name: m.name,
      summary: m.summary ?? null,
      parts: m.parts
        .filter((p) => p.addresses.some((a) => subdimensions.has(a)))
        .map((p) => ({ code: p.code, name: p.name, addresses: p.addresses.filter((a) => subdimensions.has(a)) }))
    }))
    .filter((m) => m.parts.length > 0);
  return { ...meta, items, measures };
}

/** The grouping keys in the order of the meta file's groupings (the same function and filter as sectionMeta's). */
async function groupingKeys(store: ReportStore): Promise<string[]> {
  return publishedGroupings(await suppressionPattern(store))
    .filter((g) => g.groups.length > 0)
    .map((g) => g.key);
}

export async function sectionPageScores(store: ReportStore, section: string): Promise<Cube> {
  return compactScaleScores(await scaleScores(store, section), await groupingKeys(store));
}

export async function sectionPageItems(store: ReportStore, section: string): Promise<Cube> {
  return compactItemDistributions(await itemDistributions(store, section), await groupingKeys(store));
}

/** The `--section=<code>` (or any other `--name=value`) parameter Framework passes to a parameterized loader. */
export function loaderParam(name: string, args: string[] = process.argv.slice(2)): string {
  const { values } = parseArgs({ args, options: { [name]: { type: "string" } }, strict: false });
  const value = values[name];
  if (typeof value !== "string" || value === "")
    throw new Error(`缺少参数 --${name}=…（由 Observable Framework 按文件名中的 [${name}] 传入）`);
  return value;
}
