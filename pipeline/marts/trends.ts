// Trends (趋势): every section, dimension and sub-dimension of the codebook over the waves, for all respondents and
// for each unit category, as 0–100 indices with their 95% t interval and the change since the previous wave with
// its test (wave-changes.ts). Rows come from the section marts, so anonymity (suppressed: true, null numbers) and the
// statistics are applied there, once; the verdicts are decided within this page's family: every change the file shows
// (all sections and levels of the grouping), by Benjamini–Hochberg, as on every page that prints many changes.
import type { OverviewTrendPoint, TrendPoint, Trends, TrendSeries } from "../contracts/report.ts";
import { changeTest, withFamilyVerdicts, type Tested } from "./wave-changes.ts";
import type { ReportStore } from "../db/report-store.ts";
import { scaleInfos, sectionTree, wavesOf } from "../codebook/scales.ts";
import { scaleScoreTests, type ScaleScoreTest, type ScaleScoreWithChange } from "./section.ts";

/** A score row's level as the trends publish it: its figures, or nulls where the row is hidden (the overview's
 *  chart publishes the same, so both files carry one value per figure). */
export function publishedLevel(
  r: Pick<ScaleScoreWithChange, "wave" | "n" | "index" | "indexLow" | "indexHigh" | "suppressed">
): OverviewTrendPoint {
  const usable = !r.suppressed;
  return {
    wave: r.wave,
    n: usable ? r.n : null,
    index: usable ? r.index : null,
    low: usable ? r.indexLow : null,
    high: usable ? r.indexHigh : null,
    suppressed: r.suppressed
  };
}

export type { TrendPoint, Trends, TrendSeries };

/**
 * The series of one grouping: "all" (all respondents) or a breakdown the section marts publish, such as
 * "unit_category". Series in codebook order (section, its dimensions, their sub-dimensions), groups in their order.
 */
export async function trends(store: ReportStore, grouping = "all"): Promise<Trends> {
  const infos = scaleInfos(store.index);
  const series = new Map<string, TrendSeries>();
  // The page's family: every change test of the grouping's series, all sections together.
  const tests: Tested<ScaleScoreTest["row"] & { section: string }>[] = [];
  const scored = store.index.codebook.sections.filter((s) => infos.has(`section|${s.code}`));
  for (const s of scored)
    for (const t of await scaleScoreTests(store, s.code))
      if (t.row.grouping === grouping) tests.push({ p: t.p, row: { ...t.row, section: s.code } });
  const judged = withFamilyVerdicts(tests);
  for (const s of scored) {
    const rows = judged.filter((r) => r.section === s.code);
    const groups = [...new Set(rows.map((r) => r.group))];
    const order = [...infos.values()].filter((i) => i.section === s.code);
    for (const group of groups)
      for (const info of order) {
        const list = rows
          .filter((r) => r.group === group && r.level === info.level && r.code === info.code)
          .sort((a, b) => a.wave - b.wave);
        if (!list.length) continue;
        series.set(`${group}|${info.level}|${info.code}`, {
          section: s.code,
          level: info.level,
          code: info.code,
          name: info.name,
          dimension: info.dimension,
          grouping,
          group,
          points: list.map((r): TrendPoint => {
            const usable = !r.suppressed;
            return {
              ...publishedLevel(r),
              change: usable ? r.indexChange : null,
              p: usable ? r.changeP : null,
              significant: usable ? r.changeSignificant : null
            };
          })
        });
      }
  }
  const all = [...series.values()];
  return {
    title: store.index.codebook.title,
    refreshedAt: store.manifest.updatedAt,
    minGroupSize: store.index.codebook.minGroupSize,
    changeTest: changeTest(store.index.codebook.inference),
    waves: wavesOf(store.manifest),
    sections: sectionTree(store.index),
    grouping,
    groups: [...new Set(all.map((s) => s.group))],
    series: all
  };
}
