// The hand-written fixtures in test/fixtures/site follow the causes page's data contract (test/site/contract.ts).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { checkCausesContract } from "./contract.ts";

const read = (name: string) => JSON.parse(readFileSync(new URL(`../fixtures/site/${name}`, import.meta.url), "utf8"));

describe("test/fixtures/site", () => {
  const meta = read("causes-meta.json");
  const scores = read("causes-scores.json");
  const items = read("causes-items.json");

  it("conform to the causes data contract", () => {
    expect(checkCausesContract(meta, scores, items)).toEqual([]);
  });

  it("include a suppressed group, so that the page's suppression path is exercised", () => {
    expect(scores.some((d: { suppressed: boolean; grouping: string }) => d.suppressed && d.grouping !== "all")).toBe(true);
  });

  it("catch a broken row", () => {
    const broken = [{ ...scores[0], suppressed: true }];
    expect(checkCausesContract(meta, broken, [])).toContain("causes-scores.json[0]: n must be null when suppressed");
  });
});
