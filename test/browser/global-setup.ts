// Builds the site once for the browser project, the way a steward does (`npm run build`: prepare the store, then
// `observable build`), but on a private copy: the seeded sample in a temporary data folder, built into a temporary
// dist, so neither the project's data/ nor its dist/ is touched. Tests find the build with inject("distDir").
// YIPANQI_SKIP_BUILD=1 skips the build and tests the project's dist/ as it is.
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    distDir: string;
    dataDir: string;
  }
}

export default function setup(project: TestProject): void | (() => void) {
  const root = fileURLToPath(new URL("../..", import.meta.url));
  if (process.env.YIPANQI_SKIP_BUILD === "1") {
    if (!existsSync(resolve(root, "dist/causes.html")))
      throw new Error("YIPANQI_SKIP_BUILD=1 but dist/causes.html does not exist");
    project.provide("distDir", resolve(root, "dist"));
    project.provide("dataDir", resolve(root, "data"));
    return;
  }
  const work = mkdtempSync(join(tmpdir(), "yipanqi-site-"));
  const dataDir = join(work, "data");
  mkdirSync(dataDir);
  for (const file of ["codebook.json", "roster.csv", "indicators.json"])
    copyFileSync(join(root, "data", file), join(dataDir, file));
  const distDir = join(work, "dist");
  // Builds of this tree take turns on a lock inside site.ts (Framework keeps one cache under src/.observablehq).
  const result = spawnSync(process.execPath, ["pipeline/cli/run.mjs", "site", "build"], {
    cwd: root,
    env: { ...process.env, YIPANQI_DATA: dataDir, YIPANQI_DIST: distDir },
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    timeout: 10 * 60_000
  });
  if (result.status !== 0) {
    throw new Error(
      `npm run build failed (${result.status ?? result.signal}):\n${result.stdout.slice(-4000)}\n${result.stderr.slice(-4000)}`
    );
  }
  // A failing data loader fails the build (status 1, above); a file that is simply absent is only logged.
  const log = `${result.stdout}\n${result.stderr}`;
  const problems = log
    .split("\n")
    .filter((l) => (/\[missing\]/.test(l) && !/success/.test(l)) || /broken link|\berror\b/i.test(l));
  if (problems.length) throw new Error(`observable build reported problems:\n${problems.join("\n")}`);
  project.provide("distDir", distDir);
  project.provide("dataDir", dataDir);
  // The temporary build is ~90 MB (DuckDB-wasm for /explore): remove it when the run ends.
  return () => rmSync(work, { recursive: true, force: true });
}
