// DuckDB's memory limit: a quarter of what the process may use, in whole GB between 1 and 4, unless the steward sets
// YIPANQI_DUCKDB_MEMORY; the limit openDuckDB gives is the one DuckDB then reports; and processes that may run at once
// (the preview's loaders) get 1 GB each.
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  closeDuckDB,
  defaultDuckdbMemory,
  duckdbMemory,
  openDuckDB,
  queryRows,
  withSharedDuckdbMemory
} from "../../pipeline/io/duckdb.ts";

// The machine as duckdbMemory sees it, whatever this one has: 64 GiB, so that the default is the largest, 4 GB (a
// default fixed at 1 GB would pass on a machine under 8 GB if the test asked the machine).
const machine = vi.hoisted(() => ({ bytes: 0 }));
vi.mock("node:os", async (original) => {
  const os = await original<typeof import("node:os")>();
  return { ...os, totalmem: () => machine.bytes || os.totalmem() };
});

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

  it("is the steward's YIPANQI_DUCKDB_MEMORY when set, a quarter of the machine's memory otherwise", () => {
    process.env.YIPANQI_DUCKDB_MEMORY = "1500MB";
    expect(duckdbMemory().memoryLimit).toBe("1500MB");
    delete process.env.YIPANQI_DUCKDB_MEMORY;
    machine.bytes = 64 * GiB;
    const unlimited = vi.spyOn(process, "constrainedMemory").mockReturnValue(0);
    try {
      expect(duckdbMemory().memoryLimit).toBe("4GB");
      machine.bytes = 8 * GiB;
      expect(duckdbMemory().memoryLimit).toBe("2GB");
      unlimited.mockReturnValue(4 * GiB); // a container of 4 GiB on that machine
      expect(duckdbMemory().memoryLimit).toBe("1GB");
    } finally {
      machine.bytes = 0;
      unlimited.mockRestore();
    }
  });

  it("is the limit DuckDB runs with", async () => {
    process.env.YIPANQI_DUCKDB_MEMORY = "1500MB";
    const conn = await openDuckDB();
    try {
      // DuckDB reports its limit as format_bytes does (binary units: 1.5e9 bytes is "1.3 GiB"); 1 GB (953.6 MiB),
      // DuckDB's own default or the machine's quarter would read otherwise
      const [row] = await queryRows<{ limit: string; given: string }>(
        conn,
        "SELECT current_setting('memory_limit') AS limit, format_bytes(1500000000) AS given"
      );
      expect(row.limit).toBe(row.given);
    } finally {
      closeDuckDB(conn);
    }
  });
});

describe("withSharedDuckdbMemory", () => {
  it("gives processes that may run at once 1 GB each, unless the steward set a limit", () => {
    expect(withSharedDuckdbMemory({ PATH: "/bin" })).toEqual({ PATH: "/bin", YIPANQI_DUCKDB_MEMORY: "1GB" });
    expect(withSharedDuckdbMemory({ YIPANQI_DUCKDB_MEMORY: "3GB" })).toEqual({ YIPANQI_DUCKDB_MEMORY: "3GB" });
  });
});
