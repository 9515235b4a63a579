// The tables of the explore page (探索): the published marts, as typed Arrow tables for DuckDB-wasm in the browser.
// Aggregates only, taken from the marts that the report pages publish (so already suppressed); every table is checked
// once more here before it is written: a row that describes fewer than minGroupSize respondents and is not suppressed
// with its numbers null stops the loader. Column names are snake_case so that analysts can write SQL without quoting;
// `grouping`/`group` become breakdown/group_name (both are SQL keywords).
import type { ArrowColumn, ArrowTableSpec } from "../contracts/explore.ts";
import { assessmentTotals } from "./assessment.ts";
import type { ReportStore } from "../db/report-store.ts";
import { responseRates } from "./response-rates.ts";
import { itemDistributions, scaleScores, sectionMeta } from "./section.ts";
import { ALL, ALL_GROUP } from "../contracts/common.ts";
import { wavesOf } from "../codebook/scales.ts";

type Row = Record<string, unknown>;

/** "a 名称甲，b 名称乙" */
const describeCodes = (pairs: [string, string][]) => pairs.map(([code, name]) => `${code} ${name}`).join("，");

const col = (name: string, type: ArrowColumn["type"], description: string): ArrowColumn => ({
  name,
  type,
  description
});

/** Sections of the codebook that have Likert items (a section without any has no scores). */
function scoredSections(store: ReportStore) {
  const withItems = new Set(store.index.likert.map((q) => store.index.subdimension.get(q.subdimension)!.section));
  return store.index.codebook.sections.filter((s) => withItems.has(s.code));
}

/** Breakdown key → its display name (全体, 身份, 单位类别 …), as the report pages name them. */
async function breakdownNames(store: ReportStore): Promise<Map<string, string>> {
  const first = scoredSections(store)[0];
  if (!first) return new Map([[ALL, ALL_GROUP]]);
  return new Map((await sectionMeta(store, first.code)).groupings.map((g) => [g.key, g.name]));
}

/**
 * Throws when a row would publish a figure about fewer than `minGroupSize` respondents: every row with n below the
 * minimum (or null n) must be marked suppressed, and a suppressed row must carry no statistic.
 */
export function assertSuppressed(spec: ArrowTableSpec, minGroupSize: number, statistics: string[]): void {
  spec.rows.forEach((r, i) => {
    const n = r.n as number | null;
    if (!r.suppressed && (n === null || n < minGroupSize))
      throw new Error(
        `${spec.name}[${i}]: n = ${n} is below minGroupSize ${minGroupSize} but the row is not suppressed`
      );
    if (r.suppressed) {
      const leaked = ["n", ...statistics].filter((k) => r[k] !== null && r[k] !== undefined);
      if (leaked.length) throw new Error(`${spec.name}[${i}]: suppressed row still carries ${leaked.join(", ")}`);
    }
  });
}

const SCALE_STATISTICS = [
  "index",
  "index_low",
  "index_high",
  "agree_share",
  "agree_low",
  "agree_high",
  "index_change",
  "change_low",
  "change_high",
  "change_p",
  "change_significant"
];

