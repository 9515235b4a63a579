// queryRows: the plain rows every mart and test reads from DuckDB. They are built from each row's values (not copied
// from DuckDB's row objects), so this checks what the copies gave: BIGINT as number, lists as arrays, timestamps as
// text, and two columns of one name both kept (x, x:1), never one overwriting the other.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DuckDBConnection } from "@duckdb/node-api";
import { closeDuckDB, openDuckDB, queryRows } from "../../pipeline/io/duckdb.ts";

let conn: DuckDBConnection;
beforeAll(async () => {
  conn = await openDuckDB();
});
afterAll(() => closeDuckDB(conn));

describe("queryRows", () => {
  it("keeps both columns of one name, as DuckDB's row objects name them", async () => {
    expect(await queryRows(conn, "SELECT 1 AS x, 2 AS x")).toEqual([{ x: 1, "x:1": 2 }]);
    const joined = await queryRows(
      conn,
      "SELECT * FROM (SELECT 1 AS id, 'l' AS v) a JOIN (SELECT 1 AS id, 'r' AS v) b USING (id)"
    );
    expect(joined).toEqual([{ id: 1, v: "l", "v:1": "r" }]);
  });

  it("turns DuckDB's values into plain ones, in column order", async () => {
    const rows = await queryRows(
      conn,
      "SELECT 3::BIGINT AS n, [1, 2]::INTEGER[] AS list, NULL AS missing, 'a' AS text, true AS flag, 0.5::DOUBLE AS half " +
        "UNION ALL SELECT 4, [], 7, 'b', false, 1.5"
    );
    expect(rows).toEqual([
      { n: 3, list: [1, 2], missing: null, text: "a", flag: true, half: 0.5 },
      { n: 4, list: [], missing: 7, text: "b", flag: false, half: 1.5 }
    ]);
    expect(Object.keys(rows[0])).toEqual(["n", "list", "missing", "text", "flag", "half"]);
  });
});
