// Trends (趋势): every section, dimension and sub-dimension of the codebook over the waves, for all respondents and
// for each unit category, as 0–100 indices with their 95% t interval and the change since the previous wave with
// its test (Welch t with finite population correction, see change.ts). Rows come from the section marts, so
// anonymity (suppressed: true, null numbers) and the statistics are applied there, once.
import type { TrendPoint, Trends, TrendSeries } from "../contracts/report.ts";
import { CHANGE_TEST } from "./wave-changes.ts";
import type { ReportStore } from "../db/report-store.ts";
import { scaleInfos, sectionTree, wavesOf } from "../codebook/scales.ts";
import { scaleScores } from "./section.ts";

export type { TrendPoint, Trends, TrendSeries };

/**
 * The series of one grouping: "all" (all respondents) or a breakdown the section marts publish, such as
 * "unit_category". Series in codebook order (section, its dimensions, their sub-dimensions), groups in their order.
 */
export async function trends(store: ReportStore, grouping = "all"): Promise<Trends> {
  const infos = scaleInfos(store.index);
  const series = new Map<string, TrendSeries>();
  for (const s of store.index.codebook.sections) {
    if (!infos.has(`section|${s.code}`)) continue;
    const rows = (await scaleScores(store, s.code)).filter((r) => r.grouping === grouping);
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
              wave: r.wave,
              n: usable ? r.n : null,
              index: usable ? r.index : null,
              low: usable ? r.indexLow : null,
              high: usable ? r.indexHigh : null,
              change: usable ? r.indexChange : null,
              p: usable ? r.changeP : null,
              significant: usable ? r.changeSignificant : null,
              suppressed: r.suppressed
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
    changeTest: CHANGE_TEST,
    waves: wavesOf(store.manifest),
    sections: sectionTree(store.index),
    grouping,
    groups: [...new Set(all.map((s) => s.group))],
    series: all
  };
}
