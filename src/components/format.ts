// Number and text formatters for the report pages (zh-CN). Every function returns "—" for a missing value,
// so a suppressed statistic never prints as "NaN" or "null".

const LOCALE = "zh-CN";

/** What every component shows instead of a statistic of a group smaller than the minimum group size. */
export const SUPPRESSED_NOTE = "样本量不足，已隐去";

/**
 * Printed beside every figure of a higher-is-worse section (存在问题), whose index measures how serious the problems
 * are: the one place where a higher number is worse, said where the number is, not only at the top of its page.
 */
export const HIGHER_IS_WORSE_NOTE = "指数越高，问题越突出";
const MISSING = "—";

const fixed = new Map<number, Intl.NumberFormat>();
function fixedFormat(digits: number): Intl.NumberFormat {
  let f = fixed.get(digits);
  if (!f) {
    f = new Intl.NumberFormat(LOCALE, { minimumFractionDigits: digits, maximumFractionDigits: digits });
    fixed.set(digits, f);
  }
  return f;
}

function isNumber(value: number | null | undefined): value is number {
  return typeof value === "number" && Number.isFinite(value);
}

/** Rounds half away from zero to the given digits, and turns -0 into 0. */
export function round(value: number, digits = 0): number {
  const k = 10 ** digits;
  const r = (Math.sign(value) * Math.round(Math.abs(value) * k + Number.EPSILON * k)) / k;
  return r === 0 ? 0 : r;
}

/** A number with a fixed number of decimals: formatNumber(48.25, 1) → "48.3"; 12345 → "12,345". */
export function formatNumber(value: number | null | undefined, digits = 0): string {
  return isNumber(value) ? fixedFormat(digits).format(round(value, digits)) : MISSING;
}

/** The 0–100 index, one decimal: "48.2". */
export function formatIndex(value: number | null | undefined): string {
  return formatNumber(value, 1);
}

/** A mean on the answer scale (1–5), two decimals: "2.93". */
export function formatMean(value: number | null | undefined): string {
  return formatNumber(value, 2);
}

/** A count of people: "565". */
export function formatCount(value: number | null | undefined): string {
  return formatNumber(value, 0);
}

/** A share 0–1 as a percentage: formatPercent(0.312) → "31%", formatPercent(0.312, 1) → "31.2%". */
export function formatPercent(share: number | null | undefined, digits = 0): string {
  return isNumber(share) ? `${formatNumber(share * 100, digits)}%` : MISSING;
}

/** A signed change: "+0.2", "-1.3", "0.0". */
export function formatChange(delta: number | null | undefined, digits = 1): string {
  if (!isNumber(delta)) return MISSING;
  const r = round(delta, digits);
  const text = formatNumber(Math.abs(r), digits);
  return r > 0 ? `+${text}` : r < 0 ? `-${text}` : text;
}

/** A survey wave: "2019年". */
export function formatWave(wave: number | string | null | undefined): string {
  return wave == null || wave === "" ? MISSING : `${wave}年`;
}

/** A 95% interval: "2.86–3.00". */
/** A moment as readers think of it: Beijing time, whatever the server's or the browser's zone. */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso || Number.isNaN(Date.parse(iso))) return MISSING;
  const text = new Date(iso).toLocaleString(LOCALE, {
    timeZone: "Asia/Shanghai",
    dateStyle: "long",
    timeStyle: "short",
    hourCycle: "h23"
  });
  return `${text}（北京时间）`;
}

export function formatInterval(low: number | null | undefined, high: number | null | undefined, digits = 2): string {
  return isNumber(low) && isNumber(high) ? `${formatNumber(low, digits)}–${formatNumber(high, digits)}` : MISSING;
}

/**
 * Approximate rendered width of text in ems: CJK characters and full-width punctuation count 1, Latin letters,
 * digits and half-width punctuation about 0.55. Good enough to wrap axis labels without measuring.
 */
export function textWidth(text: string): number {
  let w = 0;
  for (const ch of text) w += charWidth(ch);
  return w;
}

function charWidth(ch: string): number {
  const c = ch.codePointAt(0)!;
  if (
    (c >= 0x1100 && c <= 0x115f) ||
    (c >= 0x2e80 && c <= 0xa4cf) || // CJK radicals … Yi, incl. CJK punctuation and unified ideographs
    (c >= 0xac00 && c <= 0xd7a3) ||
    (c >= 0xf900 && c <= 0xfaff) ||
    (c >= 0xfe30 && c <= 0xfe4f) ||
    (c >= 0xff00 && c <= 0xff60) || // full-width forms (，（）！)
    (c >= 0xffe0 && c <= 0xffe6) ||
    (c >= 0x20000 && c <= 0x3fffd) ||
    c === 0x201c ||
    c === 0x201d ||
    c === 0x2018 ||
    c === 0x2019 ||
    c === 0x2026 ||
    c === 0x2014 // “”‘’…—
  ) {
    return 1;
  }
  return 0.55;
}

/** Characters that must not start a line (Chinese line-breaking rule 避头): closing punctuation. */
const NO_LINE_START = new Set("，。、；：？！）》」』】”’…%,.;:?!)");

/**
 * Wraps text into at most `maxLines` lines of `maxWidth` ems (see textWidth), breaking between any two CJK
 * characters but never before closing punctuation. Text that does not fit ends in "…". A `suffix` (such as
 * "（反向题）") is always kept whole at the end of the last line.
 */
export function wrapText(
  text: string,
  {
    maxWidth,
    maxLines = 2,
    suffix = "",
    balance = true
  }: { maxWidth: number; maxLines?: number; suffix?: string; balance?: boolean }
): string[] {
  const lines = wrapOnce(text, { maxWidth, maxLines, suffix });
  if (!balance || lines.length < 2 || lines.at(-1)!.endsWith("…" + suffix)) return lines;
  // Balanced: the narrowest width that still gives the same number of lines, so that a label does not
  // leave one lonely character on its last line.
  const k = lines.length;
  for (let w = Math.ceil(textWidth(text.trim() + suffix) / k); w < maxWidth; w += 0.5) {
    const tryLines = wrapOnce(text, { maxWidth: w, maxLines: k, suffix });
    if (tryLines.length === k && !tryLines.at(-1)!.endsWith("…" + suffix)) return tryLines;
  }
  return lines;
}

function wrapOnce(
  text: string,
  { maxWidth, maxLines, suffix }: { maxWidth: number; maxLines: number; suffix: string }
): string[] {
  const chars = Array.from(text.trim());
  const lines: string[] = [];
  let line = "";
  let width = 0;
  let i = 0;
  for (; i < chars.length; i++) {
    const ch = chars[i];
    const w = charWidth(ch);
    if (width + w > maxWidth && line !== "" && !NO_LINE_START.has(ch)) {
      lines.push(line);
      if (lines.length === maxLines) break;
      line = "";
      width = 0;
    }
    line += ch;
    width += w;
  }
  const truncated = i < chars.length;
  if (!truncated) lines.push(line);
  const last = lines.pop() ?? "";
  if (!truncated && textWidth(last + suffix) <= maxWidth) return [...lines, last + suffix];
  // The suffix gets a line of its own when there is one left, rather than cutting the text.
  if (!truncated && lines.length + 1 < maxLines) return [...lines, last, suffix];
  const room = maxWidth - textWidth("…" + suffix);
  const kept = Array.from(last);
  while (kept.length > 0 && textWidth(kept.join("")) > room) kept.pop();
  return [...lines, kept.join("") + "…" + suffix];
}
