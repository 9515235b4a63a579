// The one place that decides how a change since the previous wave is shown: colour, arrow and words, from the verdict
// of the change test (the marts' `changeSignificant` / `significant`). Every card, finding and table of the leaders'
// pages asks this module, so that one rule holds everywhere:
// - a significant change is a rise or a fall, ▲/▼, green when it is for the better and red when it is for the worse
//   (on a higher-is-worse section such as 存在问题 a rise is worse);
// - a change that is not significant is neutral: no arrow, no colour, 与2024年基本持平（变化不明显）;
// - without a verdict (no previous wave, a suppressed group, or a change nobody tested) it claims nothing.
// How the test works is explained once, in plain Chinese, on /methods (方法说明).
import { formatChange, formatNumber, formatWave, round } from "./format.js";

export type ChangeTone = "better" | "worse" | "neutral" | "none";

export interface ChangeVerdict {
  /** The change of the index since the previous wave (this wave minus that one). */
  change: number | null | undefined;
  /** The test's verdict: true significant, false not significant, null/undefined no verdict. */
  significant: boolean | null | undefined;
  /** Whether a rise is for the better; default true. */
  higherIsBetter?: boolean;
  /** What the change is measured against: a wave (2024 → 2024年) or words (上一轮); default 上一轮. */
  previousWave?: number | string | null;
  /** Whether the group is hidden by the anonymity rule: nothing is said about its change. */
  suppressed?: boolean | null;
  /**
   * The change is a fact, not an estimate from a sample (e.g. the median assessment score of every unit): it is called
   * a rise or a fall by its sign, with its arrow but without colour, since no test stands behind a verdict.
   */
  exact?: boolean;
}

export interface ChangeView {
  tone: ChangeTone;
  /** ▲ or ▼ for a significant change, else "". */
  arrow: "▲" | "▼" | "";
  /** The signed change, one decimal ("+2.1"), for a significant change only; else "". */
  delta: string;
  /** For a sentence or a card: 较2024年上升 2.1 · 较2024年下降 1.3 · 与2024年基本持平（变化不明显） · 暂无上一轮可比数据. */
  words: string;
  /** For a table cell that already says against what: 上升 2.1 · 下降 1.3 · 基本持平 · —. */
  short: string;
  /** change-badge change-badge--<tone> plus the page colour: green (better), red (worse), muted (otherwise). */
  className: string;
}

const NO_PREVIOUS = "暂无上一轮可比数据";

/** "2024年" for a wave, the words themselves for a string, 上一轮 without one. */
export function changeFromLabel(previousWave: number | string | null | undefined): string {
  if (previousWave == null || previousWave === "") return "上一轮";
  return typeof previousWave === "number" || /^\d{4}$/.test(previousWave) ? formatWave(previousWave) : previousWave;
}

function view(tone: ChangeTone, arrow: ChangeView["arrow"], delta: string, words: string, short: string): ChangeView {
  const colour = tone === "better" ? "green" : tone === "worse" ? "red" : "muted";
  return { tone, arrow, delta, words, short, className: `change-badge change-badge--${tone} ${colour}` };
}

/**
 * How a change is shown, from its verdict. A significant change that rounds to 0.0 is shown as 基本持平 too: a leader
 * cannot read "上升 0.0".
 */
export function changeView({
  change,
  significant,
  higherIsBetter = true,
  previousWave = null,
  suppressed = false,
  exact = false
}: ChangeVerdict): ChangeView {
  const from = changeFromLabel(previousWave);
  if (suppressed || change == null || !Number.isFinite(change)) return view("none", "", "", NO_PREVIOUS, "—");
  const r = round(change, 1);
  if (exact && r === 0) return view("neutral", "", "", `与${from}持平`, "持平");
  if (!exact && significant == null) return view("none", "", "", `与${from}的变化未经检验，不作比较`, "—");
  if (!exact && (!significant || r === 0))
    return view("neutral", "", "", `与${from}基本持平（变化不明显）`, "基本持平");
  const up = r > 0;
  const size = formatNumber(Math.abs(r), 1);
  return view(
    exact ? "neutral" : up === higherIsBetter ? "better" : "worse",
    up ? "▲" : "▼",
    formatChange(r),
    `较${from}${up ? "上升" : "下降"} ${size}`,
    `${up ? "上升" : "下降"} ${size}`
  );
}

export interface ChangeBadgeOptions {
  /** The short words (for a table cell) instead of the full ones. */
  short?: boolean;
  /** Extra classes, e.g. index-card__change. */
  className?: string;
  document?: Document;
}

/**
 * ChangeBadge(verdict) → <span class="change-badge change-badge--better green"><span class="change-badge__arrow">▲</span>
 * 较2024年上升 2.1</span>: the arrow only for a significant change; a neutral or missing verdict is muted words.
 */
export function ChangeBadge(
  verdict: ChangeVerdict | ChangeView,
  { short = false, className = "", document = globalThis.document }: ChangeBadgeOptions = {}
): HTMLSpanElement {
  const v = "tone" in verdict ? verdict : changeView(verdict);
  const badge = document.createElement("span");
  badge.className = className ? `${v.className} ${className}` : v.className;
  badge.dataset.tone = v.tone;
  if (v.arrow) {
    const arrow = document.createElement("span");
    arrow.className = "change-badge__arrow";
    arrow.textContent = v.arrow;
    badge.append(arrow, document.createTextNode(" "));
  }
  badge.append(document.createTextNode(short ? v.short : v.words));
  return badge;
}
