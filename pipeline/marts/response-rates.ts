// Response rates against the roster, per wave: the whole survey, each unit category, each unit, and per category the
// units the wave's suppression pattern hides, pooled (本类其他单位). Every roster unit has a row in every wave.
// A response is a respondent who counts (有效答卷: not left out by the codebook's quality rules, e.g. answered too
// fast): the one count per group and wave that every page shows, so that no two published counts differ by the few
// left out. A rate is a count against the roster, not an estimate, so it carries no interval.
import type { ResponseRateRow } from "../contracts/rates.ts";
import { DIGITS, round } from "../contracts/precision.ts";
import type { ReportStore } from "../db/report-store.ts";
import { ALL, ALL_GROUP, suppressionPattern, UNIT, UNIT_CATEGORY } from "./suppression.ts";

export type { ResponseRateRow };

export async function responseRates(store: ReportStore): Promise<ResponseRateRow[]> {
  const pattern = await suppressionPattern(store);
  const headcount = (units: typeof store.roster) => units.reduce((s, u) => s + u.headcount, 0);
  const row = (
    wave: number,
    level: ResponseRateRow["level"],
    code: string,
    name: string,
    category: string | null,
    units: typeof store.roster,
    n: number | null
  ): ResponseRateRow => {
    const h = headcount(units);
    return {
      wave,
      level,
      code,
      name,
      category,
      headcount: h,
      n,
      rate: n === null || h === 0 ? null : round(n / h, DIGITS.share),
      suppressed: n === null
    };
  };
  const rows: ResponseRateRow[] = [];
  for (const wave of pattern.waves) {
    rows.push(row(wave, "all", ALL_GROUP, ALL_GROUP, null, store.roster, pattern.count(wave, ALL, ALL_GROUP)));
    for (const category of pattern.universe.categories) {
      const units = store.roster.filter((u) => u.category === category);
      rows.push(
        row(wave, "unit_category", category, category, category, units, pattern.count(wave, UNIT_CATEGORY, category))
      );
      for (const u of units)
        rows.push(row(wave, "unit", u.code, u.name, category, [u], pattern.count(wave, UNIT, u.code)));
      const pool = pattern.pools.find((p) => p.wave === wave && p.category === category);
      if (pool && pool.counted > 0) {
        const pooled = units.filter((u) => pool.units.includes(u.code));
        rows.push(
          row(
            wave,
            "unit_pool",
            `${category}·其他`,
            `本类其他${pooled.length}个单位（合并）`,
            category,
            pooled,
            pool.counted
          )
        );
      }
    }
  }
  return rows;
}
