// The pipeline's folders are layers, listed from the export up to the command line. A module may import from its
// own folder and from folders below it, never from above: an upward import (and so any cycle between folders) fails
// here with the file and the line. src/data loaders sit above publish; chart components import from the pipeline only
// the published contracts' types (erased in the browser).
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";
import { describe, expect, it } from "vitest";

export const LAYERS = [
  "io",
  "codebook",
  "stats",
  "ingest",
  "sample",
  "store",
  "db",
  "contracts",
  "marts",
  "publish",
  "site",
  "refresh",
  "cli"
];

const root = join(import.meta.dirname, "../..");
// The one import from src/ into the pipeline: the browser-side cube reader, which must live under src/ for the pages
// to load it, is the same code the contracts use to read a published cube back.
const ALLOWED = new Set(["pipeline/contracts/cube.ts → src/components/cube.ts"]);

function filesUnder(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /\.(ts|mjs|md)$/.test(entry.name))
    .map((entry) => relative(root, join(entry.parentPath, entry.name)));
}

interface Import {
  from: string;
  to: string;
  line: number;
  typeOnly: boolean;
}

function importsOf(file: string): Import[] {
  const lines = readFileSync(join(root, file), "utf8").split("\n");
  const found: Import[] = [];
  lines.forEach((text, index) => {
    for (const match of text.matchAll(
      /(import|export)\s*(type\s)?[^"'()]*?from\s*["'](\.{1,2}\/[^"']+)["']|import\(\s*["'](\.{1,2}\/[^"']+)["']\s*\)/g
    )) {
      const spec = match[3] ?? match[4];
      found.push({
        from: file,
        to: normalize(join(dirname(file), spec)),
        line: index + 1,
        typeOnly: Boolean(match[2])
      });
    }
  });
  return found;
}

function layerOf(path: string): number {
  const [top, folder] = path.split("/");
  if (top === "pipeline") return LAYERS.indexOf(folder);
  if (top === "src" && folder === "data") return LAYERS.indexOf("publish") + 0.5;
  return Number.POSITIVE_INFINITY; // pages and components: above the pipeline
}

function violations(): string[] {
  const found: string[] = [];
  for (const imp of [...filesUnder("pipeline"), ...filesUnder("src")].flatMap(importsOf)) {
    const edge = `${imp.from} → ${imp.to}`;
    if (ALLOWED.has(edge)) continue;
    const fromSrcComponent = imp.from.startsWith("src/") && !imp.from.startsWith("src/data/");
    if (fromSrcComponent && imp.to.startsWith("pipeline/")) {
      if (!(imp.typeOnly && imp.to.startsWith("pipeline/contracts/")))
        found.push(
          `${imp.from}:${imp.line} imports ${imp.to}: a page or component may import only types of pipeline/contracts`
        );
      continue;
    }
    if (layerOf(imp.to) > layerOf(imp.from)) found.push(`${imp.from}:${imp.line} imports ${imp.to}, a layer above it`);
  }
  return found;
}

describe("layers", () => {
  it("names every folder of pipeline/ in the layer order", () => {
    const folders = readdirSync(join(root, "pipeline"), { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name);
    expect(folders.filter((folder) => !LAYERS.includes(folder))).toEqual([]);
  });

  it("has no import pointing up a layer (so no cycle between folders)", () => {
    expect(violations()).toEqual([]);
  });

  it("catches an upward import (the check can fail)", () => {
    expect(importsOf("test/architecture/fixtures/upward.txt")).toEqual([
      { from: "test/architecture/fixtures/upward.txt", to: "pipeline/cli/site.ts", line: 2, typeOnly: false }
    ]);
    expect(layerOf("pipeline/cli/site.ts")).toBeGreaterThan(layerOf("pipeline/io/config.ts"));
  });
});
