// A headline card for one scale of a section page (a dimension, a sub-dimension or the whole section): the 0–100
// index, the change since the previous wave as its test's verdict shows it, and the index's margin of error, share
// agreeing and number of respondents. changeBadge.ts decides the change line: a rise or a fall (▲/▼, green or red by
// the section's direction) only when the loader's test found it significant (changeSignificant); otherwise
// 与2024年基本持平（变化不明显）, uncoloured.
// Same classes as IndexCard (index-card, index-card__value …), so the pages' styles and tests apply to both.
import { ChangeBadge, changeView, type ChangeView } from "./changeBadge.js";
import {
  HIGHER_IS_WORSE_NOTE,
  SUPPRESSED_NOTE,
  formatCount,
  formatIndex,
  formatInterval,
  formatPercent
} from "./format.js";

export interface CardScore {
  n: number | null;
  index: number | null;
  /** The index's 95% interval (误差范围 on the card; /methods explains it). */
  indexLow: number | null;
  indexHigh: number | null;
  agreeShare: number | null;
  indexChange: number | null;
  changeSignificant: boolean | null;
  previousWave?: number | null;
  suppressed: boolean;
}

/** The verdict of a score row, shown as changeBadge.ts shows every change. */
export function rowChange(
  row: Pick<CardScore, "indexChange" | "changeSignificant" | "suppressed"> | null | undefined,
  {
    changeFrom = "上一轮",
    higherIsBetter = true
  }: { changeFrom?: number | string | null; higherIsBetter?: boolean } = {}
): ChangeView {
  return changeView({
    change: row?.indexChange,
    significant: row?.changeSignificant,
    suppressed: !row || row.suppressed,
    higherIsBetter,
    previousWave: changeFrom
  });
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
  if (!higherIsBetter) card.appendChild(el(document, "p", "index-card__direction", HIGHER_IS_WORSE_NOTE));
  const from = changeFrom ?? (row.previousWave != null ? `${row.previousWave}年` : "上一轮");
  const change = rowChange(row, { changeFrom: from, higherIsBetter });
  const line = el(document, "div", `index-card__change index-card__change--${change.tone}`);
  line.appendChild(ChangeBadge(change, { document }));
  card.appendChild(line);
  const list = el(document, "ul", "index-card__details");
  const details: [string, string][] = [
    ["误差范围", formatInterval(row.indexLow, row.indexHigh, 1)],
    [agreeLabel, formatPercent(row.agreeShare)]
  ];
  for (const [key, text] of details) list.appendChild(el(document, "li", "", `${key}：${text}`));
  list.appendChild(el(document, "li", "index-card__n", `样本量：${formatCount(row.n)} 人`));
  card.appendChild(list);
  return card;
}
