// The static server the pdf and size reports use compresses text like nginx's `gzip on` and reports the bytes it
// actually sent: the transfer figures of the leaders' pages are bytes on the wire, not an estimate.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serveStatic, type StaticServer } from "../../pipeline/site/serve.ts";
import { tempDir } from "../helpers/mini-exports.ts";

let root: string;
let server: StaticServer;
const sent: { url: string; bytes: number; wire: number }[] = [];
const json = JSON.stringify(Array.from({ length: 2000 }, (_, i) => ({ wave: 2019 + (i % 7), mean: 3.5, n: i })));

beforeAll(async () => {
  root = tempDir("yipanqi-serve-");
  mkdirSync(join(root, "_file"), { recursive: true });
  writeFileSync(join(root, "causes.html"), "<!doctype html><title>原因剖析</title>" + "<p>原因</p>".repeat(500));
  writeFileSync(join(root, "_file", "data.json"), json);
  writeFileSync(join(root, "_file", "engine.wasm"), Buffer.alloc(4096, 7));
  // a unit's address and its data file, as pipeline/site/unit-reports.ts writes them beside Framework's build
  mkdirSync(join(root, "units"));
  writeFileSync(join(root, "units", "U001.html"), "<!doctype html><title>单位</title>");
  mkdirSync(join(root, "_file", "data", "units"), { recursive: true });
  writeFileSync(join(root, "_file", "data", "units", "U001.json"), '{"unit":{"code":"U001"}}');
  server = await serveStatic(root, { onSend: (url, _file, bytes, wire) => sent.push({ url, bytes, wire }) });
});
afterAll(() => server.close());

const get = (path: string, headers: Record<string, string> = {}) =>
  new Promise<{ status: number; encoding: string | undefined; body: Buffer }>((resolve, reject) => {
    // node's fetch always decompresses; the raw socket shows what was sent
    import("node:http").then(({ get }) =>
      get(`${server.origin}${path}`, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, encoding: res.headers["content-encoding"], body: Buffer.concat(chunks) }));
      }).on("error", reject)
    );
  });

describe("serveStatic", () => {
  it("sends text gzip-compressed to a browser that accepts it, and counts the compressed bytes", async () => {
    const r = await get("/_file/data.json", { "accept-encoding": "gzip, deflate, br" });
    expect(r.status).toBe(200);
    expect(r.encoding).toBe("gzip");
    expect(gunzipSync(r.body).toString()).toBe(json);
    await new Promise((ok) => setTimeout(ok, 50));
    const record = sent.find((s) => s.url === "/_file/data.json")!;
    expect(record.bytes).toBe(Buffer.byteLength(json));
    expect(record.wire).toBe(r.body.length);
    expect(record.wire).toBeLessThan(record.bytes / 5);
  });

  it("sends as is without Accept-Encoding, and never compresses WebAssembly", async () => {
    const plain = await get("/causes");
    expect(plain.encoding).toBeUndefined();
    expect(plain.body.toString()).toContain("原因剖析");
    const wasm = await get("/_file/engine.wasm", { "accept-encoding": "gzip" });
    expect(wasm.encoding).toBeUndefined();
    expect(wasm.body.length).toBe(4096);
  });

  it("serves a unit's page at its clean address and with .html, and its unhashed data file; 404 for an unknown unit", async () => {
    for (const path of ["/units/U001", "/units/U001.html"]) {
      const page = await get(path);
      expect([path, page.status]).toEqual([path, 200]);
      expect(page.body.toString()).toContain("<title>单位</title>");
    }
    expect((await get("/_file/data/units/U001.json")).body.toString()).toContain('"U001"');
    expect((await get("/units/U999")).status).toBe(404);
    expect((await get("/_file/data/units/U999.json")).status).toBe(404);
  });
});
