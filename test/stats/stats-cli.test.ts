// `npm run stats` on the real bfi export goes through the same ingest as the store and reproduces psych::alpha
// (values printed by psych for each scale with bfi.keys reverse keys; see bfi-reliability.test.ts for the sources).
import { execFile } from "node:child_process";
import { resolve } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "../..");
const PSYCH = {
  agreeableness: { alpha: 0.7030184, std_alpha: 0.7130286, average_r: 0.3319677, mean: 4.652095, sd: 0.8984019 },
  conscientiousness: { alpha: 0.726735, std_alpha: 0.7300726, average_r: 0.3510454, mean: 4.265732, sd: 0.9513469 },
  extraversion: { alpha: 0.7617328, std_alpha: 0.7617951, average_r: 0.3901001, mean: 4.145083, sd: 1.0609041 },
  neuroticism: { alpha: 0.8139629, std_alpha: 0.8146747, average_r: 0.4678539, mean: 3.162268, sd: 1.1963314 },
  openness: { alpha: 0.6001725, std_alpha: 0.6072684, average_r: 0.2362061, mean: 4.586649, sd: 0.8083739 }
};

describe("npm run stats -- --json on bfi.csv", () => {
  it("prints only JSON with psych's alpha, standardized alpha, average r, mean and SD for all five scales", async () => {
    const { stdout } = await promisify(execFile)(
      "npx",
      [
        "tsx",
        "pipeline/cli/stats.ts",
        "--json",
        "--codebook",
        "test/fixtures/bfi/codebook.json",
        "--responses",
        "../shared/external/bfi.csv"
      ],
      { cwd: ROOT }
    );
    const result = JSON.parse(stdout);
    expect(result.accepted).toBe(2800);
    expect(result.dimensions.map((d: { dimension: string }) => d.dimension)).toEqual(Object.keys(PSYCH));
    for (const d of result.dimensions) {
      const expected = PSYCH[d.dimension as keyof typeof PSYCH];
      for (const key of ["alpha", "std_alpha", "average_r", "mean", "sd"] as const)
        expect(d[key], `${d.dimension} ${key}`).toBeCloseTo(expected[key], 5);
      expect(d.n).toBe(2800);
    }
    const gender = result.categorical.find((c: { item: string }) => c.item === "gender");
    expect(gender.counts.map((c: { count: number }) => c.count)).toEqual([919, 1881]);
  }, 120_000); // spawns tsx: generous for a busy 2-core machine
});
