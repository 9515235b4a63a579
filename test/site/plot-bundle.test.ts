// Plot as one module (pipeline/site/plot-bundle.ts): the bundle Framework serves in place of Plot and its thirty d3
// modules has Plot's whole API and imports nothing, and is written once per Plot version into the cache.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import * as Plot from "@observablehq/plot";
import { describe, expect, it } from "vitest";
import { PLOT_BUNDLE_MARK, bundlePlot, ensurePlotBundle, plotVersion } from "../../pipeline/site/plot-bundle.ts";
import { tempDir } from "../helpers/mini-exports.ts";

describe("the Plot bundle", () => {
  it("exports everything @observablehq/plot exports and imports no other module", async () => {
    const code = await bundlePlot();
    expect(code.startsWith(PLOT_BUNDLE_MARK)).toBe(true);
    expect(code).not.toMatch(/(^|[;}\s])import\s*[{*\w]/);
    expect(code).not.toMatch(/\bfrom\s*["']/);
    const file = join(tempDir("yipanqi-plot-"), "plot.mjs");
    writeFileSync(file, code);
    const bundled = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
    expect(Object.keys(bundled).sort()).toEqual(Object.keys(Plot).sort());
    expect(typeof bundled.plot).toBe("function");
  }, 120_000);

  it("is written into Framework's cache under Plot's version, and left alone while it is there", async () => {
    const cache = tempDir("yipanqi-node-cache-");
    const first = await ensurePlotBundle(cache);
    expect(first.written).toBe(true);
    expect(first.file).toBe(join(cache, `@observablehq/plot@${plotVersion()}`, "index.js"));
    expect(readFileSync(first.file, "utf8").startsWith(PLOT_BUNDLE_MARK)).toBe(true);
    expect((await ensurePlotBundle(cache)).written).toBe(false);
    // A cache entry Framework wrote (Plot importing d3) is replaced.
    writeFileSync(first.file, 'import*as d3 from"../../d3@7.9.2/index.js";export{d3};');
    expect((await ensurePlotBundle(cache)).written).toBe(true);
  }, 120_000);
});
