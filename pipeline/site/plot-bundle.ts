// Plot as one module. Framework serves every npm package a page imports as a module of its own, bundled on first use
// into src/.observablehq/cache/_node/<name>@<version>/index.js with every other package left as an import; Plot
// imports "d3", whose index imports all thirty d3 modules (brush, zoom, force, chord, transition … that no chart of
// ours draws). Every chart page therefore loaded about 35 modules, some 180 kB after gzip, before its first chart
// (measured with npx tsx pipeline/cli/sizes.ts). Framework reuses a cached bundle whenever the file exists, so
// observablehq.config.ts calls ensurePlotBundle first: it writes Plot's cache entry as one module with the d3 code
// Plot uses (rollup's tree-shaking, minified with esbuild exactly as Framework minifies): one request, about 130 kB.
// Plot's API is unchanged (every export of the package), and pages keep importing "@observablehq/plot".
// rollup, its node-resolve and commonjs plugins and rollup-plugin-esbuild are the ones Framework itself bundles with
// (installed with it).
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import commonjsPlugin from "@rollup/plugin-commonjs";
import { nodeResolve } from "@rollup/plugin-node-resolve";
import { rollup } from "rollup";
import esbuild from "rollup-plugin-esbuild";
import { PROJECT_ROOT } from "../io/config.ts";

// The plugin's types describe a CommonJS module (a namespace with `default`); imported as ESM, as here, it is the function.
const commonjs = commonjsPlugin as unknown as (typeof commonjsPlugin)["default"];

/** The first line of a bundle written here; a cache entry without it was written by Framework and is replaced. */
export const PLOT_BUNDLE_MARK = "/* yipanqi: @observablehq/plot with the d3 code it uses, one module (pipeline/site/plot-bundle.ts) */";

/** Plot's installed version, which names its cache entry. */
export function plotVersion(root = PROJECT_ROOT): string {
  return JSON.parse(readFileSync(join(root, "node_modules/@observablehq/plot/package.json"), "utf8")).version;
}

/** Plot and the d3 code it uses as one minified ES module. */
export async function bundlePlot(root = PROJECT_ROOT): Promise<string> {
  const bundle = await rollup({
    input: "@observablehq/plot",
    plugins: [
      nodeResolve({ browser: true, rootDir: root }),
      commonjs({ esmExternals: true, requireReturnsDefault: "preferred" }),
      esbuild({
        format: "esm",
        platform: "browser",
        // Framework's targets for npm bundles (its node.js).
        target: ["es2022", "chrome96", "firefox96", "safari16", "node18"],
        exclude: [],
        define: { "process.env.NODE_ENV": JSON.stringify("production") },
        minify: true
      })
    ],
    onwarn(warning, warn) {
      if (warning.code === "CIRCULAR_DEPENDENCY") return;
      warn(warning);
    }
  });
  try {
    const { output } = await bundle.generate({ format: "es", exports: "named" });
    const chunk = output.find((o) => o.type === "chunk");
    if (!chunk || chunk.type !== "chunk") throw new Error("rollup produced no chunk for @observablehq/plot");
    return `${PLOT_BUNDLE_MARK}\n${chunk.code}`;
  } finally {
    await bundle.close();
  }
}

/**
 * Writes Plot's entry in Framework's npm cache (`cacheDir` = src/.observablehq/cache/_node/) unless this module
 * already wrote it for the installed version. Returns the file's path and whether it was (re)written.
 */
export async function ensurePlotBundle(cacheDir: string, root = PROJECT_ROOT): Promise<{ file: string; written: boolean }> {
  const file = join(cacheDir, `@observablehq/plot@${plotVersion(root)}`, "index.js");
  if (existsSync(file) && readFileSync(file, "utf8").startsWith(PLOT_BUNDLE_MARK)) return { file, written: false };
  const code = await bundlePlot(root);
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, code);
  renameSync(tmp, file);
  return { file, written: true };
}
