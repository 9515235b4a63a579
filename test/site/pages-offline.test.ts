// Source check of every page in src/ for what would make Framework reach the network at build time or
// the browser at run time (see observablehq.config.ts): the implicit `npm:` globals, `npm:`/`jsr:`/remote
// imports, FileAttachment formats whose readers come from npm, and DuckDB. Cheap, and runs without a build.
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));
const src = join(root, "src");

function pages(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.name.startsWith(".") || e.name === "data"
      ? []
      : e.isDirectory()
        ? pages(join(dir, e.name))
        : e.name.endsWith(".md")
          ? [join(dir, e.name)]
          : []
  );
}

/** Names Framework would import from npm if a page used them without importing them (src/libraries.ts). */
const IMPLICIT = ["Plot", "Inputs", "d3", "html", "svg", "htl", "_", "aq", "Arrow", "dot", "duckdb", "DuckDBClient", "sql",
  "echarts", "L", "mapboxgl", "mermaid", "SQLite", "SQLiteDatabaseClient", "tex", "topojson", "vl", "vg"];

/** The JavaScript of a page: fenced js/ts blocks and inline ${…} expressions. */
function code(md: string): string {
  const blocks = [...md.matchAll(/```(?:js|ts|javascript|typescript)\b[^\n]*\n([\s\S]*?)```/g)].map((m) => m[1]);
  const prose = md.replace(/```[\s\S]*?```/g, "");
  const inline = [...prose.matchAll(/\$\{([\s\S]*?)\}(?=[^{}]*(?:\$\{|$|<|\n))/g)].map((m) => m[1]);
  // Comments do not import anything (Framework reads references from the syntax tree).
  return [...blocks, ...inline].join("\n").replace(/\/\*[\s\S]*?\*\/|(?<![:"'`])\/\/[^\n]*/g, "");
}

const list = pages(src);

describe("pages stay offline", () => {
  it("finds the pages", () => {
    expect(list.map((p) => relative(src, p)).sort()).toEqual(expect.arrayContaining(["causes.md", "index.md"]));
  });

  for (const file of list) {
    const md = readFileSync(file, "utf8");
    const js = code(md);
    const name = relative(src, file);
    const imported = new Set(
      [...js.matchAll(/import\s+(?:\*\s+as\s+(\w+)|\{([^}]*)\}|(\w+))(?:\s*,\s*\{([^}]*)\})?\s+from\s+["'][^"']+["']/g)].flatMap(
        (m) => [m[1], m[3], ...(m[2] ?? "").split(","), ...(m[4] ?? "").split(",")]
          .filter(Boolean)
          .map((s) => s!.trim().split(/\s+as\s+/).pop()!)
      )
    );
    const declared = new Set([...js.matchAll(/\b(?:const|let|var|function)\s+(\w+)/g)].map((m) => m[1]));

    it(`${name}: imports only by bare specifier or local path`, () => {
      const specifiers = [...js.matchAll(/(?:from|import)\s*\(?\s*["']([^"']+)["']/g)].map((m) => m[1]);
      expect(specifiers.filter((s) => /^(npm|jsr|https?):|^\/\//.test(s))).toEqual([]);
    });

    it(`${name}: uses no implicit library global`, () => {
      const used = IMPLICIT.filter((g) => new RegExp(`(?<![\\w.$])${g.replace("$", "\\$")}(?=\\s*[.(\`])`).test(js));
      expect(used.filter((g) => !imported.has(g) && !declared.has(g))).toEqual([]);
    });

    it(`${name}: reads files only as json/text/blob/image (other readers load npm modules)`, () => {
      const readers = [...js.matchAll(/FileAttachment\([^)]*\)\s*\.\s*(\w+)\s*\(/g)].map((m) => m[1]);
      expect(readers.filter((r) => !["json", "text", "blob", "arrayBuffer", "stream", "image", "url", "href"].includes(r))).toEqual([]);
    });

    it(`${name}: keeps DuckDB off the page`, () => {
      expect(/^---[\s\S]*?\nsql:/m.test(md)).toBe(false);
      expect(/```sql\b/.test(md)).toBe(false);
    });
  }
});
