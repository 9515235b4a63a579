// Figure(chart, {title, description, data}) and TableDownloads(table, {title}): a chart or a table with what a reader
// takes away from it. The chart's <svg> gets role="img" and a one-sentence aria-label; a small `.downloads` bar offers
// 数据（CSV） (the rows behind the chart: UTF-8 with a BOM so that Excel opens it, Chinese headers, figures at the
// precision the page shows, suppressed figures left empty with a 说明 column), 图片（SVG） and 图片（PNG） (2×). A
// table's CSV is read from the table as shown. Everything happens in the browser (Blob → object URL → <a download>);
// nothing new is published: a download holds only what the page already shows, at the page's precision.
// PageContents() is the in-page contents (本页目录) of a long page: a <details> with links to the page's h2s.
import { SUPPRESSED_NOTE, round } from "./format.js";

/** A column of a chart's CSV: its Chinese heading and how to get the cell from a row. */
export interface CsvColumn<T> {
  label: string;
  value: (row: T) => string | number | null | undefined;
  /**
   * Decimals as the page shows the figure (formatIndex: 1, formatMean: 2 …). A column with digits is a figure: it
   * is left empty in a suppressed row. Without digits a number is written as it is (a year stays 2019).
   */
  digits?: number;
  /** A reference figure (e.g. the category's index beside a unit's) that stays in a suppressed row. */
  always?: boolean;
}

export interface CsvSpec<T> {
  columns: CsvColumn<T>[];
  rows: readonly T[];
  /** A row whose figures are hidden (too few respondents): its figure columns are empty and 说明 says why. */
  suppressed?: (row: T) => boolean;
}

/** The byte order mark that makes Excel read a CSV as UTF-8 (bytes EF BB BF). */
export const CSV_BOM = "\uFEFF";
/** The heading of the column that says why a row's figures are empty. */
export const CSV_NOTE_LABEL = "说明";

