// DuckDB's memory limit: a quarter of what the process may use, in whole GB between 1 and 4, unless the steward sets
// YIPANQI_DUCKDB_MEMORY; and the limit openDuckDB gives is the one DuckDB then reports.
import { afterEach, describe, expect, it } from "vitest";
import { closeDuckDB, defaultDuckdbMemory, duckdbMemory, openDuckDB, queryRows } from "../../pipeline/io/duckdb.ts";

const GB = 1e9;
const GiB = 2 ** 30;

describe("defaultDuckdbMemory", () => {
  it("takes a quarter of the machine's memory, in whole GB, between 1 and 4", () => {
    expect(defaultDuckdbMemory(2 * GiB, 0)).toBe("1GB"); // a quarter is 0.54 GB: never below 1
    expect(defaultDuckdbMemory(8 * GiB, 0)).toBe("2GB"); // 2.15 GB
    expect(defaultDuckdbMemory(12 * GB, 0)).toBe("3GB");
    expect(defaultDuckdbMemory(16 * GB - 1, 0)).toBe("3GB"); // whole GB, rounded down
    expect(defaultDuckdbMemory(24 * GiB, 0)).toBe("4GB"); // 6.4 GB: never above 4
    expect(defaultDuckdbMemory(512 * GiB, 0)).toBe("4GB");
  });

  it("takes a cgroup's limit when it is less than the machine's memory, and ignores none or a larger one", () => {
    expect(defaultDuckdbMemory(64 * GiB, 8 * GiB)).toBe("2GB");
    expect(defaultDuckdbMemory(8 * GiB, 2 ** 64)).toBe("2GB"); // Node's answer when there is no limit
    expect(defaultDuckdbMemory(8 * GiB, 0)).toBe("2GB");
  });
});

describe("duckdbMemory", () => {
  const saved = process.env.YIPANQI_DUCKDB_MEMORY;
  afterEach(() => {
    if (saved === undefined) delete process.env.YIPANQI_DUCKDB_MEMORY;
    else process.env.YIPANQI_DUCKDB_MEMORY = saved;
  });

  it("is the steward's YIPANQI_DUCKDB_MEMORY when set, the default otherwise", () => {
    process.env.YIPANQI_DUCKDB_MEMORY = "1500MB";
    expect(duckdbMemory().memoryLimit).toBe("1500MB");
    delete process.env.YIPANQI_DUCKDB_MEMORY;
    expect(duckdbMemory().memoryLimit).toBe(defaultDuckdbMemory());
  });

  it("is the limit DuckDB runs with", async () => {
    process.env.YIPANQI_DUCKDB_MEMORY = "1500MB";
    const conn = await openDuckDB();
    try {
      const [row] = await queryRows<{ limit: string }>(conn, "SELECT current_setting('memory_limit') AS limit");
      // DuckDB reports its limit in binary units: 1.5e9 bytes is 1.3 GiB
      expect(row.limit).toBe("1.3 GiB");
    } finally {
      closeDuckDB(conn);
    }
  });
});
