// Launches Debian's chromium through playwright-core with a fresh profile, and records what a test must
// check on every page: console errors, uncaught page errors, and every request to another origin than the
// local server (those are also aborted, so a test never reaches the network).
import type { BrowserContext, Page } from "playwright-core";
import { CHROMIUM, CHROMIUM_ARGS, launchFreshProfile } from "../../pipeline/site/chromium.ts";

export { CHROMIUM, CHROMIUM_ARGS };

export interface Session {
  context: BrowserContext;
  page: Page;
  consoleErrors: string[];
  pageErrors: string[];
  outsideRequests: string[];
  close(): Promise<void>;
}

export async function openSession(origin: string, size: { width?: number; height?: number } = {}): Promise<Session> {
  const { context, page, close } = await launchFreshProfile(size);
  const consoleErrors: string[] = [];
  const pageErrors: string[] = [];
  const outsideRequests: string[] = [];
  await context.route("**/*", (route) => {
    const url = route.request().url();
    if (isLocal(url, origin)) return route.continue();
    outsideRequests.push(url);
    return route.abort("blockedbyclient");
  });
  context.on("request", (request) => {
    const url = request.url();
    if (!isLocal(url, origin) && !outsideRequests.includes(url)) outsideRequests.push(url);
  });
  page.on("console", (message) => {
    if (message.type() === "error") consoleErrors.push(`${message.text()} @ ${message.location().url}`);
  });
  page.on("pageerror", (error) => pageErrors.push(String(error?.stack ?? error)));
  return { context, page, consoleErrors, pageErrors, outsideRequests, close };
}

/** Same origin as the server, or a URL that never touches the network (data:, blob:, about:). */
function isLocal(url: string, origin: string): boolean {
  if (/^(data|blob|about):/.test(url)) return true;
  try {
    return new URL(url).origin === origin;
  } catch {
    return false;
  }
}
