// The built site references no other origin: no <link>, <script src>, module import, or CSS url()/@import
// pointing outside. (Namespace URIs such as http://www.w3.org/2000/svg and links in text are fine.)
import { readdirSync, readFileSync } from "node:fs";
import { extname, join, relative } from "node:path";
import { describe, expect, it, inject } from "vitest";

const dist = inject("distDir");

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? files(join(dir, e.name))
      : [".html", ".js", ".css"].includes(extname(e.name))
        ? [join(dir, e.name)]
        : []
  );
}

const OUTSIDE = /^(?:https?:)?\/\//i;

function outsideReferences(path: string, text: string): string[] {
  const refs: string[] = [];
  const add = (kind: string, url: string) => OUTSIDE.test(url.trim()) && refs.push(`${kind} ${url}`);
  if (path.endsWith(".html")) {
    for (const m of text.matchAll(
      /<(link|script|img|iframe|source|embed|object)\b[^>]*?\s(?:href|src|data)\s*=\s*["']?([^"'\s>]+)/gi
    ))
      add(`<${m[1]}>`, m[2]);
  }
  if (path.endsWith(".html") || path.endsWith(".js")) {
    for (const m of text.matchAll(/\b(?:import|export)\s*(?:[\w*{}\s,$]+from\s*)?["']([^"']+)["']/g))
      add("import", m[1]);
    for (const m of text.matchAll(/\bimport\s*\(\s*["']([^"']+)["']\s*\)/g)) add("import()", m[1]);
    for (const m of text.matchAll(
      /\b(?:fetch|importScripts|new\s+(?:Worker|EventSource|WebSocket))\s*\(\s*["'`]([^"'`]+)["'`]/g
    ))
      add("fetch", m[1]);
  }
  if (path.endsWith(".css") || path.endsWith(".html")) {
    for (const m of text.matchAll(/@import\s+(?:url\()?\s*["']?([^"')\s;]+)/g)) add("@import", m[1]);
    for (const m of text.matchAll(/url\(\s*["']?([^"')]+)["']?\s*\)/g)) add("url()", m[1]);
  }
  return refs;
}

describe("dist/", () => {
  const all = files(dist);

  it("has the pages", () => {
    expect(all.map((f) => relative(dist, f))).toEqual(expect.arrayContaining(["index.html", "causes.html"]));
  });

  it("references nothing on another origin", () => {
    const found = all.flatMap((f) =>
      outsideReferences(f, readFileSync(f, "utf8")).map((r) => `${relative(dist, f)}: ${r}`)
    );
    expect(found).toEqual([]);
  });

  it("ships DuckDB only as the explore page's self-hosted DuckDB-wasm (anonymity-scan.test.ts: no other page loads it)", () => {
    expect(
      all.filter(
        (f) => /duckdb/i.test(relative(dist, f)) && !relative(dist, f).startsWith("_node/@duckdb/duckdb-wasm@")
      )
    ).toEqual([]);
  });
});
