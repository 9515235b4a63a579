// A small static server for a built site on 127.0.0.1 and a random port, with Framework's clean URLs
// (/causes → causes.html, / and /dir/ → index.html; anything else 404, dist/404.html when it exists).
// Text is sent gzip-compressed (level 6) to a browser that accepts it, as nginx with `gzip on` does (deploy/nginx.conf):
// what a leader's browser transfers is what this server sends. Every response carries the site's Content-Security-Policy
// (csp.ts), as nginx sends it, so that pages tested here are tested under it.
// Used by `npm run pdf` and the transfer-size report; test/browser/server.ts is the same server for the tests.
import { createReadStream } from "node:fs";
import { createGzip } from "node:zlib";
import { stat } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join, normalize, resolve, sep } from "node:path";
import { CONTENT_SECURITY_POLICY } from "./csp.ts";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".csv": "text/csv; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".woff2": "font/woff2",
  ".wasm": "application/wasm",
  ".parquet": "application/vnd.apache.parquet",
  ".arrow": "application/vnd.apache.arrow.stream"
};

export interface StaticServer {
  origin: string;
  close(): Promise<void>;
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/** The file a URL path maps to, or null. Never leaves root. */
export async function resolveCleanUrl(root: string, pathname: string): Promise<string | null> {
  let path: string;
  try {
    path = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  const base = resolve(root);
  const target = normalize(join(base, path));
  if (target !== base && !target.startsWith(base + sep)) return null;
  const candidates = path.endsWith("/") ? [join(target, "index.html")] : extname(path) ? [target] : [`${target}.html`, join(target, "index.html")];
  for (const c of candidates) if (await isFile(c)) return c;
  return null;
}

export interface ServeOptions {
  /**
   * Called for every file sent (GET) once the response is complete, with the URL path, the file, its size on disk and
   * the bytes of body actually sent (after compression): what the browser transferred.
   */
  onSend?: (urlPath: string, file: string, bytes: number, sentBytes: number) => void;
}

/** Types worth compressing: text, JSON, JavaScript, Arrow, SVG (not images, fonts or WebAssembly, as nginx's gzip_types). */
const COMPRESSED = /^(text\/|application\/(json|vnd\.apache\.arrow)|image\/svg)/;

export async function serveStatic(root: string, { onSend }: ServeOptions = {}): Promise<StaticServer> {
  const server: Server = createServer(async (req, res) => {
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405).end();
      return;
    }
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const file = await resolveCleanUrl(root, url.pathname);
    const path = file ?? (await resolveCleanUrl(root, "/404"));
    if (!path) {
      res.writeHead(404, { "content-type": "text/plain; charset=utf-8" }).end("not found");
      return;
    }
    const type = TYPES[extname(path)] ?? "application/octet-stream";
    const gzip = COMPRESSED.test(type) && /\bgzip\b/.test(String(req.headers["accept-encoding"] ?? ""));
    res.writeHead(file ? 200 : 404, {
      "content-type": type,
      "cache-control": "no-store",
      "content-security-policy": CONTENT_SECURITY_POLICY,
      ...(gzip ? { "content-encoding": "gzip", vary: "Accept-Encoding" } : {})
    });
    if (req.method === "HEAD") {
      res.end();
      return;
    }
    const size = (await stat(path)).size;
    let sent = 0;
    const body = gzip ? createReadStream(path).pipe(createGzip({ level: 6 })) : createReadStream(path);
    body.on("data", (chunk: Buffer) => (sent += chunk.length));
    res.on("finish", () => onSend?.(url.pathname, path, size, sent));
    body.pipe(res);
  });
  await new Promise<void>((ok, fail) => {
    server.once("error", fail);
    server.listen(0, "127.0.0.1", () => ok());
  });
  const { port } = server.address() as AddressInfo;
  return { origin: `http://127.0.0.1:${port}`, close: () => new Promise<void>((ok) => server.close(() => ok())) };
}
