// Global setup of both test projects: every temporary folder the tests make (tempDir, mkdtemp, DuckDB's spill
// folders, chromium's profiles) goes into one folder of this run, removed when the run ends. Most tests make folders
// and leave them (a failing test's files stay there to look at while the run lasts); they used to pile up in the
// system's temporary folder: 1,600 yipanqi-test-* and 86 refresh drills of 250 MB each after a few days' runs here.
// Workers inherit the environment the run's process has after global setup, so TMPDIR reaches them and their children.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export default function setup(): () => void {
  const previous = process.env.TMPDIR;
  const folder = mkdtempSync(join(tmpdir(), "yipanqi-tests-"));
  process.env.TMPDIR = folder;
  return () => {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    rmSync(folder, { recursive: true, force: true });
  };
}
