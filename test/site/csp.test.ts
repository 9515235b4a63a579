// The Content-Security-Policy is one string (pipeline/site/csp.ts): the nginx example sends exactly it, the test server
// sends it on every response, and it keeps every page to its own origin.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CONTENT_SECURITY_POLICY } from "../../pipeline/site/csp.ts";
import { serveStatic } from "../../pipeline/site/serve.ts";
import { tempDir } from "../helpers/mini-exports.ts";

describe("the Content-Security-Policy", () => {
  it("is the one deploy/nginx/yipanqi.conf sends", () => {
    const conf = readFileSync(new URL("../../deploy/nginx/yipanqi.conf", import.meta.url), "utf8");
    const sent = conf.match(/add_header Content-Security-Policy "([^"]+)" always;/);
    expect(sent?.[1]).toBe(CONTENT_SECURITY_POLICY);
  });

  it("allows nothing from or to another origin, no plugins and no framing", () => {
    const directives = new Map(CONTENT_SECURITY_POLICY.split("; ").map((d) => [d.split(" ")[0], d.split(" ").slice(1)]));
    for (const name of ["default-src", "script-src", "style-src", "img-src", "font-src", "connect-src", "worker-src"])
      for (const source of directives.get(name)!) expect(source, `${name} ${source}`).toMatch(/^('self'|'unsafe-inline'|'wasm-unsafe-eval'|data:|blob:)$/);
    expect(directives.get("connect-src")).toEqual(["'self'"]);
    expect(directives.get("object-src")).toEqual(["'none'"]);
    expect(directives.get("frame-ancestors")).toEqual(["'none'"]);
    expect(CONTENT_SECURITY_POLICY).not.toContain(" 'unsafe-eval'");
  });

  it("is sent by the static server the browser tests use", async () => {
    const root = tempDir("yipanqi-csp-");
    writeFileSync(join(root, "index.html"), "<!doctype html><p>一盘棋</p>");
    const server = await serveStatic(root);
    try {
      const response = await fetch(`${server.origin}/`);
      expect(response.headers.get("content-security-policy")).toBe(CONTENT_SECURITY_POLICY);
    } finally {
      await server.close();
    }
  });
});
