// group_sizes_by_wave on the seeded sample against plain loops over the generator's truth (no SQL): for every wave
// and group, the respondents who count and the floor, the fewest of them behind any figure published for the group
// (for a unit, its least answered sub-dimension; for any other group, its least answered item; measures nobody in
// the wave answered do not count). The suppression of every page rests on these two numbers.
import { beforeAll, describe, expect, it } from "vitest";
import { connectAgain, queryRows } from "../../pipeline/io/duckdb.ts";
import { createNamedViews, runNamedQuery, sqlText } from "../../pipeline/db/named-sql.ts";
import { GROUP_SIZE_ROW } from "../../pipeline/db/rows.ts";
import type { SampleRespondent } from "../../pipeline/sample/types.ts";
import { sampleStore, type SampleStore } from "./sample-store.ts";

let s: SampleStore;

beforeAll(async () => {
  s = await sampleStore();
}, 120_000);

interface Size {
  wave: number;
  grouping: string;
  group: string | null;
  counted: number;
  floor: number;
}

/** The sizes computed by hand: every group of every wave (`skippedAll`: respondents who answered no Likert item). */
function truthSizes(skippedAll: (r: SampleRespondent) => boolean = () => false): Size[] {
  const { index } = s.store;
  const items = index.likert;
  const answered = (r: SampleRespondent, code: string) => !skippedAll(r) && typeof r.answers[code] === "number";
  const attributes = [
    ...new Set(index.codebook.questions.flatMap((q) => (q.attribute && q.attribute !== "unit" ? [q.attribute] : [])))
  ];
  const sizes: Size[] = [];
  for (const wave of s.truth.waves) {
    // codebook: quality.excludeFromScores = ["speeder"]
    const counted = wave.respondents.filter((r) => !r.flags.speeder);
    const activeItems = items.filter((q) => counted.some((r) => answered(r, q.code)));
    const activeSubdimensions = [...new Set(activeItems.map((q) => q.subdimension))];
    const answeredSubdimension = (r: SampleRespondent, sd: string) =>
      items.some((q) => q.subdimension === sd && answered(r, q.code));
    const groups = new Map<string, { grouping: string; group: string | null; members: SampleRespondent[] }>();
    const add = (grouping: string, group: string | null, r: SampleRespondent) => {
      const key = JSON.stringify([grouping, group]);
      const g = groups.get(key) ?? { grouping, group, members: [] };
      g.members.push(r);
      groups.set(key, g);
    };
    for (const r of counted) {
      add("all", "全体", r);
      add("unit_category", r.category, r);
      add("unit", r.unit, r);
      for (const a of attributes) add(a, r.attributes[a] ?? null, r);
    }
    for (const { grouping, group, members } of groups.values()) {
      const ns =
        grouping === "unit"
          ? activeSubdimensions.map((sd) => members.filter((r) => answeredSubdimension(r, sd)).length)
          : activeItems.map((q) => members.filter((r) => answered(r, q.code)).length);
      sizes.push({
        wave: wave.year,
        grouping,
        group,
        counted: members.length,
        floor: ns.length === 0 ? 0 : Math.min(...ns)
      });
    }
  }
  return sizes;
}

describe("group_sizes_by_wave", () => {
  it("gives every group's count and floor as plain loops over the sample's truth do", async () => {
    const rows = await runNamedQuery(s.store.conn, "group_sizes_by_wave", GROUP_SIZE_ROW);
    const truth = truthSizes();
    const key = (x: Size) => JSON.stringify([x.wave, x.grouping, x.group]);
    expect(rows.map(key).sort()).toEqual(truth.map(key).sort());
    const byKey = new Map(truth.map((x) => [key(x), x]));
    const mismatches = rows.filter((r) => JSON.stringify(r) !== JSON.stringify(byKey.get(key(r))));
    expect(mismatches.slice(0, 5).map((r) => ({ got: r, truth: byKey.get(key(r)) }))).toEqual([]);
    // the sample exercises every branch: groups whose floor is below their count (someone skipped an item), and a
    // group with a measure none of its members answered (floor 0 though it has members)
    expect(rows.filter((r) => r.floor > 0 && r.floor < r.counted).length).toBeGreaterThan(100);
    expect(rows.some((r) => r.floor === 0 && r.counted > 0)).toBe(true);
  });

  it("counts a respondent who answered no Likert item at all: in the group's count, in none of its measures", async () => {
    // The sample has no such respondent who counts, so three per wave are made so: their Likert answers are taken
    // out, on a connection of the test's own whose answers view reads the rest
    const wiped = new Set(
      s.truth.waves.flatMap((w) =>
        w.respondents
          .filter((r) => !r.flags.speeder)
          .slice(0, 3)
          .map((r) => `${r.year}-${r.serial}`)
      )
    );
    const conn = await connectAgain(s.store.conn);
    const list = [...wiped].map((k) => `'${k}'`).join(", ");
    await conn.run(`CREATE TEMP TABLE answers_kept AS
      SELECT a.* FROM answers a JOIN respondents r ON r.respondent_id = a.respondent_id
      WHERE NOT (concat(r.wave, '-', r.serial) IN (${list}) AND a.question IN (SELECT question FROM cb_likert))`);
    await conn.run("CREATE TEMP VIEW answers AS SELECT * FROM answers_kept");
    await createNamedViews(conn, "keyed_likert_answers");
    const rows = (await queryRows(conn, sqlText("group_sizes_by_wave"))).map((r) => GROUP_SIZE_ROW.parse(r));
    const truth = truthSizes((r) => wiped.has(`${r.year}-${r.serial}`));
    const key = (x: Size) => JSON.stringify([x.wave, x.grouping, x.group]);
    const byKey = new Map(truth.map((x) => [key(x), x]));
    expect(rows.length).toBe(truth.length);
    const mismatches = rows.filter((r) => JSON.stringify(r) !== JSON.stringify(byKey.get(key(r))));
    expect(mismatches.slice(0, 5).map((r) => ({ got: r, truth: byKey.get(key(r)) }))).toEqual([]);
    // each of the wiped respondents' units now has a member with no sub-dimension: its floor is below its count
    expect(rows.filter((r) => r.grouping === "unit" && r.floor < r.counted).length).toBeGreaterThanOrEqual(wiped.size);
  });
});
