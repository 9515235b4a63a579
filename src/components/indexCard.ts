// A headline card: a label, the 0–100 index to one decimal, the change since the previous wave with ▲/▼ and
// Chinese wording, and the number of respondents. A suppressed value (null) shows 样本量不足，已隐去.
import { SUPPRESSED_NOTE, formatChange, formatCount, formatNumber, round } from "./format.js";

export interface IndexCardOptions {
  label: string;
  /** The index (0–100); null when the group is suppressed. */
  value: number | null;
  /** Change since the comparison wave; null when there is none. */
  change?: number | null;
  /** Respondents behind the value. */
  n?: number | null;
  /** What the change is measured against, e.g. "2019年"; defaults to 上一轮. */
  changeFrom?: string;
  /** Extra lines under the value, e.g. [["均值", "2.93"], ["同意比例", "31%"]]. */
  details?: [string, string][];
  /** Whether a higher value is better (colours the change green, else red); default true. */
  higherIsBetter?: boolean;
  /** Decimals of value and change; default 1. */
  digits?: number;
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

/** The change line: "▲ +0.2 较2019年上升", "▼ -1.3 较上一轮下降", "— 0.0 与上一轮持平". */
export function describeChange(
  change: number,
  { changeFrom = "上一轮", digits = 1 } = {}
): { symbol: string; text: string; words: string } {
  const r = round(change, digits);
  if (r > 0) return { symbol: "▲", text: formatChange(r, digits), words: `较${changeFrom}上升` };
  if (r < 0) return { symbol: "▼", text: formatChange(r, digits), words: `较${changeFrom}下降` };
  return { symbol: "—", text: formatChange(0, digits), words: `与${changeFrom}持平` };
}

export function IndexCard({
  label,
  value,
  change = null,
  n = null,
  changeFrom = "上一轮",
  details = [],
  higherIsBetter = true,
  digits = 1,
  document = globalThis.document
}: IndexCardOptions): HTMLDivElement {
  const card = el(document, "div", "card index-card");
  card.appendChild(el(document, "h2", "index-card__label", label));
  if (value == null || !Number.isFinite(value)) {
    card.classList.add("index-card--suppressed");
    card.appendChild(el(document, "div", "index-card__value", "—"));
    card.appendChild(el(document, "p", "index-card__suppressed", SUPPRESSED_NOTE));
    return card;
  }
  card.appendChild(el(document, "div", "index-card__value", formatNumber(value, digits)));
  const line = el(document, "div", "index-card__change");
  if (change == null || !Number.isFinite(change)) {
    line.classList.add("muted");
    line.textContent = "暂无上一轮可比数据";
  } else {
    const { symbol, text, words } = describeChange(change, { changeFrom, digits });
    const r = round(change, digits);
    const better = r === 0 ? "muted" : r > 0 === higherIsBetter ? "green" : "red";
    line.appendChild(el(document, "span", `index-card__delta ${better}`, `${symbol} ${text}`));
    line.appendChild(document.createTextNode(" "));
    line.appendChild(el(document, "span", "muted", words));
  }
  card.appendChild(line);
  const list = el(document, "ul", "index-card__details");
  for (const [key, text] of details) list.appendChild(el(document, "li", "", `${key}：${text}`));
  if (n != null) list.appendChild(el(document, "li", "index-card__n", `样本量：${formatCount(n)} 人`));
  if (list.childNodes.length) card.appendChild(list);
  return card;
}
