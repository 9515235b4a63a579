// The cube encoding of mart rows (pipeline/contracts/cube.ts) and its reader in the browser (src/components/sectionData.ts).
import { describe, expect, it } from "vitest";
import { toCube } from "../../pipeline/contracts/cube.ts";
import { expandCube, expandItems, expandScores, type SectionMeta } from "../../src/components/sectionData.ts";

type Row = {
  wave: number;
  grouping: string;
  group: string;
  code: string;
  n: number | null;
  mean: number | null;
  ok: boolean | null;
  counts: number[] | null;
  suppressed: boolean;
};

const rows: Row[] = [
  {
    wave: 2019,
    grouping: "all",
    group: "全体",
    code: "a",
    n: 10,
    mean: 3.21549,
    ok: true,
    counts: [1, 2],
    suppressed: false
  },
  {
    wave: 2019,
    grouping: "all",
    group: "全体",
    code: "b",
    n: 10,
    mean: -0.00004,
    ok: false,
    counts: [3, 4],
    suppressed: false
  },
  {
    wave: 2019,
    grouping: "role",
    group: "书记",
    code: "a",
    n: null,
    mean: null,
    ok: null,
    counts: null,
    suppressed: true
  },
  // 2020 has no "书记" rows at all, and its "b" comes first: order of appearance must not matter.
  {
    wave: 2020,
    grouping: "all",
    group: "全体",
    code: "b",
    n: 12,
    mean: 2.5,
    ok: null,
    counts: [0, 12],
    suppressed: false
  },
  {
    wave: 2020,
    grouping: "all",
    group: "全体",
    code: "a",
    n: 12,
    mean: 1 / 3,
    ok: true,
    counts: [12, 0],
    suppressed: false
  }
];
const spec = {
  axes: [["wave"], ["grouping", "group"], ["code"]] as (keyof Row & string)[][],
  fields: { n: 0, mean: 3, ok: "boolean", counts: "raw", suppressed: "boolean" } as const,
  presence: "suppressed" as const
};

describe("toCube / expandCube", () => {
  it("writes every key once and reads back every row, with absent cells skipped", () => {
    const cube = toCube(rows, spec);
    expect(cube.axes).toEqual([
      { names: ["wave"], values: [[2019], [2020]] },
      {
        names: ["grouping", "group"],
        values: [
          ["all", "全体"],
          ["role", "书记"]
        ]
      },
      { names: ["code"], values: [["a"], ["b"]] }
    ]);
    expect(cube.fields.mean).toEqual([3215, 0, null, null, 333, 2500, null, null]);
    expect(cube.fields.suppressed).toEqual([0, 0, 1, null, 0, 0, null, null]);
    expect(cube.digits).toEqual({ mean: 3 });
    const back = expandCube<Row>(cube);
    expect(back).toHaveLength(5);
    const find = (w: number, g: string, c: string) => back.find((r) => r.wave === w && r.group === g && r.code === c)!;
    expect(find(2019, "全体", "a")).toEqual({ ...rows[0], mean: 3.215 });
    expect(find(2019, "全体", "b").mean).toBe(0); // never -0
    expect(Object.is(find(2019, "全体", "b").mean, -0)).toBe(false);
    expect(find(2019, "书记", "a")).toEqual(rows[2]);
    expect(find(2020, "全体", "a")).toEqual({ ...rows[4], mean: 0.333 });
    expect(find(2020, "全体", "b").ok).toBeNull();
  });

  it("is shorter than the rows as JSON", () => {
    expect(JSON.stringify(toCube(rows, spec)).length).toBeLessThan(JSON.stringify(rows).length);
  });

  it("follows a fixed order of an axis when given one", () => {
    const cube = toCube(rows, { ...spec, order: { grouping: ["role", "all"], wave: [2020, 2019] } });
    expect(cube.axes[0].values).toEqual([[2020], [2019]]);
    expect(cube.axes[1].values).toEqual([
      ["role", "书记"],
      ["all", "全体"]
    ]);
    expect(expandCube<Row>(cube)).toHaveLength(5);
  });

  it("refuses duplicate keys and rows without the presence field", () => {
    expect(() => toCube([rows[0], { ...rows[0] }], spec)).toThrow(/share the key/);
    expect(() => toCube([{ ...rows[0], suppressed: null as unknown as boolean }], spec)).toThrow(/no suppressed/);
  });
});

const meta: SectionMeta = {
  codebook: { id: "test", version: "1", title: "测试" },
  refreshedAt: "2026-01-01T00:00:00Z",
  changeTest: "t",
  sources: [],
  measures: [],
  waves: [2019, 2021],
  minGroupSize: 5,
  scale: { min: 1, max: 5, labels: ["1", "2", "3", "4", "5"], agreeFrom: 4 },
  section: { code: "causes", name: "原因剖析", direction: "higher_is_better" },
  dimensions: [
    {
      code: "cognition",
      name: "思想认识",
      summary: "思想认识不到位",
      subdimensions: [{ code: "cog_vague", name: "模糊认识" }]
    }
  ],
  groupings: [{ key: "all", name: "全体", groups: ["全体"] }],
  items: [
    {
      code: "COG02",
      text: "抓不抓党建、成效如何，不影响单位大局",
      dimension: "cognition",
      subdimension: "cog_vague",
      reverse: true
    }
  ]
};

describe("expandScores / expandItems", () => {
  it("put back the names, the parent dimension and the previous wave of each series", () => {
    const score = (wave: number, level: string, code: string) => ({
      wave,
      grouping: "all",
      group: "全体",
      level,
      code,
      n: 9,
      mean: 3,
      suppressed: false
    });
    const cube = toCube(
      [
        score(2019, "section", "causes"),
        score(2019, "subdimension", "cog_vague"),
        score(2021, "subdimension", "cog_vague")
      ],
      {
        axes: [["wave"], ["grouping", "group"], ["level", "code"]],
        fields: { n: 0, mean: 3, suppressed: "boolean" },
        presence: "suppressed"
      }
    );
    const rows = expandScores(meta, cube);
    expect(rows.map((r) => [r.wave, r.code, r.name, r.dimension, r.previousWave])).toEqual([
      [2019, "causes", "原因剖析", null, null],
      [2019, "cog_vague", "模糊认识", "cognition", null],
      [2021, "cog_vague", "模糊认识", "cognition", 2019]
    ]);
  });

  it("join each item with its wording and key, and count n from the counts", () => {
    const cube = toCube(
      [{ wave: 2019, grouping: "all", group: "全体", code: "COG02", counts: [1, 2, 3, 4, 5], suppressed: false }],
      {
        axes: [["wave"], ["grouping", "group"], ["code"]],
        fields: { counts: "raw", suppressed: "boolean" },
        presence: "suppressed"
      }
    );
    expect(expandItems(meta, cube)).toEqual([
      {
        wave: 2019,
        grouping: "all",
        group: "全体",
        code: "COG02",
        text: meta.items[0].text,
        dimension: "cognition",
        subdimension: "cog_vague",
        reverse: true,
        n: 15,
        counts: [1, 2, 3, 4, 5],
        suppressed: false
      }
    ]);
  });
});
