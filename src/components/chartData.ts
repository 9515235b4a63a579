// The rows behind each chart component, as the CSV of its downloads bar (figure.ts): Chinese headings and the figures
// at the precision the chart shows them (its labels and tooltips), nothing the chart does not show. One function per
// chart component, named after it.
import type { CsvSpec } from "./figure.js";
import type { GroupScore } from "./groupDots.js";
import type { WeightBar } from "./indicatorWeights.js";
import { likertSegments, type LikertItem, type LikertScale } from "./likertBars.js";
import type { MissingQuestion, MissingRow } from "./missingHeatmap.js";
import type { NeedPart } from "./needBars.js";
import type { QuadrantUnit } from "./quadrant.js";
import type { RankSlopeRow } from "./rankSlope.js";
import type { ScoreRangeRow } from "./scoreRanges.js";
import type { ScoreRow } from "./scoreBars.js";
import type { ShareRow } from "./shareTrend.js";
import type { TrendBandSeries } from "./trendBand.js";
import type { UnitCompareRow } from "./unitCompare.js";

const hidden = (d: { suppressed?: boolean | null; index?: number | null }) => !!d.suppressed || d.index == null;

/** ScoreBars: each (sub-)dimension's mean on the answer scale and its 95% interval, two decimals. */
export function scoreBarsData(
  rows: readonly ScoreRow[],
  {
    scale = { min: 1, max: 5 },
    dimensions = []
  }: { scale?: { min: number; max: number }; dimensions?: readonly { code: string; name: string }[] } = {}
): CsvSpec<ScoreRow> {
  const onScale = (x: number | null) => (x == null ? null : scale.min + (x / 100) * (scale.max - scale.min));
  const nameOf = new Map(dimensions.map((d) => [d.code, d.name]));
  return {
    rows,
    suppressed: hidden,
    columns: [
      { label: "所属方面", value: (d) => nameOf.get(d.dimension ?? "") ?? d.dimension ?? d.name },
      { label: "项目", value: (d) => d.name },
      { label: `平均得分（${scale.min}–${scale.max}分）`, value: (d) => onScale(d.index), digits: 2 },
      { label: "95%置信区间下限", value: (d) => onScale(d.indexLow), digits: 2 },
      { label: "95%置信区间上限", value: (d) => onScale(d.indexHigh), digits: 2 }
    ]
  };
}

/** LikertBars: per item and answer, the number of answers and its share (one decimal, in %). */
export function likertBarsData(items: readonly LikertItem[], { scale }: { scale: LikertScale }): CsvSpec<LikertItem> {
  // The segments come least favourable first (reverse-worded items flipped); the CSV keeps the answers as asked.
  const shares = new Map(
    items.map((item) => {
      const segments = item.suppressed || !item.counts ? [] : likertSegments(item, scale);
      return [item.code, scale.labels.map((label) => segments.find((s) => s.label === label))];
    })
  );
  return {
    rows: items,
    suppressed: (d) => d.suppressed || !d.counts,
    columns: [
      { label: "题目", value: (d) => d.text },
      { label: "反向题", value: (d) => (d.reverse ? "是" : "否") },
      ...scale.labels.flatMap((label, i) => [
        { label: `${label}（人数）`, value: (d: LikertItem) => shares.get(d.code)?.[i]?.count ?? null, digits: 0 },
        {
          label: `${label}（占比%）`,
          value: (d: LikertItem) => {
            const s = shares.get(d.code)?.[i];
            return s ? s.share * 100 : null;
          },
          digits: 1
        }
      ])
    ]
  };
}

/** GroupDots: each group's index and its 95% interval (one decimal) and its number of respondents. */
export function groupDotsData(rows: readonly GroupScore[], { grouping }: { grouping: string }): CsvSpec<GroupScore> {
  return {
    rows,
    suppressed: hidden,
    columns: [
      { label: grouping, value: (d) => d.group },
      { label: "指数（0–100）", value: (d) => d.index, digits: 1 },
      { label: "95%置信区间下限", value: (d) => d.indexLow, digits: 1 },
      { label: "95%置信区间上限", value: (d) => d.indexHigh, digits: 1 },
      { label: "样本量", value: (d) => d.n, digits: 0 }
    ]
  };
}

