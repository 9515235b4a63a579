// One measure of the report (助推剂, 粘合剂, 强化剂) as a card on the measures page, the cards in the report's order:
// its place in the priority order, a label that tells the measures apart (建议优先采取 only for the first, the one
// answering the weakest cause by the data; 有需加强的环节 for another with a part that applies; else 当前不属突出短板),
// the respondents' own demand for it, and each of its parts with the evidence behind it in plain Chinese: the index
// of every sub-dimension the part addresses, its 95% interval, the share agreeing and the change since the previous
// wave (pipeline/marts/measures.ts ranks; this only writes it out).
import { rowChange } from "./dimensionCard.js";
import { HIGHER_IS_WORSE_NOTE, SUPPRESSED_NOTE, formatIndex, formatPercent } from "./format.js";
import { countWord, numeral, quote } from "./sectionFinding.js";

export type Reason = "weakest" | "unfavourable" | "worsened";

export interface EvidenceView {
  code: string;
  name: string;
  sectionName: string;
  direction: "higher_is_better" | "higher_is_worse";
  index: number | null;
  indexLow: number | null;
  indexHigh: number | null;
  agreeShare: number | null;
  indexChange: number | null;
  changeSignificant: boolean | null;
  rankInSection: number | null;
  /** How many sub-dimensions its section has (for "排第2"). */
  sectionSize?: number;
  reasons: Reason[];
  suppressed: boolean;
}

export interface PartView {
  code: string;
  name: string;
  need: number | null;
  rank: number | null;
  applies: boolean;
  evidence: EvidenceView[];
}

export interface MeasureView {
  code: string;
  name: string;
  summary: string | null;
  rank: number | null;
  need: number | null;
  applies: boolean;
  /** The share of respondents who say their unit needs this measure (对策需求), if asked. */
  demandShare?: number | null;
  demandSuppressed?: boolean | null;
  parts: PartView[];
}

/** The label of a measure: only the first in the priority order is 建议优先采取. */
export function measureLabel(measure: Pick<MeasureView, "rank" | "applies">): string {
  return measure.rank === 1 ? "建议优先采取" : measure.applies ? "有需加强的环节" : "当前不属突出短板";
}

export const REASON_WORDS: Record<Reason, string> = {
  weakest: "属本部分最薄弱的三分之一",
  unfavourable: "明显处在“一般”的不利一侧",
  worsened: "较上一轮明显变差"
};

/** A reason in words, by the section's direction: a problem is among the most serious, not the weakest. */
export function reasonWords(reason: Reason, direction: EvidenceView["direction"]): string {
  return reason === "weakest" && direction === "higher_is_worse" ? "属本部分最突出的三分之一" : REASON_WORDS[reason];
}

/** One sub-dimension's evidence as a sentence. */
export function evidenceSentence(e: EvidenceView, { changeFrom = "上一轮" }: { changeFrom?: string } = {}): string {
  if (e.suppressed || e.index == null) return `${quote(e.name)}（${e.sectionName}）：${SUPPRESSED_NOTE}。`;
  const worse = e.direction === "higher_is_worse";
  const position =
    e.rankInSection == null
      ? ""
      : `，在${e.sectionName}${e.sectionSize ? `${countWord(e.sectionSize)}个方面` : "各方面"}中${e.rankInSection === 1 ? (worse ? "最为突出" : "最为薄弱") : `${worse ? "突出程度" : "薄弱程度"}排第${numeral(e.rankInSection)}`}`;
  const change = rowChange(e, { changeFrom, higherIsBetter: !worse });
  return (
    `${quote(e.name)}（${e.sectionName}）指数${formatIndex(e.index)}（误差范围${formatIndex(e.indexLow)}–${formatIndex(e.indexHigh)}${worse ? `；${HIGHER_IS_WORSE_NOTE}` : ""}），` +
    `${worse ? "认为存在该问题的占" : "持认同态度的占"}${formatPercent(e.agreeShare)}${position}；${change.words}${change.tone === "better" ? "，有所改善" : change.tone === "worse" ? "，有所变差" : ""}。`
  );
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

export interface MeasureCardOptions {
  changeFrom?: string;
  /** The section whose gaps make the need (原因剖析): the need line says so. */
  basisName?: string | null;
  document?: Document;
}

/**
 * MeasureCard(measure, {changeFrom, basisName}) → a <div class="card measure-card"> with one <li class="measure-part">
 * per part, in the order given (the report's).
 */
export function MeasureCard(
  measure: MeasureView,
  { changeFrom = "上一轮", basisName = null, document = globalThis.document }: MeasureCardOptions = {}
): HTMLDivElement {
  const card = el(document, "div", `card measure-card${measure.rank === 1 ? " measure-card--first" : ""}`);
  card.dataset.measure = measure.code;
  const title = el(document, "h2", "measure-card__title", measure.name);
  if (measure.rank != null)
    title.appendChild(
      el(
        document,
        "span",
        `measure-card__rank${measure.rank === 1 ? " red" : " muted"}`,
        ` 优先顺序第${numeral(measure.rank)}`
      )
    );
  card.appendChild(title);
  if (measure.summary) card.appendChild(el(document, "h3", "measure-card__summary", measure.summary));
  const status =
    measure.need == null
      ? SUPPRESSED_NOTE
      : `需求指数 ${formatIndex(measure.need)}（所针对${basisName ? `${basisName}` : ""}各方面的平均差距）· ${measureLabel(measure)}`;
  card.appendChild(el(document, "p", "measure-card__need", status));
  if (measure.demandShare != null && !measure.demandSuppressed)
    card.appendChild(
      el(
        document,
        "p",
        "measure-card__demand muted",
        `${formatPercent(measure.demandShare)}的受访干部认为本单位需要采取这方面的措施。`
      )
    );
  const list = el(document, "ol", "measure-card__parts");
  for (const part of measure.parts) {
    const li = el(document, "li", `measure-part${part.applies ? " measure-part--applies" : ""}`);
    li.dataset.part = part.code;
    const head = el(document, "div", "measure-part__head");
    head.appendChild(el(document, "strong", "", part.name));
    head.appendChild(document.createTextNode(" "));
    head.appendChild(
      el(
        document,
        "span",
        part.applies ? "measure-part__badge red" : "measure-part__badge muted",
        part.need == null ? SUPPRESSED_NOTE : `${part.applies ? "需加强" : "可巩固"} · 差距 ${formatIndex(part.need)}`
      )
    );
    li.appendChild(head);
    const reasons = [...new Set(part.evidence.flatMap((e) => e.reasons))];
    if (part.applies && reasons.length)
      li.appendChild(
        el(
          document,
          "p",
          "measure-part__why",
          `依据：${part.evidence
            .filter((e) => e.reasons.length)
            .map((e) => `${quote(e.name)}${e.reasons.map((r) => reasonWords(r, e.direction)).join("，")}`)
            .join("；")}。`
        )
      );
    const evidence = el(document, "ul", "measure-part__evidence");
    for (const e of part.evidence) evidence.appendChild(el(document, "li", "", evidenceSentence(e, { changeFrom })));
    li.appendChild(evidence);
    list.appendChild(li);
  }
  card.appendChild(list);
  return card;
}
