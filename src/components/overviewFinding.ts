// The overview page's findings, written from the numbers of data/overview.json (pipeline/marts/overview.ts): first
// the one sentence a leader reads in ten seconds (overviewHeadline: the weakest cause, the weakest item, the remedy
// the codebook maps to it, what changed since the last wave), then one paragraph each on the causes, the sections,
// the weakest sub-dimensions and the lagging units (those the mart found worse than the rest of their category after
// the multiple-comparison adjustment: none is named else), and the response (shown with the response table).
// Plain Chinese, no test statistics; a change is only called a rise or fall when its test found it significant
// (changeBadge.ts), otherwise 基本持平（变化不明显）.
import { changeView, type ChangeView } from "./changeBadge.js";
import { formatCount, formatIndex, formatPercent, formatWave } from "./format.js";

type Direction = "higher_is_better" | "higher_is_worse";

export interface FindingIndex {
  code: string;
  name: string;
  direction: Direction;
  n: number | null;
  index: number | null;
  previousWave: number | null;
  indexChange: number | null;
  changeSignificant: boolean | null;
  suppressed: boolean;
}

export interface FindingRate {
  name: string;
  headcount: number;
  n: number | null;
  rate: number | null;
  suppressed: boolean;
}

export interface OverviewData {
  minGroupSize: number;
  wave: number;
  previousWave: number | null;
  response: { all: FindingRate; previousAll: FindingRate | null; categories: FindingRate[] };
  sections: FindingIndex[];
  focus: { code: string; name: string; direction: Direction };
  dimensions: (FindingIndex & { summary: string | null })[];
  weakest: (FindingIndex & { dimensionName: string; measures: { name: string; part: string }[] })[];
  lagging: {
    code: string;
    name: string;
    category: string;
    n: number;
    index: number;
    adjustedP: number;
    weakest: { name: string; index: number } | null;
  }[];
  rankedUnits: number;
  unitComparison: { fdr: number; compared: number; worse: number; better: number };
}

const NUMERALS = ["零", "一", "两", "三", "四", "五", "六", "七", "八", "九", "十"];
/** 3 → 三 (up to ten), else digits. */
export function chineseCount(n: number): string {
  return n >= 0 && n <= 10 && Number.isInteger(n) ? NUMERALS[n] : formatCount(n);
}

const usable = (d: FindingIndex) => !d.suppressed && d.index != null && Number.isFinite(d.index);

/** The verdict of an index's change, as every card and sentence shows it (changeBadge.ts). */
export function indexChange(d: FindingIndex): ChangeView {
  return changeView({
    change: usable(d) && d.previousWave != null ? d.indexChange : null,
    significant: d.changeSignificant,
    higherIsBetter: d.direction !== "higher_is_worse",
    previousWave: d.previousWave
  });
}

/**
 * How an index moved since the previous wave: "较2024年上升 2.3" when the test found it significant, else
 * "与2024年基本持平（变化不明显）". Empty when there is no comparable previous wave.
 */
export function changePhrase(d: FindingIndex): string {
  const v = indexChange(d);
  return v.tone === "none" ? "" : v.words;
}

/** "and"-joined list: 甲、乙和丙. */
function joinList(items: string[]): string {
  return items.length <= 1 ? items.join("") : `${items.slice(0, -1).join("、")}和${items[items.length - 1]}`;
}

/** The worst usable dimension of the focus section (lowest index when higher is better), or null. */
function weakestDimension(d: OverviewData): (FindingIndex & { summary: string | null }) | null {
  const sign = d.focus.direction === "higher_is_better" ? 1 : -1;
  return [...d.dimensions.filter(usable)].sort((a, b) => sign * (a.index! - b.index!))[0] ?? null;
}

/** What changed since the previous wave among the focus section's dimensions, in words: "能力素质上升 3.0（向好），思想认识和制度机制基本持平". */
function dimensionChanges(d: OverviewData): string {
  const dims = d.dimensions.filter(usable);
  const views = dims.map((x) => ({ x, v: indexChange(x) }));
  if (d.previousWave == null || views.every(({ v }) => v.tone === "none")) return "";
  const moved = views.filter(({ v }) => v.tone === "better" || v.tone === "worse");
  if (!moved.length) return `${dims.length > 1 ? `${chineseCount(dims.length)}个方面都` : dims[0].name}基本持平`;
  const words = moved.map(({ x, v }) => `${x.name}${v.short}（${v.tone === "better" ? "向好" : "变差"}）`);
  const rest = views.filter(({ v }) => v.tone === "neutral").map(({ x }) => x.name);
  return `${words.join("、")}${rest.length ? `，${joinList(rest)}基本持平` : ""}`;
}

