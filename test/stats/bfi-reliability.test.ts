// Reproduces psych::alpha on the bfi data (R package psych, 2,800 respondents, 25 six-point items).
// Reference values, printed by psych:
// - five scales with the bfi.keys reverse keys (A1, C4, C5, E1, E2, O2, O5 reversed as 7 − x):
//   the README of jimmyrigby94/regcleaner (README.md at commit 85ab56cd), which runs psych::alpha on each scale
//   and prints raw_alpha … sd to 7 digits and the item tables to 2 decimals; agreeableness also from the brief
//   (psych prints raw 0.70, std 0.71, average r 0.33, mean 4.65, SD 0.90);
// - all 25 items unkeyed: alpha(bfi[, 1:25]) in Jinjian Mu's blog post "Factor Analysis in R" (2021-04-15),
//   r.drop printed to 4 decimals.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { cronbachAlpha } from "../../pipeline/stats/reliability.ts";

const DIR = "/work/shared/external";

/** Plain comma-separated text without quotes; an empty cell is a missing answer. */
function readBfi(): { header: string[]; rows: (number | null)[][] } {
  const [head, ...lines] = readFileSync(`${DIR}/bfi.csv`, "utf8").trim().split(/\r?\n/);
  return {
    header: head.split(","),
    rows: lines.map((line) => line.split(",").map((c) => (c === "" ? null : Number(c))))
  };
}

/** bfi.keys.csv: one column per scale, "-A1" = A1 reverse keyed. */
function readKeys(): Record<string, string[]> {
  const [head, ...lines] = readFileSync(`${DIR}/bfi.keys.csv`, "utf8")
    .trim()
    .split(/\r?\n/)
    .map((l) => l.split(","));
  return Object.fromEntries(head.slice(1).map((scale, s) => [scale, lines.map((l) => l[s + 1])]));
}

const { header, rows } = readBfi();
const keys = readKeys();

function scaleResult(scale: string) {
  const keyed = keys[scale];
  const names = keyed.map((k) => k.replace("-", ""));
  const columns = names.map((n) => header.indexOf(n));
  const matrix = rows.map((row) => columns.map((j) => row[j]));
  return cronbachAlpha(matrix, { names, reverse: keyed.map((k) => k.startsWith("-")), min: 1, max: 6 });
}

interface Printed {
  rawAlpha: number;
  stdAlpha: number;
  averageR: number;
  mean: number;
  sd: number;
  /** Per item: n, raw alpha if dropped, std alpha if dropped, r.drop (2 decimals). */
  items: [number, number, number, number][];
}

const PSYCH: Record<string, Printed> = {
  agree: {
    rawAlpha: 0.7030184,
    stdAlpha: 0.7130286,
    averageR: 0.3319677,
    mean: 4.652095,
    sd: 0.8984019,
    items: [
      [2784, 0.72, 0.73, 0.31],
      [2773, 0.62, 0.63, 0.56],
      [2774, 0.6, 0.61, 0.59],
      [2781, 0.69, 0.69, 0.39],
      [2784, 0.64, 0.66, 0.49]
    ]
  },
  conscientious: {
    rawAlpha: 0.726735,
    stdAlpha: 0.7300726,
    averageR: 0.3510454,
    mean: 4.265732,
    sd: 0.9513469,
    items: [
      [2779, 0.69, 0.7, 0.45],
      [2776, 0.67, 0.67, 0.5],
      [2780, 0.69, 0.69, 0.46],
      [2774, 0.65, 0.66, 0.55],
      [2784, 0.69, 0.69, 0.48]
    ]
  },
  extraversion: {
    rawAlpha: 0.7617328,
    stdAlpha: 0.7617951,
    averageR: 0.3901001,
    mean: 4.145083,
    sd: 1.0609041,
    items: [
      [2777, 0.73, 0.73, 0.52],
      [2784, 0.69, 0.69, 0.61],
      [2775, 0.73, 0.73, 0.5],
      [2791, 0.7, 0.7, 0.58],
      [2779, 0.74, 0.74, 0.45]
    ]
  },
  neuroticism: {
    rawAlpha: 0.8139629,
    stdAlpha: 0.8146747,
    averageR: 0.4678539,
    mean: 3.162268,
    sd: 1.1963314,
    items: [
      [2778, 0.76, 0.76, 0.67],
      [2779, 0.76, 0.76, 0.65],
      [2789, 0.76, 0.76, 0.67],
      [2764, 0.8, 0.8, 0.54],
      [2771, 0.81, 0.81, 0.49]
    ]
  },
  openness: {
    rawAlpha: 0.6001725,
    stdAlpha: 0.6072684,
    averageR: 0.2362061,
    mean: 4.586649,
    sd: 0.8083739,
    items: [
      [2778, 0.53, 0.53, 0.39],
      [2800, 0.57, 0.57, 0.33],
      [2772, 0.5, 0.5, 0.45],
      [2786, 0.61, 0.62, 0.22],
      [2780, 0.51, 0.53, 0.42]
    ]
  }
};

