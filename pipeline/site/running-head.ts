// The running head and foot of printed pages (src/style.css @page margin boxes): each page's <head> gets a <style>
// that sets, on the root element, the page's title and the date of its data as CSS strings; the margin boxes read
// them with var(). One mechanism for a leader's Ctrl+P and for npm run pdf (pipeline/site/print.ts).
// Framework's `head` option calls pageHead({title, path}) for every page at build time (observablehq.config.ts).

export interface RunningHead {
  /** The site's title, at the top left of every sheet. */
  siteTitle: string;
  /** The page's title, at the top right: "原因剖析 · 能力素质". */
  pageTitle: string;
  /** When the data was refreshed (ISO 8601), printed at the bottom left in Beijing time; null: not printed. */
  refreshedAt: string | null;
}

/** A moment in Beijing time, as readers think of it: "2026年12月5日 22:20（北京时间）"; "" for no date. */
export function beijingTime(iso: string | null | undefined): string {
  if (!iso || Number.isNaN(Date.parse(iso))) return "";
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-GB", {
      timeZone: "Asia/Shanghai",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23"
    })
      .formatToParts(new Date(iso))
      .map((p) => [p.type, p.value])
  );
  return `${parts.year}年${Number(parts.month)}月${Number(parts.day)}日 ${parts.hour}:${parts.minute}（北京时间）`;
}

/** A CSS string literal: quotes, backslashes, line breaks and "<" (no "</style>" inside a style element) escaped. */
export function cssString(text: string): string {
  return `"${text.replace(/[\\"<>\n\r]/g, (c) => `\\${c.charCodeAt(0).toString(16)} `)}"`;
}

/** The one property of a page's head that depends on the data (a refresh of the data alone replaces it: data-swap.ts). */
export function printDateProperty(refreshedAt: string | null): string {
  const date = beijingTime(refreshedAt);
  return `--print-data-date: ${cssString(date ? `数据更新于 ${date}` : "")}`;
}

/** The <style> element for one page's head. */
export function runningHeadStyle({ siteTitle, pageTitle, refreshedAt }: RunningHead): string {
  const props = [
    `--print-site-title: ${cssString(siteTitle)}`,
    `--print-page-title: ${cssString(pageTitle)}`,
    printDateProperty(refreshedAt)
  ];
  return `<style>:root { ${props.join("; ")}; }</style>`;
}

export interface NavPage {
  name: string;
  path?: string;
  pages?: NavPage[];
}

/**
 * The title of each page path in the navigation ("/causes/capacity" → "原因剖析 · 能力素质": a page in a section is
 * named with its section; the section's own top-level page, e.g. "/causes", by the section alone), plus extra paths.
 */
export function navTitles(pages: NavPage[], extra: Record<string, string> = {}): Map<string, string> {
  const titles = new Map<string, string>();
  for (const p of pages) {
    if (p.path) titles.set(normalizePath(p.path), p.name);
    for (const child of p.pages ?? []) {
      if (child.path) titles.set(normalizePath(child.path), !child.path.slice(1).includes("/") ? p.name : `${p.name} · ${child.name}`);
    }
  }
  for (const [path, name] of Object.entries(extra)) titles.set(normalizePath(path), name);
  return titles;
}

/** "/index" and "/" → "/"; "/units/index" and "/units/" → "/units/"; no ".html". */
export function normalizePath(path: string): string {
  const p = path.replace(/\.html$/, "").replace(/(^|\/)index$/, "$1");
  return p.startsWith("/") ? p : `/${p}`;
}
