// @vitest-environment jsdom
// The anonymity note says the same on every page, in the words of docs/anonymity.md, with the time in Beijing time.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { AnonymityNote, anonymityPromises } from "../../src/components/anonymityNote.ts";

describe("AnonymityNote", () => {
  it("states the promises with the minimum group size and the refresh time in Beijing time", () => {
    const note = AnonymityNote({ minGroupSize: 5, refreshedAt: "2026-11-27T01:27:08Z", version: "2025.1", document });
    expect(note.classList.contains("note")).toBe(true);
    expect(note.getAttribute("label")).toBe("关于数据与匿名保护");
    expect(note.textContent).toContain("任何一个数字背后都不少于 5 人");
    expect(note.textContent).toContain("本类其他单位");
    expect(note.textContent).toContain("2026年11月27日 09:27（北京时间），问卷版本 2025.1");
  });

  // jsdom replaces the global URL, which node:fs does not take as a file URL; a plain path works under any environment.
  it("matches the plain-words summary of docs/anonymity.md", () => {
    const doc = readFileSync(join(import.meta.dirname, "../../docs/anonymity.md"), "utf8");
    for (const promise of anonymityPromises(5))
      expect(doc, promise).toContain(promise.replace(/ 5 /g, " `minGroupSize` "));
  });
});
