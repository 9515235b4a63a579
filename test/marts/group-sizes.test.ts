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

/** A Likert answer taken out of the store for a case: `${year}-${serial}-${question}`. */
type Removed = Set<string>;
const removedKey = (year: number, serial: number, question: string) => `${year}-${serial}-${question}`;

/** The sizes computed by hand: every group of every wave, without the answers `removed`. */
function truthSizes(removed: Removed = new Set()): Size[] {
  const { index } = s.store;
  const items = index.likert;
  const answered = (r: SampleRespondent, code: string) =>
    typeof r.answers[code] === "number" && !removed.has(removedKey(r.year, r.serial, code));
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

/** Items nobody answers, added to the codebook's table by sizesWithout: their codes, each sorting right after `after`. */
interface UnansweredItems {
  after: string;
  count: number;
}

/**
 * group_sizes_by_wave over the whole store on a connection of the test's own, whose answers view leaves out the
 * answers `removed` (none: the store as it is), with `unanswered` items nobody answers added to the codebook's table.
 */
async function sizesWithout(removed: Removed, unanswered?: UnansweredItems): Promise<Size[]> {
  const conn = await connectAgain(s.store.conn);
  if (unanswered)
    await conn.run(`CREATE TEMP TABLE cb_likert AS
      SELECT * FROM main.cb_likert
      UNION ALL
      SELECT printf('${unanswered.after}~%03d', i) AS question, * EXCLUDE (question, i)
      FROM (SELECT * FROM main.cb_likert LIMIT 1) CROSS JOIN range(${unanswered.count}) t(i)`);
  await conn.run("CREATE TEMP TABLE removed (answer VARCHAR)");
  const keys = [...removed];
  for (let i = 0; i < keys.length; i += 1000)
    await conn.run(
      `INSERT INTO removed VALUES ${keys
        .slice(i, i + 1000)
        .map((k) => `('${k}')`)
        .join(", ")}`
    );
  await conn.run(`CREATE TEMP TABLE answers_kept AS
    SELECT a.* FROM answers a JOIN respondents r ON r.respondent_id = a.respondent_id
    WHERE concat(r.wave, '-', r.serial, '-', a.question) NOT IN (SELECT answer FROM removed)`);
  await conn.run("CREATE TEMP VIEW answers AS SELECT * FROM answers_kept");
  await createNamedViews(conn, "respondent_numbers", "cb_likert_numbered", "keyed_likert_answer_rows");
  try {
    return (await queryRows(conn, sqlText("group_sizes_by_wave"))).map((r) => GROUP_SIZE_ROW.parse(r));
  } finally {
    conn.closeSync(); // its temporary tables go with it
  }
}

function expectSizes(rows: Size[], truth: Size[]) {
  const key = (x: Size) => JSON.stringify([x.wave, x.grouping, x.group]);
  expect(rows.map(key).sort()).toEqual(truth.map(key).sort());
  const byKey = new Map(truth.map((x) => [key(x), x]));
  const mismatches = rows.filter((r) => JSON.stringify(r) !== JSON.stringify(byKey.get(key(r))));
  expect(mismatches.slice(0, 5).map((r) => ({ got: r, truth: byKey.get(key(r)) }))).toEqual([]);
}

const counted = (year: number) =>
  s.truth.waves.find((w) => w.year === year)!.respondents.filter((r) => !r.flags.speeder);

describe("group_sizes_by_wave", () => {
  it("gives every group's count and floor as plain loops over the sample's truth do", async () => {
    const rows = await runNamedQuery(s.store.conn, "group_sizes_by_wave", GROUP_SIZE_ROW);
    expectSizes(rows, truthSizes());
    // the sample exercises: groups whose floor is below their count (someone skipped an item), and a group with a
    // measure none of its members answered (floor 0 though it has members)
    expect(rows.filter((r) => r.floor > 0 && r.floor < r.counted).length).toBeGreaterThan(100);
    expect(rows.some((r) => r.floor === 0 && r.counted > 0)).toBe(true);
  });

  it("counts a respondent who answered no Likert item at all: in the group's count, in none of its measures", async () => {
    // The sample has no such respondent who counts, so three per wave are made so
    const wiped = s.truth.waves.flatMap((w) => counted(w.year).slice(0, 3));
    const removed = new Set(
      wiped.flatMap((r) => s.store.index.likert.map((q) => removedKey(r.year, r.serial, q.code)))
    );
    const rows = await sizesWithout(removed);
    expectSizes(rows, truthSizes(removed));
    // each of their units now has a member with no sub-dimension: its floor is below its count
    expect(rows.filter((r) => r.grouping === "unit" && r.floor < r.counted).length).toBeGreaterThanOrEqual(
      wiped.length
    );
  });

  it("leaves out of the floor an item, or a whole sub-dimension, that nobody answered in the wave", async () => {
    // In the first wave nobody answered the first item of a sub-dimension with several; in the second nobody answered
    // any item of another sub-dimension. Neither may bring any group's floor to 0, as a measure with n = 0 would.
    const { likert } = s.store.index;
    const [first, second] = s.truth.waves.map((w) => w.year);
    const several = likert.find((q) => likert.filter((x) => x.subdimension === q.subdimension).length > 1)!;
    const other = likert.find((q) => q.subdimension !== several.subdimension)!.subdimension;
    const removed = new Set([
      ...counted(first).map((r) => removedKey(first, r.serial, several.code)),
      ...counted(second).flatMap((r) =>
        likert.filter((q) => q.subdimension === other).map((q) => removedKey(second, r.serial, q.code))
      )
    ]);
    const rows = await sizesWithout(removed);
    expectSizes(rows, truthSizes(removed));
    const all = (year: number) => rows.find((r) => r.wave === year && r.grouping === "all")!;
    for (const year of [first, second]) expect(all(year).floor).toBeGreaterThan(0);
  });

  it("finds what was skipped when the codebook's items take more than one 64-bit word", async () => {
    // The query keeps each respondent's answered items as bits of 64-bit words, the items numbered in the order of
    // their codes; the sample has fewer than 64. With 44 items nobody answers sorted after the first 20 codes, the
    // other items are numbers 64 and on: the second word, each on the bit of one of the first 20 in the first word.
    const byCode = [...s.store.index.likert].sort((a, b) => (a.code < b.code ? -1 : 1));
    const first = byCode.slice(0, 20);
    const later = byCode.slice(20);
    const dummy = `${first.at(-1)!.code}~`;
    expect(first.every((q) => q.code < dummy) && later.every((q) => q.code > `${dummy}999`)).toBe(true);
    expect(later.length).toBeGreaterThan(0);
    // Two respondents per wave skip every later item and answer every first one: were the words mixed up, the bit of
    // a later item would be that of a first one, and their skips would not be seen.
    const wiped = s.truth.waves.flatMap((w) =>
      counted(w.year)
        .filter((r) => first.every((q) => typeof r.answers[q.code] === "number"))
        .slice(0, 2)
    );
    expect(wiped.length).toBe(2 * s.truth.waves.length);
    const removed = new Set(wiped.flatMap((r) => later.map((q) => removedKey(r.year, r.serial, q.code))));
    expectSizes(await sizesWithout(removed, { after: first.at(-1)!.code, count: 44 }), truthSizes(removed));
  });

  it("rests on the store having one answer row per respondent and question, but a row per option of a multiple choice", async () => {
    // group_sizes_by_wave and missing_answers_by_wave_question count rows for the other questions (store.ts,
    // appendAnswers); the sample's store is ingested from every export mode and file format
    const repeated = await queryRows<{ question: string }>(
      s.store.conn,
      `SELECT a.question FROM answers a JOIN cb_questions q ON q.question = a.question
       WHERE q.type <> 'multiple' GROUP BY a.respondent_id, a.question HAVING count(*) > 1 LIMIT 5`
    );
    expect(repeated).toEqual([]);
    const multiple = await queryRows<{ n: number }>(
      s.store.conn,
      `SELECT count(*)::INTEGER AS n FROM (SELECT 1 FROM answers a JOIN cb_questions q ON q.question = a.question
       WHERE q.type = 'multiple' GROUP BY a.respondent_id, a.question HAVING count(*) > 1)`
    );
    expect(multiple[0].n).toBeGreaterThan(0); // the check above would see a repeated row: there are some to see
  });
});
