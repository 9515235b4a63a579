// Global setup of both test projects: every temporary folder the tests make (tempDir, mkdtemp, DuckDB's spill
// folders, chromium's profiles) goes into one folder of this run, removed when the run ends. Most tests make folders
// and leave them (a failing test's files stay there to look at while the run lasts); they used to pile up in the
// system's temporary folder: 1,600 yipanqi-test-* and 86 refresh drills of 250 MB each after a few days' runs here.
// Workers inherit the environment the run's process has after global setup, so TMPDIR reaches them and their children.
// Vitest runs this once per project, in an order of its own: the first makes the folder and alone removes it.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const MARK = "YIPANQI_TEST_TMPDIR";

export default function setup(): () => void {
  if (process.env[MARK]) return () => {};
  const previous = process.env.TMPDIR;
  const folder = mkdtempSync(join(tmpdir(), "yipanqi-tests-"));
  process.env.TMPDIR = folder;
  process.env[MARK] = folder;
  return () => {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    delete process.env[MARK];
    try {
      // Workers and detached children may still be closing files when the teardown runs.
      rmSync(folder, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
    } catch (error) {
      console.warn(`the tests' temporary folder ${folder} was not removed: ${String(error)}`);
    }
  };
}