interface CorrelationRow {
  predictor: string;
  outcome: string;
  r: number | null;
  ciLow?: number | null;
  ciHigh?: number | null;
  n?: number | null;
  suppressed?: boolean;
}

/** CorrelationDots: each cause × problem correlation r and its 95% interval (two decimals), and n. */
export function correlationDotsData<T extends CorrelationRow>(
  cells: readonly T[],
  {
    predictors,
    outcomes
  }: { predictors: readonly { code: string; name: string }[]; outcomes: readonly { code: string; name: string }[] }
): CsvSpec<T> {
  const p = new Map(predictors.map((d) => [d.code, d.name]));
  const o = new Map(outcomes.map((d) => [d.code, d.name]));
  const rows = cells.filter((c) => p.has(c.predictor) && o.has(c.outcome));
  return {
    rows,
    suppressed: (c) => !!c.suppressed || c.r == null,
    columns: [
      { label: "原因", value: (c) => p.get(c.predictor) ?? c.predictor },
      { label: "问题", value: (c) => o.get(c.outcome) ?? c.outcome },
      { label: "相关系数r", value: (c) => c.r, digits: 2 },
      { label: "95%置信区间下限", value: (c) => c.ciLow, digits: 2 },
      { label: "95%置信区间上限", value: (c) => c.ciHigh, digits: 2 },
      { label: "样本量", value: (c) => c.n, digits: 0 }
    ]
  };
}

/** NeedBars: each measure's part, its gap (one decimal) and whether it applies. */
export function needBarsData(parts: readonly NeedPart[]): CsvSpec<NeedPart> {
  return {
    rows: parts,
    suppressed: (d) => d.need == null,
    columns: [
      { label: "措施", value: (d) => d.measure },
      { label: "具体措施", value: (d) => d.name },
      { label: "差距", value: (d) => d.need, digits: 1 },
      { label: "是否适用", value: (d) => (d.applies ? "适用" : "可巩固") }
    ]
  };
}

/** TrendBand: one line per series and wave: index, its 95% interval (one decimal) and n. */
export function trendBandData(series: readonly TrendBandSeries[], { value = "指数" }: { value?: string } = {}) {
  const rows = series.flatMap((s) => s.points.map((p) => ({ series: s.label, ...p })));
  type Row = (typeof rows)[number];
  const spec: CsvSpec<Row> = {
    rows,
    suppressed: (d) => !!d.suppressed || d.index == null,
    columns: [
      { label: "系列", value: (d) => d.series },
      { label: "轮次", value: (d) => d.wave },
      { label: value, value: (d) => d.index, digits: 1 },
      { label: "95%置信区间下限", value: (d) => d.low, digits: 1 },
      { label: "95%置信区间上限", value: (d) => d.high, digits: 1 },
      { label: "样本量", value: (d) => d.n, digits: 0 }
    ]
  };
  return spec;
}

/** UnitCompare: the unit's index per item with its interval and n, and the category's and everyone's index. */
export function unitCompareData(
  rows: readonly UnitCompareRow[],
  { labels }: { labels: { unit: string; category: string; all: string } }
): CsvSpec<UnitCompareRow> {
  return {
    rows,
    suppressed: (d) => d.suppressed || d.index == null,
    columns: [
      { label: "项目", value: (d) => d.name },
      { label: `${labels.unit}指数`, value: (d) => d.index, digits: 1 },
      { label: "95%置信区间下限", value: (d) => d.low, digits: 1 },
      { label: "95%置信区间上限", value: (d) => d.high, digits: 1 },
      { label: "样本量", value: (d) => d.n, digits: 0 },
      // References, shown whatever the unit: never hidden with the unit's own figures.
      { label: `${labels.category}指数`, value: (d) => d.category, digits: 1, always: true },
      { label: `${labels.all}指数`, value: (d) => d.all, digits: 1, always: true }
    ]
  };
}

