// Breakdowns count respondents per profile (pipeline/db/sql/respondent_profiles.sql), a digest of their groups, and
// spread the counts to the groups of one representative (profile_groups.sql). A digest shared by two different sets
// of groups would count respondents in groups they are not in: profile_groups must refuse, not count.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DuckDBConnection } from "@duckdb/node-api";
import { closeDuckDB, openDuckDB, queryRows } from "../../pipeline/io/duckdb.ts";
import { createNamedViews } from "../../pipeline/db/named-sql.ts";

let conn: DuckDBConnection;

// Five respondents of wave 2024: r1, r2 and r5 have the same groups in a different order; r3 lacks a 身份; r4 is in
// another unit category, and r6 answered in 2025.
const GROUP_ROWS = [
  ["r1", 2024, "all", "全体", 0],
  ["r1", 2024, "identity", "党员", 1],
  ["r1", 2024, "unit_category", "党政机关", 1],
  ["r2", 2024, "unit_category", "党政机关", 1],
  ["r2", 2024, "all", "全体", 0],
  ["r2", 2024, "identity", "党员", 1],
  ["r3", 2024, "all", "全体", 0],
  ["r3", 2024, "unit_category", "党政机关", 1],
  ["r4", 2024, "all", "全体", 0],
  ["r4", 2024, "identity", "党员", 1],
  ["r4", 2024, "unit_category", "事业单位", 2],
  ["r5", 2024, "identity", "党员", 1],
  ["r5", 2024, "unit_category", "党政机关", 1],
  ["r5", 2024, "all", "全体", 0],
  ["r6", 2025, "all", "全体", 0],
  ["r6", 2025, "identity", "党员", 1],
  ["r6", 2025, "unit_category", "党政机关", 1]
] as const;

beforeAll(async () => {
  conn = await openDuckDB();
  await conn.run(
    "CREATE TEMP TABLE respondent_groups (respondent_id VARCHAR, wave INTEGER, grouping VARCHAR, grp VARCHAR, grp_order INTEGER)"
  );
  const values = GROUP_ROWS.map((r) => `('${r[0]}', ${r[1]}, '${r[2]}', '${r[3]}', ${r[4]})`).join(", ");
  await conn.run(`INSERT INTO respondent_groups VALUES ${values}`);
  // the respondents themselves, whom respondent_numbers numbers for respondent_profiles
  await conn.run(`CREATE TEMP TABLE respondents AS
    SELECT DISTINCT wave, respondent_id, 'U1' AS unit, false AS is_speeder, false AS is_straightliner
    FROM respondent_groups`);
  await createNamedViews(conn, "respondent_numbers", "respondent_profiles", "profile_groups");
});
afterAll(() => closeDuckDB(conn));

describe("respondent profiles", () => {
  it("gives respondents with the same groups, in any order, one profile, and each profile exactly those groups", async () => {
    const profiles = await queryRows<{ respondent_id: string; profile: string }>(
      conn,
      "SELECT respondent_id, profile FROM respondent_profiles ORDER BY respondent_id"
    );
    const of = Object.fromEntries(profiles.map((p) => [p.respondent_id, p.profile]));
    expect(of.r1).toBe(of.r2);
    expect(of.r1).toBe(of.r5);
    expect(new Set([of.r1, of.r3, of.r4]).size).toBe(3);
    const groups = await queryRows<{ wave: number; profile: string; groups: string }>(
      conn,
      `SELECT wave, profile, string_agg(grouping || '=' || grp, ' ' ORDER BY grouping) AS groups
       FROM profile_groups GROUP BY wave, profile ORDER BY wave, groups`
    );
    expect(groups.map((g) => [g.wave, g.groups])).toEqual([
      [2024, "all=全体 identity=党员 unit_category=事业单位"],
      [2024, "all=全体 identity=党员 unit_category=党政机关"],
      [2024, "all=全体 unit_category=党政机关"],
      [2025, "all=全体 identity=党员 unit_category=党政机关"]
    ]);
  });

  it("refuses to spread counts when two different sets of groups share a profile", async () => {
    // A digest that collides: every respondent of a wave the same profile, whatever their groups.
    await conn.run(
      "CREATE OR REPLACE TEMP VIEW respondent_profiles AS SELECT DISTINCT wave, respondent_id, 'one' AS profile FROM respondent_groups"
    );
    await expect(queryRows(conn, "SELECT * FROM profile_groups")).rejects.toThrow(
      /profile_groups: respondents whose groups are not their profile's \(1 rows not in it; 17 group rows, 18 by profile\)/
    );
    // A digest that counts the rows as the real one does (every respondent of a profile has as many rows): only the
    // row r4 has and its representative r1 lacks (事业单位) tells them apart.
    await conn.run(
      "CREATE OR REPLACE TEMP VIEW respondent_profiles AS SELECT wave, respondent_id, count(*)::VARCHAR AS profile FROM respondent_groups GROUP BY ALL"
    );
    await expect(queryRows(conn, "SELECT * FROM profile_groups")).rejects.toThrow(
      /groups are not their profile's \(1 rows not in it; 17 group rows, 17 by profile\)/
    );
    // Sets that differ only in their size (r3's groups are a subset of r1's) are caught too.
    await conn.run(
      `CREATE OR REPLACE TEMP VIEW respondent_profiles AS
       SELECT DISTINCT wave, respondent_id, CASE WHEN respondent_id IN ('r1', 'r3') THEN 'shared' ELSE respondent_id END AS profile
       FROM respondent_groups`
    );
    await expect(queryRows(conn, "SELECT * FROM profile_groups")).rejects.toThrow(
      /groups are not their profile's \(0 rows not in it; 17 group rows, 18 by profile\)/
    );
  });
});
