// Debian's chromium through playwright-core, for the command-line tools that drive a browser (npm run pdf, the
// transfer-size report): the same executable and flags as the browser tests (test/browser/browser.ts), a fresh
// profile, and every request to another origin aborted and recorded (the site must request nothing from elsewhere).
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";

export const CHROMIUM = process.env.YIPANQI_CHROMIUM ?? "/usr/bin/chromium";
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync"
];

export interface BrowserSession {
  context: BrowserContext;
  page: Page;
  /** Console errors, uncaught page errors and blocked requests to another origin, since the session opened. */
  problems: string[];
  close(): Promise<void>;
}

/** Chromium with a fresh profile (removed on close) and its first page: the start of every browser session. */
export async function launchFreshProfile({ width = 1280, height = 900 } = {}): Promise<{ context: BrowserContext; page: Page; close(): Promise<void> }> {
  const userDataDir = await mkdtemp(join(tmpdir(), "yipanqi-chromium-"));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width, height },
    locale: "zh-CN",
    timezoneId: "Asia/Shanghai"
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    async close() {
      await context.close();
      await rm(userDataDir, { recursive: true, force: true });
    }
  };
}

export async function openBrowser(origin: string, size: { width?: number; height?: number } = {}): Promise<BrowserSession> {
  const { context, page, close } = await launchFreshProfile(size);
  const problems: string[] = [];
  await context.route("**/*", (route) => {
    const url = route.request().url();
    if (/^(data|blob|about):/.test(url) || new URL(url).origin === origin) return route.continue();
    problems.push(`向其他站点的请求已拦截：${url}`);
    return route.abort("blockedbyclient");
  });
  page.on("console", (m) => m.type() === "error" && problems.push(`控制台错误：${m.text()}`));
  page.on("pageerror", (e) => problems.push(`页面错误：${e.message}`));
  return { context, page, problems, close };
}

/**
 * Waits until a Framework page has rendered: the network is idle, every cell has displayed (no
 * <observablehq-loading> placeholder left), the fonts are loaded, and resize() charts have had two frames to draw.
 * Returns the messages of the cells that failed (Framework shows them in place of the cell).
 */
export async function waitForRender(page: Page, timeout = 60_000): Promise<string[]> {
  await page.waitForLoadState("networkidle", { timeout });
  await page.waitForFunction(() => document.querySelectorAll("observablehq-loading").length === 0, null, { timeout });
  await page.evaluate(async () => {
    await document.fonts.ready;
    await new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok)));
  });
  await page.waitForLoadState("networkidle", { timeout });
  return page.$$eval(".observablehq--error", (nodes) => nodes.map((n) => n.textContent ?? "").filter(Boolean));
}
