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
