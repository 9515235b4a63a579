// A headline card for one scale of a section page (a dimension, a sub-dimension or the whole section): the 0–100
// index, the change since the previous wave with its significance in words, and the index's interval, share agreeing
// and number of respondents. A change is called a rise or a fall only when the loader's test found it significant
// (changeSignificant); otherwise the card says 与上一轮相比无显著变化. Colours follow the section's direction: on a
// higher-is-worse section (存在问题) a significant rise is red.
// Same classes as IndexCard (index-card, index-card__value …), so the pages' styles and tests apply to both.
import { describeChange } from "./indexCard.js";
import { SUPPRESSED_NOTE, formatCount, formatIndex, formatInterval, formatPercent } from "./format.js";

export interface CardScore {
  n: number | null;
  index: number | null;
  /** The index's 95% interval. */
  indexLow: number | null;
  indexHigh: number | null;
  agreeShare: number | null;
  indexChange: number | null;
  changeSignificant: boolean | null;
  previousWave?: number | null;
  suppressed: boolean;
}

export interface ChangeInWords {
  /** ▲, ▼ or —; "" when there is nothing to compare with. */
  symbol: string;
  /** The signed change of the index, one decimal: "+2.3". */
  text: string;
  /** 较2024年显著上升 · 较2024年显著下降 · 与2024年相比无显著变化 · 暂无上一轮可比数据 */
  words: string;
  /** better / worse (significant, by direction), same (not significant), none (no comparison). */
  tone: "better" | "worse" | "same" | "none";
}

/** The change of a score since the previous wave in words, significant or not. */
export function changeInWords(
  row: Pick<CardScore, "indexChange" | "changeSignificant" | "suppressed"> | null | undefined,
  { changeFrom = "上一轮", higherIsBetter = true }: { changeFrom?: string; higherIsBetter?: boolean } = {}
): ChangeInWords {
  if (
    !row ||
    row.suppressed ||
    row.indexChange == null ||
    !Number.isFinite(row.indexChange) ||
    row.changeSignificant == null
  )
    return { symbol: "", text: "", words: "暂无上一轮可比数据", tone: "none" };
  const { symbol, text } = describeChange(row.indexChange, { changeFrom });
  if (!row.changeSignificant) return { symbol, text, words: `与${changeFrom}相比无显著变化`, tone: "same" };
  const up = row.indexChange > 0;
  return {
    symbol,
    text,
    words: `较${changeFrom}显著${up ? "上升" : "下降"}`,
    tone: up === higherIsBetter ? "better" : "worse"
  };
}

export interface DimensionCardOptions {
  label: string;
  /** A line under the label (e.g. the report's wording 热情不高). */
  subtitle?: string | null;
  row: CardScore | null | undefined;
  /** E.g. "2024年"; defaults to the row's previousWave, else 上一轮. */
  changeFrom?: string;
  higherIsBetter?: boolean;
  /** How the share agreeing is named: 认同比例, or 认为存在该问题的比例 on a problems page. */
  agreeLabel?: string;
  document?: Document;
}

function el<K extends keyof HTMLElementTagNameMap>(
  document: Document,
  tag: K,
  className: string,
  text?: string
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

export function DimensionCard({
  label,
  subtitle = null,
  row,
  changeFrom,
  higherIsBetter = true,
  agreeLabel = "认同比例",
  document = globalThis.document
}: DimensionCardOptions): HTMLDivElement {
  const card = el(document, "div", "card index-card dimension-card");
  card.appendChild(el(document, "h2", "index-card__label", label));
  if (subtitle) card.appendChild(el(document, "h3", "index-card__subtitle", subtitle));
  if (!row || row.suppressed || row.index == null || !Number.isFinite(row.index)) {
    card.classList.add("index-card--suppressed");
    card.appendChild(el(document, "div", "index-card__value", "—"));
    card.appendChild(el(document, "p", "index-card__suppressed", SUPPRESSED_NOTE));
    return card;
  }
  card.appendChild(el(document, "div", "index-card__value", formatIndex(row.index)));
  const from = changeFrom ?? (row.previousWave != null ? `${row.previousWave}年` : "上一轮");
  const change = changeInWords(row, { changeFrom: from, higherIsBetter });
  const line = el(document, "div", `index-card__change index-card__change--${change.tone}`);
  if (change.tone === "none") {
    line.classList.add("muted");
    line.textContent = change.words;
  } else {
    const colour = change.tone === "better" ? "green" : change.tone === "worse" ? "red" : "muted";
    line.appendChild(el(document, "span", `index-card__delta ${colour}`, `${change.symbol} ${change.text}`));
    line.appendChild(document.createTextNode(" "));
    line.appendChild(el(document, "span", "muted", change.words));
  }
  card.appendChild(line);
  const list = el(document, "ul", "index-card__details");
  const details: [string, string][] = [
    ["95%置信区间", formatInterval(row.indexLow, row.indexHigh, 1)],
    [agreeLabel, formatPercent(row.agreeShare)]
  ];
  for (const [key, text] of details) list.appendChild(el(document, "li", "", `${key}：${text}`));
  list.appendChild(el(document, "li", "index-card__n", `样本量：${formatCount(row.n)} 人`));
  card.appendChild(list);
  return card;
}
