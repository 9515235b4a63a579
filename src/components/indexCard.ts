// A headline card: a label, the 0–100 index to one decimal, the change since the previous wave as its test's verdict
// shows it (changeBadge.ts: ▲/▼ and colour only when significant), and the number of respondents. A suppressed value
// (null) shows 样本量不足，已隐去.
import { ChangeBadge, changeView } from "./changeBadge.js";
import { HIGHER_IS_WORSE_NOTE, SUPPRESSED_NOTE, formatCount, formatNumber } from "./format.js";

export interface IndexCardOptions {
  label: string;
  /** The index (0–100); null when the group is suppressed. */
  value: number | null;
  /** Change since the comparison wave; null when there is none. */
  change?: number | null;
  /** The change test's verdict (true: significant); null/undefined: no verdict, nothing is claimed. */
  significant?: boolean | null;
  /** The change is of a full count, not a sample estimate (assessment scores): worded by its sign, uncoloured. */
  exact?: boolean;
  /** Respondents behind the value. */
  n?: number | null;
  /** What the change is measured against, e.g. "2019年"; defaults to 上一轮. */
  changeFrom?: string;
  /** Extra lines under the value, e.g. [["均值", "2.93"], ["同意比例", "31%"]]. */
  details?: [string, string][];
  /** Whether a higher value is better (a significant rise is green, else red); default true. */
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

export function IndexCard({
  label,
  value,
  change = null,
  significant = null,
  exact = false,
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
  if (!higherIsBetter) card.appendChild(el(document, "p", "index-card__direction", HIGHER_IS_WORSE_NOTE));
  const verdict = changeView({ change, significant, exact, higherIsBetter, previousWave: changeFrom });
  const line = el(document, "div", `index-card__change index-card__change--${verdict.tone}`);
  line.appendChild(ChangeBadge(verdict, { document }));
  card.appendChild(line);
  const list = el(document, "ul", "index-card__details");
  for (const [key, text] of details) list.appendChild(el(document, "li", "", `${key}：${text}`));
  if (n != null) list.appendChild(el(document, "li", "index-card__n", `样本量：${formatCount(n)} 人`));
  if (list.childNodes.length) card.appendChild(list);
  return card;
}