/** |actual − printed| within half a unit of the printed last digit (2 decimals: 0.005). */
const closeTo2 = (actual: number, printed: number) =>
  expect(Math.abs(actual - printed)).toBeLessThanOrEqual(0.005 + 1e-12);

describe("bfi: psych::alpha for the five scales", () => {
  it("has 2,800 respondents and 25 keyed items", () => {
    expect(rows).toHaveLength(2800);
    expect(Object.values(keys).flat()).toHaveLength(25);
  });

  it("reproduces agreeableness as psych prints it (raw 0.70, std 0.71, average r 0.33, mean 4.65, SD 0.90)", () => {
    const a = scaleResult("agree");
    closeTo2(a.rawAlpha, 0.7);
    closeTo2(a.stdAlpha, 0.71);
    closeTo2(a.averageR, 0.33);
    closeTo2(a.mean, 4.65);
    closeTo2(a.sd, 0.9);
  });

  for (const [scale, printed] of Object.entries(PSYCH)) {
    it(`reproduces ${scale}: alphas, average r, mean and SD to psych's 7 printed digits`, () => {
      const result = scaleResult(scale);
      expect(result.respondents).toBe(2800);
      expect(result.rawAlpha).toBeCloseTo(printed.rawAlpha, 5);
      expect(result.stdAlpha).toBeCloseTo(printed.stdAlpha, 5);
      expect(result.averageR).toBeCloseTo(printed.averageR, 5);
      expect(result.mean).toBeCloseTo(printed.mean, 5);
      expect(result.sd).toBeCloseTo(printed.sd, 5);
    });

    it(`reproduces ${scale}: item n, alpha if dropped and r.drop`, () => {
      const result = scaleResult(scale);
      printed.items.forEach(([n, rawIfDropped, stdIfDropped, rDrop], j) => {
        expect(result.items[j].n).toBe(n);
        closeTo2(result.items[j].rawAlphaIfDeleted, rawIfDropped);
        closeTo2(result.items[j].stdAlphaIfDeleted, stdIfDropped);
        closeTo2(result.items[j].rDrop, rDrop);
      });
    });
  }
});

describe("bfi: psych::alpha on all 25 items, unkeyed", () => {
  // r.drop for A1 … O5 as printed with 4 decimals.
  const R_DROP = [
    0.0111, 0.1714, 0.1885, 0.0894, 0.1204, 0.092, 0.1834, 0.0616, 0.0915, 0.0569, -0.082, 0.0014, 0.173, 0.0495,
    0.1187, 0.3909, 0.3844, 0.438, 0.3072, 0.3542, 0.1144, 0.139, 0.1095, 0.211, 0.0426
  ];
  const itemNames = header.slice(1, 26);
  const result = cronbachAlpha(
    rows.map((row) => row.slice(1, 26)),
    { names: itemNames }
  );

  it("gives raw 0.53, std 0.53, average r 0.044, mean 3.8, SD 0.41", () => {
    closeTo2(result.rawAlpha, 0.53);
    closeTo2(result.stdAlpha, 0.53);
    expect(Math.abs(result.averageR - 0.044)).toBeLessThanOrEqual(0.0005);
    expect(Math.abs(result.mean - 3.8)).toBeLessThanOrEqual(0.05);
    closeTo2(result.sd, 0.41);
  });

  it("gives every item's pairwise r.drop to 4 decimals", () => {
    result.items.forEach((item, j) => expect(Math.abs(item.rDrop - R_DROP[j])).toBeLessThanOrEqual(0.00005 + 1e-12));
  });
});
