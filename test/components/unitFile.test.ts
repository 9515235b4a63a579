// The unit page reads its unit from its own address and fetches that unit's file (src/components/unitFile.ts): every
// form of the address gives the code, a bad code never reaches the network, a missing file is "missing" (the page says
// 未找到该单位), and the running head's CSS string is the one the build writes for every other page.
import { describe, expect, it } from "vitest";
import { cssString as siteCssString } from "../../pipeline/site/running-head.ts";
import { cssString, loadUnitPage, unitCodeOf, unitFileUrl } from "../../src/components/unitFile.ts";

const at = (href: string) => {
  const url = new URL(href);
  return { href: url.href, pathname: url.pathname, search: url.search };
};

describe("a unit page's address", () => {
  it("names the unit by its last segment, with or without .html, or by ?u=", () => {
    expect(unitCodeOf(at("https://x.cn/units/U001"))).toBe("U001");
    expect(unitCodeOf(at("https://x.cn/units/U001.html"))).toBe("U001");
    expect(unitCodeOf(at("https://x.cn/site/units/B_12?q=1"))).toBe("B_12");
    expect(unitCodeOf(at("https://x.cn/units/U001?u=U002"))).toBe("U002");
    expect(unitCodeOf(at("https://x.cn/units/_template?u=U003"))).toBe("U003");
  });

  it("names no unit when the code is not one the roster allows", () => {
    for (const href of [
      "https://x.cn/units/",
      "https://x.cn/units/_template",
      "https://x.cn/units/%2e%2e%2fsecret",
      "https://x.cn/units/U001?u=../../x",
      "https://x.cn/units/%E0%A4%A"
    ])
      expect(unitCodeOf(at(href)), href).toBeNull();
  });

  it("finds the unit's file beside the page, at the same depth in the preview and in a build", () => {
    expect(unitFileUrl("U001", "http://127.0.0.1:3000/units/U001").href).toBe(
      "http://127.0.0.1:3000/_file/data/units/U001.json"
    );
    expect(unitFileUrl("U001", "https://x.cn/report/units/U001.html?u=U001").pathname).toBe(
      "/report/_file/data/units/U001.json"
    );
  });
});

describe("loading a unit page's data", () => {
  const page = { unit: { code: "U001", name: "市委办公室" }, scales: [] };
  const reply = (status: number, body: unknown) => async () =>
    new Response(typeof body === "string" ? body : JSON.stringify(body), { status });

  it("gives the unit's file, fetched from its own address only", async () => {
    const asked: string[] = [];
    const loaded = await loadUnitPage(at("http://h/units/U001"), async (url) => {
      asked.push(url.pathname);
      return new Response(JSON.stringify(page));
    });
    expect(loaded).toEqual({ code: "U001", page, problem: null });
    expect(asked).toEqual(["/_file/data/units/U001.json"]);
  });

  it("says missing for a 404 or an address without a unit, unreadable for anything else, and never throws", async () => {
    let fetched = 0;
    const never = async () => {
      fetched++;
      return new Response("{}");
    };
    expect(await loadUnitPage(at("http://h/units/_template"), never)).toEqual({
      code: null,
      page: null,
      problem: "missing"
    });
    expect(fetched).toBe(0);
    expect((await loadUnitPage(at("http://h/units/U009"), reply(404, "not found"))).problem).toBe("missing");
    expect((await loadUnitPage(at("http://h/units/U001"), reply(500, "oops"))).problem).toBe("unreadable");
    expect((await loadUnitPage(at("http://h/units/U001"), reply(200, "<html>"))).problem).toBe("unreadable");
    // a file of another unit (a mix-up on the server) is not shown under this unit's address
    expect((await loadUnitPage(at("http://h/units/U002"), reply(200, page))).problem).toBe("unreadable");
    const offline = async () => {
      throw new TypeError("Failed to fetch");
    };
    expect(await loadUnitPage(at("http://h/units/U001"), offline)).toEqual({
      code: "U001",
      page: null,
      problem: "unreadable"
    });
  });
});

describe("the unit page's running head", () => {
  it("is written as the build writes every other page's", () => {
    for (const text of ["各单位 · 市委办公室", 'a "quoted" \\ name', "</style><script>", "two\nlines"])
      expect(cssString(text)).toBe(siteCssString(text));
  });
});