/** scale_scores: every section's scale scores (section, dimension, sub-dimension) per wave and breakdown group. */
export async function exploreScaleScores(store: ReportStore): Promise<ArrowTableSpec> {
  const breakdowns = await breakdownNames(store);
  const rows: Row[] = [];
  for (const s of scoredSections(store)) {
    for (const r of await scaleScores(store, s.code)) {
      rows.push({
        section: s.code,
        section_name: s.name,
        direction: s.direction,
        wave: r.wave,
        breakdown: r.grouping,
        breakdown_name: breakdowns.get(r.grouping) ?? r.grouping,
        group_name: r.group,
        level: r.level,
        code: r.code,
        name: r.name,
        dimension: r.dimension,
        n: r.n,
        index: r.index,
        index_low: r.indexLow,
        index_high: r.indexHigh,
        agree_share: r.agreeShare,
        agree_low: r.agreeLow,
        agree_high: r.agreeHigh,
        previous_wave: r.previousWave,
        index_change: r.indexChange,
        change_low: r.changeLow,
        change_high: r.changeHigh,
        change_p: r.changeP,
        change_significant: r.changeSignificant,
        suppressed: r.suppressed
      });
    }
  }
  const spec: ArrowTableSpec = {
    name: "scale_scores",
    description: `各部分（${scoredSections(store)
      .map((s) => s.name)
      .join("、")}）的量表得分：每行是一轮调查中一个群体在一个方面（部分、维度或具体方面）的得分。`,
    columns: [
      col("section", "utf8", `问卷部分代码：${describeCodes(scoredSections(store).map((s) => [s.code, s.name]))}`),
      col("section_name", "utf8", "问卷部分名称"),
      col("direction", "utf8", "得分方向：higher_is_better 越高越好，higher_is_worse 越高问题越突出"),
      col("wave", "int32", "调查轮次（年份）"),
      col("breakdown", "utf8", `分组方式代码：${describeCodes([...breakdowns])}`),
      col("breakdown_name", "utf8", "分组方式名称"),
      col("group_name", "utf8", "具体群体（breakdown 为 all 时是“全体”）"),
      col("level", "utf8", "层级：section 部分，dimension 维度，subdimension 具体方面"),
      col("code", "utf8", "维度或具体方面的代码"),
      col("name", "utf8", "维度或具体方面的名称"),
      col("dimension", "utf8", "所属维度代码（部分本身为空）"),
      col("n", "int32", "该群体本轮的有效答卷人数（每个群体每轮只有这一个人数；隐去时为空）"),
      col("index", "float64", "指数 0–100（量表最低分为 0，最高分为 100；反向题已反向计分），保留一位小数"),
      col("index_low", "float64", "指数 95% 置信区间下限（t 分布）"),
      col("index_high", "float64", "指数 95% 置信区间上限"),
      col("agree_share", "float64", "认同比例：平均得分达到“同意”的人所占比例"),
      col("agree_low", "float64", "认同比例 95% 置信区间下限（Wilson）"),
      col("agree_high", "float64", "认同比例 95% 置信区间上限"),
      col("previous_wave", "int32", "对比的上一轮（该群体上一次显示的轮次；无则为空）"),
      col("index_change", "float64", "与上一轮相比指数的变化"),
      col("change_low", "float64", "指数变化 95% 置信区间下限"),
      col("change_high", "float64", "指数变化 95% 置信区间上限"),
      col("change_p", "float64", "变化检验本身的 p 值（未作多重比较校正）"),
      col(
        "change_significant",
        "bool",
        "变化是否显著：同一部分页面内的全部变化按 Benjamini–Hochberg 方法控制错误发现率（5%）后的判断"
      ),
      col("suppressed", "bool", "人数少于最小群体人数，已隐去（各项统计为空）")
    ],
    rows
  };
  assertSuppressed(spec, store.index.codebook.minGroupSize, SCALE_STATISTICS);
  return spec;
}

/** item_distributions: per section, wave, breakdown group and Likert item, how many chose each answer (one row per answer). */
export async function exploreItemDistributions(store: ReportStore): Promise<ArrowTableSpec> {
  const breakdowns = await breakdownNames(store);
  const rows: Row[] = [];
  for (const s of scoredSections(store)) {
    for (const r of await itemDistributions(store, s.code)) {
      const q = store.index.likert.find((i) => i.code === r.code)!;
      const scale = store.index.scaleOf(q);
      scale.labels.forEach((label, k) => {
        const count = r.counts ? r.counts[k] : null;
        rows.push({
          section: s.code,
          wave: r.wave,
          breakdown: r.grouping,
          breakdown_name: breakdowns.get(r.grouping) ?? r.grouping,
          group_name: r.group,
          dimension: r.dimension,
          subdimension: r.subdimension,
          code: r.code,
          text: r.text,
          reverse: r.reverse,
          n: r.n,
          score: scale.min + k,
          label,
          count,
          share: count === null || !r.n ? null : count / r.n,
          suppressed: r.suppressed
        });
      });
    }
  }
  const spec: ArrowTableSpec = {
    name: "item_distributions",
    description: "各题作答分布：每行是一轮调查中一个群体对一道量表题选择某一答案的人数（原始作答，反向题未反向）。",
    columns: [
      col("section", "utf8", "问卷部分代码"),
      col("wave", "int32", "调查轮次（年份）"),
      col("breakdown", "utf8", `分组方式代码：${describeCodes([...breakdowns])}`),
      col("breakdown_name", "utf8", "分组方式名称"),
      col("group_name", "utf8", "具体群体"),
      col("dimension", "utf8", "所属维度代码"),
      col("subdimension", "utf8", "所属具体方面代码"),
      col("code", "utf8", "题目代码"),
      col("text", "utf8", "题目"),
      col("reverse", "bool", "是否反向题（同意表示情况不好）"),
      col("n", "int32", "作答人数（隐去时为空）"),
      col("score", "int32", "答案分值"),
      col("label", "utf8", "答案的文字（量表标签）"),
      col("count", "int32", "选择该答案的人数"),
      col("share", "float64", "选择该答案的比例"),
      col("suppressed", "bool", "人数不足，已隐去")
    ],
    rows
  };
  assertSuppressed(spec, store.index.codebook.minGroupSize, ["count", "share"]);
  return spec;
}

