// scale_scores_by_wave_group counts who agrees (n_agree) against the agreeFrom of each scale's first item in the
// codebook, the threshold the section's page prints beside the share (pipeline/codebook/scales.ts). A codebook keeps
// one answer scale per section; where a section's items differ, the count still follows the first item's, whatever
// the other items' and whichever item's code sorts first. On the seeded sample's store, with the codebook's tables
// changed on a connection of the test's own.
import { beforeAll, describe, expect, it } from "vitest";
import { connectAgain, queryRows, sqlString } from "../../pipeline/io/duckdb.ts";
import { createNamedViews, runNamedQuery, SHARED_VIEWS } from "../../pipeline/db/named-sql.ts";
import { SCALE_SCORE_GROUP_ROW } from "../../pipeline/db/rows.ts";
import { sampleStore, type SampleStore } from "./sample-store.ts";

let s: SampleStore;

beforeAll(async () => {
  s = await sampleStore();
}, 120_000);

const SECTION = "causes"; // its sub-dimensions have two items each

/**
 * The section's scale scores with the agreeFrom of each sub-dimension's first item (by codebook position) set to
 * `first`, and that of every other item of the section to `others(k)` (k: the item's place in its sub-dimension).
 * The first item of a dimension or of the section is the first of one of its sub-dimensions, so every scale's first
 * item is at `first`. With the codebook's positions reversed when `reversed`: each first item is then the one whose
 * code sorts last.
 */
async function scoresWith(first: number, others: (k: number) => number, reversed = false) {
  const conn = await connectAgain(s.store.conn);
  try {
    await conn.run(
      `CREATE TEMP TABLE cb_questions AS SELECT * REPLACE (${reversed ? "-position" : "position"} AS position) FROM main.cb_questions`
    );
    const items = await queryRows<{ question: string; k: number }>(
      conn,
      `SELECT l.question, (row_number() OVER (PARTITION BY l.subdimension ORDER BY q.position) - 1)::INTEGER AS k
       FROM main.cb_likert l JOIN cb_questions q ON q.question = l.question
       WHERE l.section = ${sqlString(SECTION)}`
    );
    expect(items.filter((i) => i.k > 0).length).toBeGreaterThan(0);
    const cases = items.map((i) => `WHEN ${sqlString(i.question)} THEN ${i.k === 0 ? first : others(i.k)}`);
    await conn.run(
      `CREATE TEMP TABLE cb_likert AS
       SELECT * REPLACE (CASE question ${cases.join(" ")} ELSE agree_from END AS agree_from) FROM main.cb_likert`
    );
    await createNamedViews(conn, ...SHARED_VIEWS);
    return await runNamedQuery(conn, "scale_scores_by_wave_group", SCALE_SCORE_GROUP_ROW, { section: SECTION });
  } finally {
    conn.closeSync();
  }
}

describe("the share agreeing of a section whose items are on different answer scales", () => {
  it("is counted against the first item's agreeFrom, as the page prints it", async () => {
    const allAtFour = await scoresWith(4, () => 4);
    const allAtFive = await scoresWith(5, () => 5);
    // the counts move with the threshold, so the comparisons below can fail
    expect(allAtFive.map((r) => r.n_agree)).not.toEqual(allAtFour.map((r) => r.n_agree));
    expect(allAtFour.some((r) => r.n_agree > 0)).toBe(true);
    // the other items lower and higher than the first: neither the scale's least nor its greatest is taken
    expect(await scoresWith(4, (k) => (k % 2 === 0 ? 3 : 5))).toEqual(allAtFour);
    expect(await scoresWith(5, () => 4)).toEqual(allAtFive);
  });

  it("follows the codebook's order, not the order of the items' codes", async () => {
    const allAtFive = await scoresWith(5, () => 5);
    expect(await scoresWith(5, () => 4, true)).toEqual(allAtFive);
    expect(await scoresWith(4, () => 5, true)).not.toEqual(allAtFive);
  });
});
