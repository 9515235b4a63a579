// UnitList(rows, {state, categories, onChange}): the 各单位 table of every roster unit — name (a link to its page),
// category, the focus section's index in the latest wave, its change in words (coloured only when the unit page's
// verdict says it is a real change, changeBadge.ts), response count and rate. Sorted by clicking a column heading,
// filtered by a search box (part of the name) and a category select. A hidden unit says 已隐去 and shows no number;
// it sorts after every shown unit, whichever the direction. The state (query, category, sort) is given and reported
// back through onChange, so that a page can keep it in the URL (unitListSearch / parseUnitListState).
// A province has thousands of units: the table renders the first `pageSize` rows the state shows, says how many there
// are, and offers 再显示 … / 显示全部 below (a new search, category or sort starts again from the first rows); search and
// sort always run over every unit.
// Input: data/units-index.json (pipeline/marts/units.ts · unitDirectory).
import { ChangeBadge, changeView } from "./changeBadge.js";
import { formatCount, formatIndex, formatPercent } from "./format.js";

export interface UnitListRow {
  code: string;
  name: string;
  category: string;
  /** The unit page's address. */
  href: string;
  /** Hidden by the anonymity rule in the latest wave: no number at all. */
  hidden: boolean;
  index: number | null;
  change: number | null;
  significant: boolean | null;
  previousWave: number | null;
  n: number | null;
  rate: number | null;
}

export type UnitListSortKey = "name" | "category" | "index" | "change" | "n" | "rate";

export interface UnitListState {
  /** Part of a unit's name. */
  q: string;
  /** A category, or "" for all. */
  category: string;
  /** The column sorted by, or "" for the roster order. */
  sort: UnitListSortKey | "";
  desc: boolean;
}

export const SORT_KEYS: readonly UnitListSortKey[] = ["name", "category", "index", "change", "n", "rate"];

export const EMPTY_STATE: UnitListState = { q: "", category: "", sort: "", desc: false };

/** The state a URL's query string holds (?q=…&category=…&sort=index&desc=1); anything unknown is ignored. */
export function parseUnitListState(search: string, categories: readonly string[] = []): UnitListState {
  const p = new URLSearchParams(search);
  const sort = p.get("sort") ?? "";
  const category = p.get("category") ?? "";
  return {
    q: (p.get("q") ?? "").trim(),
    category: categories.includes(category) ? category : "",
    sort: (SORT_KEYS as readonly string[]).includes(sort) ? (sort as UnitListSortKey) : "",
    desc: (SORT_KEYS as readonly string[]).includes(sort) && p.get("desc") === "1"
  };
}

/** The query string of a state ("" for the default view), the inverse of parseUnitListState. */
export function unitListSearch(state: UnitListState): string {
  const p = new URLSearchParams();
  if (state.q) p.set("q", state.q);
  if (state.category) p.set("category", state.category);
  if (state.sort) p.set("sort", state.sort);
  if (state.sort && state.desc) p.set("desc", "1");
  const text = p.toString();
  return text ? `?${text}` : "";
}

const collator = new Intl.Collator("zh-CN");

function sortValue(row: UnitListRow, key: UnitListSortKey): number | string | null {
  if (key === "name" || key === "category") return row[key];
  if (row.hidden) return null;
  // A change sorts as the list shows it: one the verdict does not call real is 基本持平, i.e. 0.
  if (key === "change") return row.change === null ? null : row.significant ? row.change : 0;
  return row[key];
}

/** The rows the state shows, in its order: filtered by name and category, sorted (hidden units and blanks last). */
export function visibleUnits(rows: readonly UnitListRow[], state: UnitListState): UnitListRow[] {
  const q = state.q.trim().toLowerCase();
  const kept = rows.filter(
    (r) => (!q || r.name.toLowerCase().includes(q)) && (!state.category || r.category === state.category)
  );
  const key = state.sort;
  if (!key) return kept;
  const sign = state.desc ? -1 : 1;
  return kept
    .map((row, i) => ({ row, i }))
    .sort((a, b) => {
      const x = sortValue(a.row, key);
      const y = sortValue(b.row, key);
      if (x === null || y === null) return x === null && y === null ? a.i - b.i : x === null ? 1 : -1;
      const c = typeof x === "string" ? collator.compare(x, y as string) : x - (y as number);
      return c !== 0 ? sign * c : a.i - b.i;
    })
    .map((x) => x.row);
}

export interface UnitListOptions {
  state?: UnitListState;
  categories?: readonly string[];
  /** Heading of the index column, e.g. 原因剖析指数（2025年）. */
  indexLabel?: string;
  higherIsBetter?: boolean;
  onChange?: (state: UnitListState) => void;
  /** How many rows to render at first and per 再显示 click (the rest on request). */
  pageSize?: number;
  document?: Document;
}

/** Rows rendered at first: enough for a city's roster at once, a first screenful of a province's. */
export const UNIT_LIST_PAGE_SIZE = 200;

const COLUMNS: { key: UnitListSortKey; label: string; numeric: boolean }[] = [
  { key: "name", label: "单位", numeric: false },
  { key: "category", label: "类别", numeric: false },
  { key: "index", label: "指数", numeric: true },
  { key: "change", label: "较上轮", numeric: true },
  { key: "n", label: "答卷", numeric: true },
  { key: "rate", label: "回收率", numeric: true }
];