/** response_rates: respondents against the roster per wave: all, unit category, unit. */
export async function exploreResponseRates(store: ReportStore): Promise<ArrowTableSpec> {
  const rows: Row[] = (await responseRates(store)).map((r) => ({
    wave: r.wave,
    level: r.level,
    code: r.code,
    name: r.name,
    category: r.category,
    headcount: r.headcount,
    n: r.n,
    rate: r.rate,
    suppressed: r.suppressed
  }));
  const spec: ArrowTableSpec = {
    name: "response_rates",
    description: "回收率：每行是一轮调查中全体、一个单位类别或一个单位的受访人数与名册人数之比。",
    columns: [
      col("wave", "int32", "调查轮次（年份）"),
      col("level", "utf8", "层级：all 全体，unit_category 单位类别，unit 单位，unit_pool 本类被隐去的单位合计"),
      col("code", "utf8", "单位代码、单位类别或“全体”"),
      col("name", "utf8", "名称"),
      col("category", "utf8", "单位类别（全体为空）"),
      col("headcount", "int32", "名册上的党务干部人数"),
      col("n", "int32", "有效答卷人数（人数不足或为防推算时隐去）"),
      col("rate", "float64", "回收率（有效答卷 ÷ 名册人数）"),
      col("suppressed", "bool", "人数不足，已隐去")
    ],
    rows
  };
  assertSuppressed(spec, store.index.codebook.minGroupSize, ["rate"]);
  return spec;
}

/** assessment_totals: each unit's weighted party-building and business assessment scores per year (unit-level, not respondents). */
export async function exploreAssessmentTotals(store: ReportStore): Promise<ArrowTableSpec> {
  const rows: Row[] = (await assessmentTotals(store)).map((r) => ({
    year: r.year,
    unit: r.unit,
    name: r.name,
    category: r.category,
    party_building: r.partyBuilding,
    business: r.business,
    process_weight_share: r.processWeightShare,
    party_building_indicators: r.partyBuildingIndicators,
    business_indicators: r.businessIndicators
  }));
  return {
    name: "assessment_totals",
    description: "年度考核：每行是一个单位一年的党建考核与业务考核加权得分（单位层面的考核数据，不涉及个人作答）。",
    columns: [
      col("year", "int32", "考核年度"),
      col("unit", "utf8", "单位代码"),
      col("name", "utf8", "单位名称"),
      col("category", "utf8", "单位类别"),
      col("party_building", "float64", "党建考核加权得分（0–100）"),
      col("business", "float64", "业务考核加权得分（0–100）"),
      col("process_weight_share", "float64", "党建考核权重中过程性指标（台帐、记录）所占比例"),
      col("party_building_indicators", "int32", "计分的党建指标个数"),
      col("business_indicators", "int32", "计分的业务指标个数")
    ],
    rows
  };
}

/** The explore page's guide: each table's name, description and columns (no rows). */
export async function exploreCatalog(store: ReportStore) {
  const specs = [
    await exploreScaleScores(store),
    await exploreItemDistributions(store),
    await exploreResponseRates(store),
    await exploreAssessmentTotals(store)
  ];
  const waves = wavesOf(store.manifest);
  return {
    minGroupSize: store.index.codebook.minGroupSize,
    waves,
    refreshedAt: store.manifest.updatedAt,
    tables: specs.map((s) => ({ name: s.name, description: s.description, rows: s.rows.length, columns: s.columns }))
  };
}
