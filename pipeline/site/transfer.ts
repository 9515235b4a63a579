// What a browser transfers to show a page the first time (empty cache): every file the local static server sends
// while chromium loads and renders the page (HTML, JavaScript modules and workers, CSS, data files, WebAssembly
// fetched by a worker), counted on the server. `total` is the files' size; `gzip` the bytes actually sent, the server
// compressing text as nginx with `gzip on` does (level 6; .wasm and images sent as they are): what goes over the wire.
import { readdirSync } from "node:fs";
import { extname, join, relative } from "node:path";
import { chromium } from "playwright-core";
import { CHROMIUM, CHROMIUM_ARGS, waitForRender } from "./chromium.ts";
import { serveStatic } from "./serve.ts";

export type TransferKind = "html" | "js" | "css" | "data" | "wasm" | "other";

export interface PageTransfer {
  path: string;
  requests: number;
  bytes: Record<TransferKind, number>;
  total: number;
  gzip: number;
  /** Requests to another origin (blocked), console and page errors. */
  problems: string[];
}

const KINDS: TransferKind[] = ["html", "js", "css", "data", "wasm", "other"];

/** The kind of a file sent, by its extension. */
export function kindOf(file: string): TransferKind {
  const ext = extname(file).toLowerCase();
  if (ext === ".html") return "html";
  if (ext === ".js" || ext === ".mjs") return "js";
  if (ext === ".css") return "css";
  if (ext === ".wasm") return "wasm";
  if ([".json", ".arrow", ".csv", ".parquet", ".tsv", ".txt", ".zip", ".xlsx"].includes(ext)) return "data";
  return "other";
}

/** Loads each page in a fresh browser context (empty cache) and adds up the files the server sent for it. */
export async function measureTransfers(dist: string, pagePaths: string[], { width = 1280, height = 900 } = {}): Promise<PageTransfer[]> {
  // The page being measured collects what the server sends (pages are measured one after the other).
  let sent: { file: string; bytes: number; wire: number }[] = [];
  const server = await serveStatic(dist, { onSend: (_url, file, bytes, wire) => sent.push({ file, bytes, wire }) });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  const results: PageTransfer[] = [];
  try {
    for (const path of pagePaths) {
      const context = await browser.newContext({ viewport: { width, height }, locale: "zh-CN", timezoneId: "Asia/Shanghai" });
      const problems: string[] = [];
      await context.route("**/*", (route) => {
        const url = route.request().url();
        if (/^(data|blob|about):/.test(url) || new URL(url).origin === server.origin) return route.continue();
        problems.push(`request to another origin: ${url}`);
        return route.abort("blockedbyclient");
      });
      sent = [];
      const page = await context.newPage();
      page.on("console", (m) => m.type() === "error" && problems.push(`console error: ${m.text()}`));
      page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
      try {
        const response = await page.goto(`${server.origin}${path}`, { waitUntil: "load", timeout: 120_000 });
        if (!response || response.status() !== 200) problems.push(`HTTP ${response?.status() ?? "no response"}`);
        for (const e of await waitForRender(page, 120_000)) problems.push(`cell error: ${e}`);
      } catch (e) {
        problems.push((e as Error).message.split("\n")[0]);
      }
      await context.close();
      const bytes = Object.fromEntries(KINDS.map((k) => [k, 0])) as Record<TransferKind, number>;
      let gzip = 0;
      for (const { file, bytes: size, wire } of sent) {
        bytes[kindOf(file)] += size;
        gzip += wire;
      }
      const requests = sent.length;
      results.push({ path, requests, bytes, total: KINDS.reduce((s, k) => s + bytes[k], 0), gzip, problems });
    }
  } finally {
    await browser.close();
    await server.close();
  }
  return results;
}

const kb = (n: number) => (n / 1000).toLocaleString("en-US", { maximumFractionDigits: 0 });

/** The measurements as a Markdown table, sizes in kB (1000 bytes). */
export function transferTable(rows: PageTransfer[]): string {
  const head = ["页面", "请求数", "HTML", "JS", "CSS", "数据", "wasm", "其他", "文件合计 kB", "实际传输 kB（gzip）"];
  const lines = rows.map((r) =>
    [r.path, String(r.requests), ...KINDS.map((k) => kb(r.bytes[k])), kb(r.total), kb(r.gzip)]
  );
  const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const fmt = (cells: string[]) => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(" | ")} |`;
  return [fmt(head), `|${widths.map((w, i) => (i === 0 ? "-".repeat(w + 2) : `${"-".repeat(w + 1)}:`)).join("|")}|`, ...lines.map(fmt)].join("\n");
}

/** Every page of a built site as a clean URL (/, /causes, /units/ …), with one unit page standing for all of them. */
export function sitePages(dist: string): string[] {
  const html = readdirSync(dist, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith(".html") && e.name !== "404.html")
    .map((e) => "/" + relative(dist, join(e.parentPath, e.name)).split("\\").join("/"))
    .map((p) => p.replace(/(^|\/)index\.html$/, "$1").replace(/\.html$/, ""))
    .sort();
  const units = html.filter((p) => /^\/units\/[^/]+$/.test(p));
  return html.filter((p) => !/^\/units\/[^/]+$/.test(p) || p === units[0]);
}
