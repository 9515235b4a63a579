// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import {
  UnitList,
  parseUnitListState,
  unitListSearch,
  visibleUnits,
  type UnitListRow,
  type UnitListState
} from "../../src/components/unitList.ts";

const row = (code: string, name: string, category: string, index: number | null, extra: Partial<UnitListRow> = {}) =>
  ({
    code,
    name,
    category,
    href: `./${code}`,
    hidden: index === null,
    index,
    change: index === null ? null : 1.2,
    significant: index === null ? null : false,
    previousWave: index === null ? null : 2024,
    n: index === null ? null : 9,
    rate: index === null ? null : 0.6,
    ...extra
  }) satisfies UnitListRow;

const rows: UnitListRow[] = [
  row("U1", "市委办公室", "党政机关", 63.2),
  row("U2", "市委编办", "党政机关", null),
  row("U3", "市第一医院", "事业单位", 70.1, { change: -3.4, significant: true }),
  row("U4", "市公交总公司", "国有企业", 58.5, { change: 2.5, significant: true })
];
const state = (s: Partial<UnitListState>): UnitListState => ({ q: "", category: "", sort: "", desc: false, ...s });

describe("UnitList", () => {
  it("reads and writes its state as a query string, ignoring what it does not know", () => {
    const s = parseUnitListState("?q=%E5%B8%82%E5%A7%94&category=党政机关&sort=index&desc=1", ["党政机关"]);
    expect(s).toEqual({ q: "市委", category: "党政机关", sort: "index", desc: true });
    expect(parseUnitListState(unitListSearch(s), ["党政机关"])).toEqual(s);
    expect(parseUnitListState("?sort=evil&category=无此类&desc=1", ["党政机关"])).toEqual(state({}));
    expect(unitListSearch(state({}))).toBe("");
  });

  it("filters by part of the name and by category, and sorts with hidden units always last", () => {
    expect(visibleUnits(rows, state({ q: "市委" })).map((r) => r.code)).toEqual(["U1", "U2"]);
    expect(visibleUnits(rows, state({ category: "党政机关" })).map((r) => r.code)).toEqual(["U1", "U2"]);
    expect(visibleUnits(rows, state({ sort: "index", desc: true })).map((r) => r.code)).toEqual([
      "U3",
      "U1",
      "U4",
      "U2"
    ]);
    expect(visibleUnits(rows, state({ sort: "index" })).map((r) => r.code)).toEqual(["U4", "U1", "U3", "U2"]);
    // A change the verdict does not call real sorts as 基本持平 (0), between the real rises and falls.
    expect(visibleUnits(rows, state({ sort: "change", desc: true })).map((r) => r.code)).toEqual([
      "U4",
      "U1",
      "U3",
      "U2"
    ]);
  });

  it("renders links, 已隐去 without numbers, colour only for a real change, and re-sorts on a heading click", () => {
    const changes: UnitListState[] = [];
    const list = UnitList(rows, { onChange: (s) => changes.push(s), document });
    const body = () =>
      [...list.querySelectorAll("tbody tr")].map((tr) => [...tr.querySelectorAll("th, td")].map((c) => c.textContent));
    expect(body()).toEqual([
      ["市委办公室", "党政机关", "63.2", "基本持平", "9", "60%"],
      ["市委编办", "党政机关", "已隐去"],
      ["市第一医院", "事业单位", "70.1", "▼ 下降 3.4", "9", "60%"],
      ["市公交总公司", "国有企业", "58.5", "▲ 上升 2.5", "9", "60%"]
    ]);
    expect([...list.querySelectorAll("tbody tr")].map((tr) => !!tr.querySelector(".green, .red"))).toEqual([
      false,
      false,
      true,
      true
    ]);
    expect(list.querySelector<HTMLAnchorElement>("tbody a")!.getAttribute("href")).toBe("./U1");
    list.querySelector<HTMLButtonElement>("th[data-key=index] button")!.click();
    expect(changes.at(-1)).toEqual(state({ sort: "index", desc: true }));
    expect(body().map((r) => r[0])).toEqual(["市第一医院", "市委办公室", "市公交总公司", "市委编办"]);
    expect(list.querySelector("th[data-key=index]")!.getAttribute("aria-sort")).toBe("descending");
    const search = list.querySelector<HTMLInputElement>("input[type=search]")!;
    search.value = "医院";
    search.dispatchEvent(new Event("input"));
    expect(body().map((r) => r[0])).toEqual(["市第一医院"]);
    expect(list.querySelector(".unit-list__status")!.textContent).toBe("显示 1 个单位（共 4 个）");
  });
});

// A province's roster, scaled down to keep jsdom quick: the slicing is the same at 5,000.
describe("UnitList at a province's size", () => {
  const many = Array.from({ length: 1000 }, (_, i) =>
    row(`U${i}`, `单位${String(i).padStart(4, "0")}`, i % 2 ? "党政机关" : "事业单位", i % 7 ? 50 + (i % 40) : null)
  );
  const bodyRows = (list: HTMLElement) => list.querySelectorAll("tbody tr").length;

  it("renders a first slice with its count, more on request, and every unit when asked", () => {
    const list = UnitList(many, { pageSize: 200, document });
    expect(bodyRows(list)).toBe(200);
    expect(list.querySelector(".unit-list__status")!.textContent).toContain("共 1000 个单位，下表列出前 200 个");
    const more = list.querySelector<HTMLButtonElement>(".unit-list__more-button")!;
    expect(more.textContent).toBe("再显示 200 个");
    more.click();
    expect(bodyRows(list)).toBe(400);
    const all = list.querySelector<HTMLButtonElement>(".unit-list__all-button")!;
    expect(all.textContent).toBe("显示全部 1000 个");
    all.click();
    expect(bodyRows(list)).toBe(1000);
    expect(list.querySelector<HTMLElement>(".unit-list__more")!.hidden).toBe(true);
  });

  it("searches and sorts over every unit, not the rows on screen, and keeps reporting the state", () => {
    const changes: UnitListState[] = [];
    const list = UnitList(many, { pageSize: 200, onChange: (s) => changes.push(s), document });
    const search = list.querySelector<HTMLInputElement>("input[type=search]")!;
    search.value = "单位0999";
    search.dispatchEvent(new Event("input"));
    expect([...list.querySelectorAll("tbody th")].map((th) => th.textContent)).toEqual(["单位0999"]);
    expect(list.querySelector<HTMLElement>(".unit-list__more")!.hidden).toBe(true);
    expect(changes.at(-1)).toEqual(state({ q: "单位0999" }));
    search.value = "";
    search.dispatchEvent(new Event("input"));
    list.querySelector<HTMLButtonElement>("th[data-key=name] button")!.click();
    list.querySelector<HTMLButtonElement>("th[data-key=name] button")!.click();
    expect(changes.at(-1)).toEqual(state({ sort: "name", desc: true }));
    expect(list.querySelector("tbody th")!.textContent).toBe("单位0999");
    expect(bodyRows(list)).toBe(200);
  });
});
