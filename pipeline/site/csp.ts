// The Content-Security-Policy the published site runs under: defence in depth for respondents' anonymity. Nothing on
// a page may load from, or send to, another origin (connect-src, script-src, img-src 'self'), so even an injected
// script could not carry a figure away; no plugin, no framing by another site, no form posting elsewhere.
// Inline scripts stay allowed because every Framework page is one inline module; 'wasm-unsafe-eval' and blob: workers
// are what DuckDB-wasm needs on /explore. deploy/nginx/yipanqi.conf sends exactly this header (test/site/csp.test.ts),
// and so does the test server (pipeline/site/serve.ts), so the browser tests see every page work under it.
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'unsafe-inline' 'wasm-unsafe-eval'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'"
].join("; ");