/** One CSV field: quoted when it holds a comma, a quote, a line break or leading/trailing spaces (RFC 4180). */
export function csvField(value: string | number | null | undefined): string {
  if (value == null) return "";
  const text = typeof value === "number" ? (Number.isFinite(value) ? String(value) : "") : value;
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A figure as the page shows it, without grouping: csvNumber(48.25, 1) → "48.3"; csvNumber(2019) → "2019". */
export function csvNumber(value: number, digits?: number): string {
  if (!Number.isFinite(value)) return "";
  return digits == null ? String(value) : round(value, digits).toFixed(digits);
}

/** Rows of fields → CSV text: BOM first, CRLF line ends (what Excel writes). */
export function csvText(
  header: readonly string[],
  rows: readonly (readonly (string | number | null | undefined)[])[]
): string {
  return CSV_BOM + [header, ...rows].map((r) => r.map(csvField).join(",")).join("\r\n") + "\r\n";
}

/** The CSV of a chart's rows. A 说明 column is added when some row is suppressed. */
export function toCsv<T>({ columns, rows, suppressed }: CsvSpec<T>): string {
  const hidden = rows.map((r) => (suppressed ? suppressed(r) : false));
  const withNote = hidden.some(Boolean);
  const header = columns.map((c) => c.label);
  const body = rows.map((row, i) => {
    const cells = columns.map((c) => {
      if (hidden[i] && c.digits != null && !c.always) return null;
      const v = c.value(row);
      return typeof v === "number" ? csvNumber(v, c.digits) : v;
    });
    return withNote ? [...cells, hidden[i] ? SUPPRESSED_NOTE : ""] : cells;
  });
  return csvText(withNote ? [...header, CSV_NOTE_LABEL] : header, body);
}

const GROUPED_NUMBER = /^[+-]?\d{1,3}(,\d{3})+(\.\d+)?%?$/;
const MISSING_CELL = new Set(["—", "-", "–"]);

/**
 * A table cell as CSV text: grouped numbers lose their separators ("12,345" → "12345"), a leading "−" becomes "-",
 * "—" becomes empty.
 */
export function tableCellText(text: string): string {
  const t = text.replace(/\s+/g, " ").trim();
  if (MISSING_CELL.has(t)) return "";
  // The typographic minus of correlations ("−0.23") as a number Excel reads.
  const n = /^\u2212\d[\d,.]*%?$/.test(t) ? `-${t.slice(1)}` : t;
  return GROUPED_NUMBER.test(n) ? n.replace(/,/g, "") : n;
}

/**
 * The CSV of an HTML table as shown: the header from <thead>'s last row, one line per body row; a suppressed cell
 * (样本量不足，已隐去, or the class "suppressed") is empty and the row's 说明 says why.
 */
export function tableToCsv(table: HTMLTableElement): string {
  const headRow = table.tHead?.rows[table.tHead.rows.length - 1] ?? null;
  const bodyRows = [...table.tBodies].flatMap((b) => [...b.rows]).filter((r) => r !== headRow);
  const header = headRow ? [...headRow.cells].map((c) => tableCellText(c.textContent ?? "")) : [];
  const rows = bodyRows
    .filter((r) => !(r.cells.length === 1 && r.cells[0].colSpan > 1 && header.length > 1))
    .map((r) => {
      let note = false;
      const cells = [...r.cells].map((c) => {
        const t = tableCellText(c.textContent ?? "");
        if (t === SUPPRESSED_NOTE || c.classList.contains("suppressed") || c.classList.contains("suppressed-note")) {
          note = true;
          return "";
        }
        return t;
      });
      return { cells, note };
    });
  const withNote = rows.some((r) => r.note);
  return csvText(
    withNote ? [...header, CSV_NOTE_LABEL] : header,
    rows.map((r) => (withNote ? [...r.cells, r.note ? SUPPRESSED_NOTE : ""] : r.cells))
  );
}

/** A file name from the page and chart titles: characters Windows refuses and spaces become "_". */
export function downloadName(parts: readonly (string | null | undefined)[], extension: string): string {
  const stem = parts
    .filter((p): p is string => !!p && p.trim() !== "")
    .map((p) => p.trim().replace(/[\\/:*?"<>|\s]+/g, "_"))
    .join("-")
    .slice(0, 120);
  return `${stem || "图表"}.${extension}`;
}

/** The page's own title (Framework's <title> is "页面 | 站点"). */
function pageTitle(document: Document): string {
  return (document.title ?? "").split(" | ")[0].trim();
}

function save(document: Document, blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

// Presentation read from the page's stylesheets and written on each element of the copy, so that the file looks
// like the chart without them.
const STYLE_PROPERTIES = [
  "fill",
  "fill-opacity",
  "stroke",
  "stroke-width",
  "stroke-opacity",
  "stroke-dasharray",
  "opacity",
  "font-family",
  "font-size",
  "font-weight",
  "text-anchor",
  "dominant-baseline",
  "paint-order",
  "visibility"
];

/** The largest top-level <svg> of a node: the chart (Plot's legend swatches are small svgs of their own). */
export function chartSvg(node: Element): SVGSVGElement | null {
  const all = [...node.querySelectorAll("svg")].filter((s) => !s.parentElement?.closest("svg"));
  if (node.tagName?.toLowerCase() === "svg") all.unshift(node as SVGSVGElement);
  let best: SVGSVGElement | null = null;
  let area = -1;
  for (const s of all) {
    const a =
      (Number(s.getAttribute("width")) || s.clientWidth || 0) *
      (Number(s.getAttribute("height")) || s.clientHeight || 0);
    if (a > area) [best, area] = [s as SVGSVGElement, a];
  }
  return best;
}

/** The legend entries next to a chart (Plot's swatches): colour and label. */
function legendEntries(node: Element): { color: string; label: string }[] {
  const view = node.ownerDocument.defaultView!;
  return [...node.querySelectorAll("[class$='-swatch']")].map((sw) => {
    const shape = sw.querySelector("svg rect, svg circle, svg path, svg line");
    const style = shape ? view.getComputedStyle(shape) : null;
    const color = style ? (style.fill && style.fill !== "none" ? style.fill : style.stroke) : "#888";
    return { color, label: (sw.textContent ?? "").trim() };
  });
}

const SVG_NS = "http://www.w3.org/2000/svg";

/**
 * A standalone SVG of the chart in `node`: its title above, the legend below the title, computed styles inlined,
 * on a white background. Returns the text and the size.
 */
export function exportSvg(
  node: Element,
  { title }: { title?: string } = {}
): { text: string; width: number; height: number } | null {
  const svg = chartSvg(node);
  if (!svg) return null;
  const document = svg.ownerDocument;
  const view = document.defaultView!;
  const box = svg.getBoundingClientRect();
  const width = Math.round(Number(svg.getAttribute("width")) || box.width || 640);
  const height = Math.round(Number(svg.getAttribute("height")) || box.height || 400);
  const copy = svg.cloneNode(true) as SVGSVGElement;
  const originals = [svg, ...svg.querySelectorAll("*")];
  const copies = [copy, ...copy.querySelectorAll("*")];
  originals.forEach((el, i) => {
    const computed = view.getComputedStyle(el);
    const target = copies[i] as SVGElement;
    for (const p of STYLE_PROPERTIES) {
      const v = computed.getPropertyValue(p);
      if (v) target.style.setProperty(p, v);
    }
  });
  // A tooltip open at the moment of the click is not part of the chart.
  for (const tip of copy.querySelectorAll("[aria-label=tip]")) tip.remove();
  const rootStyle = view.getComputedStyle(svg);
  copy.style.setProperty("color", rootStyle.color);
  copy.setAttribute("width", String(width));
  copy.setAttribute("height", String(height));
  copy.removeAttribute("class");
  const font = rootStyle.fontFamily || "sans-serif";
  const legend = legendEntries(node);
  const titleHeight = title ? 30 : 0;
  // Legend entries flow in rows across the width (about 13 px per character, 20 px for the swatch).
  const legendRows: { color: string; label: string; x: number; row: number }[] = [];
  let x = 8;
  let row = 0;
  for (const e of legend) {
    const w = 26 + Array.from(e.label).length * 13;
    if (x + w > width && x > 8) [x, row] = [8, row + 1];
    legendRows.push({ ...e, x, row });
    x += w;
  }
  const legendHeight = legend.length ? (row + 1) * 22 + 4 : 0;
  const out = document.createElementNS(SVG_NS, "svg");
  const total = height + titleHeight + legendHeight;
  out.setAttribute("xmlns", SVG_NS);
  out.setAttribute("width", String(width));
  out.setAttribute("height", String(total));
  out.setAttribute("viewBox", `0 0 ${width} ${total}`);
  out.setAttribute("font-family", font);
  const bg = document.createElementNS(SVG_NS, "rect");
  bg.setAttribute("width", "100%");
  bg.setAttribute("height", "100%");
  bg.setAttribute("fill", "white");
  out.append(bg);
  if (title) {
    const t = document.createElementNS(SVG_NS, "text");
    t.setAttribute("x", "8");
    t.setAttribute("y", "20");
    t.setAttribute("font-size", "15");
    t.setAttribute("font-weight", "bold");
    t.setAttribute("fill", "#222");
    t.textContent = title;
    out.append(t);
  }
  for (const e of legendRows) {
    const y = titleHeight + e.row * 22 + 4;
    const r = document.createElementNS(SVG_NS, "rect");
    r.setAttribute("x", String(e.x));
    r.setAttribute("y", String(y + 2));
    r.setAttribute("width", "14");
    r.setAttribute("height", "14");
    r.setAttribute("fill", e.color);
    const t = document.createElementNS(SVG_NS, "text");
    t.setAttribute("x", String(e.x + 19));
    t.setAttribute("y", String(y + 14));
    t.setAttribute("font-size", "12");
    t.setAttribute("fill", "#222");
    t.textContent = e.label;
    out.append(r, t);
  }
  copy.setAttribute("x", "0");
  copy.setAttribute("y", String(titleHeight + legendHeight));
  out.append(copy);
  const text = new (view as unknown as { XMLSerializer: typeof XMLSerializer }).XMLSerializer().serializeToString(out);
  return { text: `<?xml version="1.0" encoding="UTF-8"?>\n${text}`, width, height: total };
}

/** The SVG drawn on a canvas at `scale`× (2: sharp on paper and on high-density screens), as a PNG blob. */
export async function svgToPng(
  svg: { text: string; width: number; height: number },
  document: Document,
  scale = 2
): Promise<Blob> {
  const url = URL.createObjectURL(new Blob([svg.text], { type: "image/svg+xml;charset=utf-8" }));
  try {
    const image = new (document.defaultView as unknown as { Image: typeof Image }).Image();
    await new Promise<void>((resolve, reject) => {
      image.onload = () => resolve();
      image.onerror = () => reject(new Error("图片生成失败"));
      image.src = url;
    });
    const canvas = document.createElement("canvas");
    canvas.width = Math.round(svg.width * scale);
    canvas.height = Math.round(svg.height * scale);
    const context = canvas.getContext("2d")!;
    context.fillStyle = "white";
    context.fillRect(0, 0, canvas.width, canvas.height);
    context.drawImage(image, 0, 0, canvas.width, canvas.height);
    return await new Promise<Blob>((resolve, reject) =>
      canvas.toBlob((b) => (b ? resolve(b) : reject(new Error("图片生成失败"))), "image/png")
    );
  } finally {
    URL.revokeObjectURL(url);
  }
}

function button(
  document: Document,
  label: string,
  kind: string,
  onClick: () => void | Promise<void>
): HTMLButtonElement {
  const b = document.createElement("button");
  b.type = "button";
  b.className = `downloads__button downloads__${kind}`;
  b.dataset.download = kind;
  b.textContent = label;
  // A download that fails (an old browser without canvas.toBlob …) says so on the button, not as a page error.
  b.addEventListener("click", () =>
    Promise.resolve()
      .then(onClick)
      .catch((error: unknown) => {
        b.title = `下载失败：${error instanceof Error ? error.message : String(error)}`;
        b.classList.add("downloads__failed");
      })
  );
  return b;
}

function downloadsBar(document: Document, buttons: HTMLButtonElement[]): HTMLElement {
  const bar = document.createElement("div");
  bar.className = "downloads no-print";
  const label = document.createElement("span");
  label.className = "downloads__label";
  label.textContent = "下载：";
  bar.append(label, ...buttons);
  return bar;
}

/** Gives every chart svg in `node` role="img" and the description; legend swatches are marked decorative. */
export function labelCharts(node: Element, description: string): void {
  const main = chartSvg(node);
  for (const svg of node.querySelectorAll("svg")) {
    if (svg.parentElement?.closest("svg")) continue;
    if (svg === main) {
      svg.setAttribute("role", "img");
      if (svg.getAttribute("aria-label") !== description) svg.setAttribute("aria-label", description);
    } else if (!svg.hasAttribute("aria-label") && !svg.hasAttribute("aria-hidden")) {
      svg.setAttribute("aria-hidden", "true");
    }
  }
}

export interface FigureOptions<T> {
  /** The chart's title: the SVG/PNG heading and the file names (with the page's title). */
  title: string;
  /** One sentence for screen readers: what the chart shows, e.g. "原因剖析三个方面2019–2025年的指数". */
  description: string;
  /** The rows behind the chart; without them, no CSV button. */
  data?: CsvSpec<T> | (() => CsvSpec<T>);
  /** Defaults to the page's title. */
  page?: string;
  className?: string;
  document?: Document;
}

/**
 * Figure(chart, options) → <figure class="chart-figure"> holding the chart (a Plot svg/figure, or the element that
 * resize() returns: charts drawn later are labelled as they appear) and the downloads bar.
 */
export function Figure<T>(
  chart: Element,
  { title, description, data, page, className = "", document = globalThis.document }: FigureOptions<T>
): HTMLElement {
  const figure = document.createElement("figure");
  figure.className = `chart-figure ${className}`.trim();
  figure.dataset.title = title;
  figure.append(chart);
  labelCharts(figure, description);
  const Observer = document.defaultView?.MutationObserver;
  if (Observer)
    new Observer(() => labelCharts(figure, description)).observe(figure, { childList: true, subtree: true });
  const name = (ext: string) => downloadName([page ?? pageTitle(document), title], ext);
  const buttons: HTMLButtonElement[] = [];
  if (data) {
    buttons.push(
      button(document, "数据（CSV）", "csv", () => {
        const spec = typeof data === "function" ? data() : data;
        save(document, new Blob([toCsv(spec)], { type: "text/csv;charset=utf-8" }), name("csv"));
      })
    );
  }
  buttons.push(
    button(document, "图片（SVG）", "svg", () => {
      const svg = exportSvg(figure, { title });
      if (svg) save(document, new Blob([svg.text], { type: "image/svg+xml;charset=utf-8" }), name("svg"));
    }),
    button(document, "图片（PNG）", "png", async () => {
      const svg = exportSvg(figure, { title });
      if (svg) save(document, await svgToPng(svg, document), name("png"));
    })
  );
  figure.append(downloadsBar(document, buttons));
  return figure;
}

/**
 * TableDownloads(table, {title}) → a <div class="table-figure"> holding the table (or an element containing one: its
 * first table is read at the moment of the click, so a filtered table downloads as filtered) and a 数据（CSV） bar.
 * Given a function that finds the table instead (a table written in a page's HTML), it returns the bar alone, to be
 * placed after the table.
 */
export function TableDownloads(
  table: Element | (() => Element | null | undefined),
  {
    title,
    page,
    className = "",
    document = globalThis.document
  }: { title: string; page?: string; className?: string; document?: Document }
): HTMLElement {
  const find = typeof table === "function" ? table : () => table;
  const bar = downloadsBar(document, [
    button(document, "数据（CSV）", "csv", () => {
      const node = find();
      const t = (
        node?.tagName.toLowerCase() === "table" ? node : node?.querySelector("table")
      ) as HTMLTableElement | null;
      if (!t) return;
      const name = downloadName([page ?? pageTitle(document), title], "csv");
      save(document, new Blob([tableToCsv(t)], { type: "text/csv;charset=utf-8" }), name);
    })
  ]);
  bar.dataset.title = title;
  if (typeof table === "function") return bar;
  const wrap = document.createElement("div");
  wrap.className = `table-figure ${className}`.trim();
  wrap.dataset.title = title;
  wrap.append(table, bar);
  return wrap;
}

/**
 * The headings a page's contents lists: the page's own h2 (those with an id, i.e. Markdown headings), except the
 * subtitle right under the page title (h1 + h2).
 */
export function contentsHeadings(root: ParentNode): HTMLElement[] {
  return [...root.querySelectorAll<HTMLElement>("h2[id]")].filter(
    (h) =>
      h.id !== "" &&
      !h.closest(".page-contents") &&
      h.previousElementSibling?.tagName !== "H1" &&
      (h.textContent ?? "").trim() !== ""
  );
}

/**
 * PageContents() → <details class="page-contents no-print"> 本页目录 with a link to each of the page's h2. It reads the
 * headings when it is built and again whenever it is opened (headings filled in by cells are then there too).
 */
export function PageContents({
  root,
  label = "本页目录",
  document = globalThis.document
}: { root?: ParentNode; label?: string; document?: Document } = {}): HTMLDetailsElement {
  const details = document.createElement("details");
  details.className = "page-contents no-print";
  const summary = document.createElement("summary");
  summary.textContent = label;
  const list = document.createElement("ol");
  details.append(summary, list);
  const fill = () => {
    const from = root ?? document.querySelector("#observablehq-main") ?? document;
    list.replaceChildren(
      ...contentsHeadings(from).map((h) => {
        const li = document.createElement("li");
        const a = document.createElement("a");
        a.href = `#${encodeURIComponent(h.id)}`;
        a.textContent = (h.textContent ?? "").replace(/\s+/g, " ").trim();
        li.append(a);
        return li;
      })
    );
  };
  fill();
  details.addEventListener("toggle", () => details.open && fill());
  return details;
}
