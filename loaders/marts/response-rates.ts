// Response rates against the roster, per wave: the whole survey, each unit category and each unit.
// A unit's count under the minimum group size is suppressed (with complementary suppression within its category),
// so a reader cannot learn that, say, two of a small office's four cadres answered.
import { wilsonInterval } from "../stats/proportions.ts";
import { suppressSmallGroups } from "./anonymity.ts";
import type { ReportStore } from "./open.ts";
import { runNamedQuery } from "./sql.ts";

export interface ResponseRateRow {
  wave: number;
  level: "all" | "unit_category" | "unit";
  /** Roster unit code, category name, or 全体. */
  code: string;
  name: string;
  category: string | null;
  headcount: number;
  n: number | null;
  rate: number | null;
  rateLow: number | null;
  rateHigh: number | null;
  suppressed: boolean;
}

export async function responseRates(store: ReportStore): Promise<ResponseRateRow[]> {
  const units = await runNamedQuery<{ wave: number; unit: string; name: string; category: string; headcount: number; respondents: number }>(
    store.conn,
    "response_counts_by_wave_unit"
  );
  const row = (wave: number, level: ResponseRateRow["level"], code: string, name: string, category: string | null, headcount: number, n: number): ResponseRateRow => {
    // More respondents than the roster lists can happen (roster out of date); the rate is then capped in its interval.
    const interval = headcount > 0 ? wilsonInterval(Math.min(n, headcount), headcount) : null;
    return { wave, level, code, name, category, headcount, n, rate: headcount > 0 ? n / headcount : null, rateLow: interval?.low ?? null, rateHigh: interval?.high ?? null, suppressed: false };
  };
  const rows: ResponseRateRow[] = [];
  for (const wave of [...new Set(units.map((u) => u.wave))]) {
    const inWave = units.filter((u) => u.wave === wave);
    const total = (list: typeof inWave) => [list.reduce((s, u) => s + u.headcount, 0), list.reduce((s, u) => s + u.respondents, 0)] as const;
    rows.push(row(wave, "all", "全体", "全体", null, ...total(inWave)));
    for (const category of [...new Set(inWave.map((u) => u.category))]) rows.push(row(wave, "unit_category", category, category, category, ...total(inWave.filter((u) => u.category === category))));
    for (const u of inWave) rows.push(row(wave, "unit", u.unit, u.name, u.category, u.headcount, u.respondents));
  }
  const unitRows = rows.filter((r) => r.level === "unit");
  suppressSmallGroups(unitRows, store.index.codebook.minGroupSize, (r) => `${r.wave}|${r.category}`);
  return rows.map((r) => (r.suppressed ? { ...r, n: null, rate: null, rateLow: null, rateHigh: null } : r));
}