/**
 * The key message in one sentence: which cause is weakest, the weakest item of the focus section, the remedy the
 * codebook maps to it, and what changed since the previous wave. E.g. "2025年调查显示，“两张皮”的三方面原因中，
 * 制度机制最薄弱（指数 59.2），其中“考核机制”得分最低（52.9），对策是当好“强化剂”：强化责任机制；与2024年相比，
 * 三个方面都基本持平。"
 */
export function overviewHeadline(d: OverviewData): string {
  const weak = weakestDimension(d);
  if (!weak) return `${formatWave(d.wave)}${d.focus.name}的各方面样本量不足${d.minGroupSize}人，按匿名规则不显示。`;
  const count = chineseCount(d.dimensions.length);
  let text = `${formatWave(d.wave)}调查显示，“两张皮”的${count}方面原因中，${weak.name}最薄弱（指数 ${formatIndex(weak.index)}）`;
  const item = d.weakest.find(usable);
  if (item) {
    text +=
      item.dimensionName === weak.name
        ? `，其中“${item.name}”得分最低（${formatIndex(item.index)}）`
        : `，具体方面中${item.dimensionName}的“${item.name}”得分最低（${formatIndex(item.index)}）`;
    const measures = [...new Set(item.measures.map((m) => m.name))];
    if (measures.length)
      text += `，对策是当好${measures
        .map(
          (name) =>
            `“${name}”：${item.measures
              .filter((m) => m.name === name)
              .map((m) => m.part)
              .join("、")}`
        )
        .join("；")}`;
  }
  const changes = dimensionChanges(d);
  if (changes && d.previousWave != null) text += `；与${formatWave(d.previousWave)}相比，${changes}`;
  return `${text}。`;
}

/** The response: how many answered, against the roster and the previous wave, and the categories' extremes. */
export function responseFinding(d: OverviewData): string {
  return responseParagraph(d);
}

function responseParagraph(d: OverviewData): string {
  const { all, previousAll, categories } = d.response;
  const focusN = d.sections.find((s) => s.code === d.focus.code)?.n ?? null;
  let text = `${formatWave(d.wave)}共回收问卷${formatCount(all.n)}份，占名册${formatCount(all.headcount)}名党务干部的${formatPercent(all.rate, 1)}`;
  if (previousAll && previousAll.rate != null && d.previousWave != null)
    text += `（${formatWave(d.previousWave)}为${formatPercent(previousAll.rate, 1)}）`;
  text += "。";
  if (focusN != null && all.n != null && focusN < all.n)
    text += `剔除答题过快等不计分的答卷后，计入得分的有效问卷${formatCount(focusN)}份。`;
  const ranked = categories.filter((c) => !c.suppressed && c.rate != null).sort((a, b) => b.rate! - a.rate!);
  if (ranked.length >= 2) {
    const hi = ranked[0];
    const lo = ranked[ranked.length - 1];
    text += `各类单位中，回收率最高的是${hi.name}（${formatPercent(hi.rate, 1)}），最低的是${lo.name}（${formatPercent(lo.rate, 1)}）。`;
  }
  return text;
}

function causesParagraph(d: OverviewData): string {
  const dims = d.dimensions.filter(usable);
  if (!dims.length) return `${d.focus.name}的各方面样本量不足${d.minGroupSize}人，按匿名规则不显示。`;
  const sign = d.focus.direction === "higher_is_better" ? 1 : -1;
  const weak = [...dims].sort((a, b) => sign * (a.index! - b.index!))[0];
  // Was it the weakest in the previous wave too? (previous index = index − change, where every dimension has one.)
  const before = dims.every((x) => x.indexChange != null)
    ? [...dims].sort((a, b) => sign * (a.index! - a.indexChange! - (b.index! - b.indexChange!)))[0]
    : null;
  const still = before?.code === weak.code ? "仍是" : "是";
  const count = chineseCount(d.dimensions.length);
  const change = changePhrase(weak);
  let text = `${d.focus.name}的${count}个方面中，${weak.name}指数${formatIndex(weak.index)}，${still}${count}个方面中最弱的一个${change ? `，${change}` : ""}`;
  text += weak.summary ? `，说明“${weak.summary}”是党建与业务“两张皮”的突出原因。` : "。";
  const others = dims
    .filter((x) => x.code !== weak.code)
    .map((x) => `${x.name}${formatIndex(x.index)}${changePhrase(x) ? `（${changePhrase(x)}）` : ""}`);
  if (others.length) text += `其余方面：${others.join("；")}。`;
  return text;
}