/** ShareTrend: each option's share per wave with its interval (in %, one decimal). */
export function shareTrendData(rows: readonly ShareRow[]): CsvSpec<ShareRow> {
  return {
    rows,
    columns: [
      { label: "轮次", value: (d) => d.wave },
      { label: "选项", value: (d) => d.label },
      { label: "比例（%）", value: (d) => d.share * 100, digits: 1 },
      { label: "95%区间下限（%）", value: (d) => d.low * 100, digits: 1 },
      { label: "95%区间上限（%）", value: (d) => d.high * 100, digits: 1 }
    ]
  };
}

/** MissingHeatmap: per wave and question, the unanswered count, the respondents and the share (%, one decimal). */
export function missingHeatmapData(
  rows: readonly MissingRow[],
  { questions }: { questions: readonly MissingQuestion[] }
): CsvSpec<MissingRow> {
  const text = new Map(questions.map((q) => [q.code, q.text]));
  const number = new Map(questions.map((q) => [q.code, q.number]));
  return {
    rows,
    columns: [
      { label: "轮次", value: (d) => d.wave },
      { label: "题号", value: (d) => number.get(d.question) ?? null },
      { label: "题目", value: (d) => text.get(d.question) ?? d.question },
      { label: "未作答人数", value: (d) => d.missing, digits: 0 },
      { label: "答卷人数", value: (d) => d.respondents, digits: 0 },
      { label: "未作答比例（%）", value: (d) => d.share * 100, digits: 1 }
    ]
  };
}

/** Quadrant: each unit's two values (one decimal, as the tooltip shows them). */
export function quadrantData<T extends QuadrantUnit>(
  units: readonly T[],
  { x, y, xLabel, yLabel }: { x: keyof T & string; y: keyof T & string; xLabel: string; yLabel: string }
): CsvSpec<T> {
  const num = (v: unknown) => (typeof v === "number" ? v : null);
  return {
    rows: units,
    columns: [
      { label: "单位", value: (d) => d.name },
      { label: xLabel, value: (d) => num(d[x]), digits: 1 },
      { label: yLabel, value: (d) => num(d[y]), digits: 1 }
    ]
  };
}

/**
 * IndicatorWeights: each party-building indicator's kind and share of the weight (whole %, as the bars say). Takes
 * the chart's own bars (weightBars) and kind names, so that pages without the chart do not load it.
 */
export function indicatorWeightsData(
  bars: readonly WeightBar[],
  { kindNames = {} }: { kindNames?: Record<string, string> } = {}
): CsvSpec<WeightBar> {
  return {
    rows: bars,
    columns: [
      { label: "指标", value: (d) => d.name },
      { label: "类别", value: (d) => kindNames[d.kind] ?? d.kind },
      { label: "占党建考核权重（%）", value: (d) => d.share * 100, digits: 0 }
    ]
  };
}

/** ScoreRanges: each indicator's lowest, median and highest score rate across units (one decimal). */
export function scoreRangesData(
  rows: readonly ScoreRangeRow[],
  { kindNames = {} }: { kindNames?: Record<string, string> } = {}
): CsvSpec<ScoreRangeRow> {
  return {
    rows,
    columns: [
      { label: "指标", value: (d) => d.name },
      { label: "类别", value: (d) => kindNames[d.kind] ?? d.kind },
      { label: "最低", value: (d) => d.min, digits: 1 },
      { label: "中位数", value: (d) => d.median, digits: 1 },
      { label: "最高", value: (d) => d.max, digits: 1 }
    ]
  };
}

/** RankSlope: each unit's rank under the two weightings. */
export function rankSlopeData(
  rows: readonly RankSlopeRow[],
  { left = "现行权重排名", right = "调整后排名" }: { left?: string; right?: string } = {}
): CsvSpec<RankSlopeRow> {
  return {
    rows,
    columns: [
      { label: "单位", value: (d) => d.name },
      { label: left, value: (d) => d.before },
      { label: right, value: (d) => d.after },
      { label: "名次变化（正为上升）", value: (d) => d.before - d.after }
    ]
  };
}