export function UnitList(
  rows: readonly UnitListRow[],
  {
    state: initial = EMPTY_STATE,
    categories = [...new Set(rows.map((r) => r.category))],
    indexLabel = "指数",
    higherIsBetter = true,
    onChange,
    pageSize = UNIT_LIST_PAGE_SIZE,
    document = globalThis.document
  }: UnitListOptions = {}
): HTMLDivElement {
  let state: UnitListState = { ...initial };
  let limit = pageSize;
  const el = <K extends keyof HTMLElementTagNameMap>(tag: K, className = "", text?: string) => {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  };

  const root = el("div", "unit-list");
  const controls = el("form", "unit-list__controls");
  controls.setAttribute("role", "search");
  controls.addEventListener("submit", (e) => e.preventDefault());

  const searchLabel = el("label", "unit-list__search");
  searchLabel.append(el("span", "", "查找单位"));
  const search = el("input");
  search.type = "search";
  search.name = "q";
  search.placeholder = "输入单位名称的一部分";
  search.autocomplete = "off";
  search.value = state.q;
  searchLabel.append(search);

  const categoryLabel = el("label", "unit-list__category");
  categoryLabel.append(el("span", "", "类别"));
  const select = el("select");
  select.name = "category";
  for (const [value, text] of [["", "全部类别"], ...categories.map((c) => [c, c])]) {
    const option = el("option", "", text);
    option.value = value;
    select.append(option);
  }
  select.value = state.category;
  categoryLabel.append(select);

  const status = el("p", "unit-list__status muted");
  status.setAttribute("aria-live", "polite");
  controls.append(searchLabel, categoryLabel);

  const table = el("table", "unit-list__table");
  const head = table.createTHead().insertRow();
  const buttons = new Map<UnitListSortKey, HTMLButtonElement>();
  for (const c of COLUMNS) {
    const th = el("th", c.numeric ? "num" : "");
    th.scope = "col";
    th.dataset.key = c.key;
    const button = el("button", "unit-list__sort");
    button.type = "button";
    button.textContent = c.key === "index" ? indexLabel : c.label;
    button.addEventListener("click", () => {
      // A first click sorts the way a reader expects (names A→Z, numbers highest first); a second click reverses.
      const desc = state.sort === c.key ? !state.desc : c.numeric;
      update({ ...state, sort: c.key, desc });
    });
    buttons.set(c.key, button);
    th.append(button);
    head.append(th);
  }
  const body = table.createTBody();
  const scroll = el("div", "unit-list__scroll");
  scroll.append(table);
  const more = el("p", "unit-list__more no-print");
  const moreButton = el("button", "unit-list__more-button");
  moreButton.type = "button";
  moreButton.addEventListener("click", () => {
    limit += pageSize;
    render();
  });
  const allButton = el("button", "unit-list__all-button");
  allButton.type = "button";
  allButton.addEventListener("click", () => {
    limit = Infinity;
    render();
  });
  more.append(moreButton, " ", allButton);
  root.append(controls, status, scroll, more);

  search.addEventListener("input", () => update({ ...state, q: search.value.trim() }));
  select.addEventListener("change", () => update({ ...state, category: select.value }));

  function cell(tr: HTMLTableRowElement, className: string, content: string | Node) {
    const td = tr.insertCell();
    if (className) td.className = className;
    td.append(content);
    return td;
  }

  function render() {
    const shown = visibleUnits(rows, state);
    const rendered = shown.length > limit ? shown.slice(0, limit) : shown;
    body.replaceChildren();
    for (const r of rendered) {
      const tr = body.insertRow();
      tr.dataset.unit = r.code;
      if (r.hidden) tr.className = "unit-list__hidden";
      const link = el("a", "", r.name);
      link.href = r.href;
      const th = el("th");
      th.scope = "row";
      th.append(link);
      tr.append(th);
      cell(tr, "unit-list__cat", r.category);
      if (r.hidden) {
        const td = cell(tr, "unit-list__suppressed muted", "已隐去");
        td.colSpan = 4;
        td.title = "该单位最新一轮答卷过少（或为防止推算而一并隐去），不显示任何数字";
        continue;
      }
      cell(tr, "num", formatIndex(r.index));
      const verdict = changeView({
        change: r.change,
        significant: r.significant,
        higherIsBetter,
        previousWave: r.previousWave
      });
      const badge = ChangeBadge(verdict, { short: true, document });
      if (r.previousWave != null && verdict.tone !== "none") badge.title = verdict.words;
      cell(tr, "num unit-list__change", badge);
      cell(tr, "num", formatCount(r.n));
      cell(tr, "num", formatPercent(r.rate));
    }
    if (!shown.length) {
      const td = cell(body.insertRow(), "muted", "没有名称包含这些字的单位。");
      td.colSpan = COLUMNS.length;
    }
    const found =
      shown.length === rows.length ? `共 ${rows.length} 个单位` : `显示 ${shown.length} 个单位（共 ${rows.length} 个）`;
    status.textContent =
      rendered.length < shown.length
        ? `${found}，下表列出前 ${rendered.length} 个；可查找名称、选择类别或点击表头排序，或在表下显示更多`
        : found;
    more.hidden = rendered.length === shown.length;
    moreButton.textContent = `再显示 ${Math.min(pageSize, shown.length - rendered.length)} 个`;
    allButton.textContent = `显示全部 ${shown.length} 个`;
    for (const [key, button] of buttons) {
      const th = button.parentElement as HTMLTableCellElement;
      const active = state.sort === key;
      th.setAttribute("aria-sort", active ? (state.desc ? "descending" : "ascending") : "none");
      // ↑/↓ on the sorted column; a faint ↕ on the others says that a heading sorts.
      button.dataset.arrow = active ? (state.desc ? "↓" : "↑") : "↕";
      button.dataset.active = String(active);
      button.title = `按${button.textContent}排序`;
    }
  }

  function update(next: UnitListState) {
    state = next;
    limit = pageSize;
    render();
    onChange?.(state);
  }

  render();
  return root;
}
