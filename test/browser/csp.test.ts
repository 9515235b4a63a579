// The site works under its Content-Security-Policy (pipeline/site/csp.ts, sent by the test server as nginx sends it):
// every page here loads and draws with no policy violation, and a request to another origin is refused by the
// browser itself. (Every other browser test runs under the same header, so a violation there is a console error.)
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { CONTENT_SECURITY_POLICY } from "../../pipeline/site/csp.ts";
import { openSession, type Session } from "./browser.ts";
import { serveStatic, type StaticServer } from "./server.ts";

const dist = inject("distDir");
let server: StaticServer;
let session: Session;

beforeAll(async () => {
  server = await serveStatic(dist);
  session = await openSession(server.origin);
  // Collect every violation the page reports, from the first script on.
  await session.context.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __violations: string[] }).__violations = seen;
    document.addEventListener("securitypolicyviolation", (e) => seen.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
});

afterAll(async () => {
  await session?.close();
  await server?.close();
});

const violations = () => session.page.evaluate(() => (window as unknown as { __violations: string[] }).__violations);

describe("the Content-Security-Policy", () => {
  for (const [path, ready] of [
    ["/", ".index-card"],
    ["/causes", ".score-bars"],
    ["/trends", ".trend-card svg"],
    ["/methods", "#observablehq-main h2"],
    ["/explore", ".result-chart"]
  ])
    it(`lets ${path} load and draw without a violation`, async () => {
      const response = await session.page.goto(`${server.origin}${path}`, { waitUntil: "load" });
      expect(response?.headers()["content-security-policy"]).toBe(CONTENT_SECURITY_POLICY);
      await session.page.waitForSelector(ready, { timeout: 60_000 });
      await session.page.waitForLoadState("networkidle");
      expect(await violations()).toEqual([]);
    });

  it("makes the browser refuse a request to another origin", async () => {
    await session.page.goto(`${server.origin}/`, { waitUntil: "load" });
    const outcome = await session.page.evaluate(() =>
      fetch("http://127.0.0.2:9/leak?x=1").then(
        () => "sent",
        () => "refused"
      )
    );
    expect(outcome).toBe("refused");
    await expect
      .poll(violations)
      .toEqual(expect.arrayContaining([expect.stringMatching(/^connect-src http:\/\/127\.0\.0\.2:9/)]));
  });
});