function sectionsParagraph(d: OverviewData): string {
  const parts = d.sections.filter(usable).map((s) => {
    const change = changePhrase(s);
    const note = s.direction === "higher_is_worse" ? "，越高表示问题越突出" : "";
    return `${s.name}指数${formatIndex(s.index)}（${change || "暂无上一轮可比数据"}${note}）`;
  });
  return parts.length ? `问卷${chineseCount(parts.length)}个部分的总体情况：${parts.join("；")}。` : "";
}

function weakestParagraph(d: OverviewData): string {
  if (!d.weakest.length) return "";
  const count = chineseCount(d.weakest.length);
  const dims = [...new Set(d.weakest.map((w) => w.dimensionName))];
  let text =
    dims.length === 1 && d.weakest.length > 1
      ? `得分最低的${count}个具体方面都在${dims[0]}：${joinList(d.weakest.map((w) => `“${w.name}”（${formatIndex(w.index)}）`))}。`
      : `得分最低的${count}个具体方面是${joinList(d.weakest.map((w) => `${w.dimensionName}中的“${w.name}”（${formatIndex(w.index)}）`))}。`;
  const measures = new Map<string, string[]>();
  for (const w of d.weakest)
    for (const m of w.measures)
      measures.set(
        m.name,
        [...(measures.get(m.name) ?? []), m.part].filter((p, i, all) => all.indexOf(p) === i)
      );
  if (measures.size)
    text += `对应的对策是${[...measures].map(([name, parts]) => `“${name}”：${parts.join("、")}`).join("；")}。`;
  return text;
}

/** "明显偏低" in the scale's sense: lower for a higher-is-better scale, higher (more of the problem) otherwise. */
export function worseWord(direction: Direction): string {
  return direction === "higher_is_better" ? "明显偏低" : "明显偏高（问题更突出）";
}

function laggingParagraph(d: OverviewData): string {
  if (!d.rankedUnits) return `${formatWave(d.wave)}没有样本量达到${d.minGroupSize}人的单位可供比较。`;
  const c = d.unitComparison;
  if (!c.compared) return `${formatWave(d.wave)}答卷人数不少于${d.minGroupSize}人的单位，都没有同类其他单位可供比较。`;
  let text = `在答卷人数不少于${d.minGroupSize}人的${formatCount(c.compared)}个单位中，把每个单位的${d.focus.name}指数与同类其他单位（同一类别中除本单位以外的全部答卷）相比，排除偶然波动（已考虑同时比较许多单位）后，`;
  if (!d.lagging.length)
    return `${text}没有单位${worseWord(d.focus.direction)}；各单位之间的差别可能只是偶然波动，不宜据此点名。`;
  const list = d.lagging.map((u) => `${u.name}（${u.category}，${formatIndex(u.index)}，${formatCount(u.n)}人）`);
  text += `${joinList(list)}${c.worse > d.lagging.length ? `等${formatCount(c.worse)}个单位` : ""}仍${worseWord(d.focus.direction)}。`;
  const weakNames = [...new Set(d.lagging.flatMap((u) => (u.weakest ? [u.weakest.name] : [])))];
  if (weakNames.length === 1)
    text += `${d.lagging.length > 1 ? "这些单位最弱的都是" : "该单位最弱的是"}${weakNames[0]}。`;
  return text;
}

/**
 * The findings below the headline and its chart, as paragraphs in reading order: causes, sections, weakest
 * sub-dimensions, lagging units. (The response is told with its table, responseFinding.)
 */
export function overviewFinding(d: OverviewData): { key: string; text: string }[] {
  return [
    { key: "causes", text: causesParagraph(d) },
    { key: "sections", text: sectionsParagraph(d) },
    { key: "weakest", text: weakestParagraph(d) },
    { key: "lagging", text: laggingParagraph(d) }
  ].filter((p) => p.text);
}
