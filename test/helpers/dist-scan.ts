// Scans a built site (dist/) for anything respondent-level and for cells about too few respondents, and reads each
// page's module graph (to keep DuckDB-wasm off the leaders' pages). Used by test/browser/anonymity-scan.test.ts on
// the real build and by test/site/dist-scan.test.ts on planted files, so that the scan is seen to fail.
//
// What counts as respondent-level (a finding):
//   respondent_id  a store respondent id `<12+ hex>-<serial>` anywhere;
//   ip             an IPv4 address in a data file (.json .arrow .csv), or one of the known respondents' IPs anywhere;
//   timestamp      a 问卷星 submission time (`2019/10/12 9:31:05`) anywhere, or a known submission time in ISO form;
//   open_text      a known open-text answer (e.g. from the seeded truth) anywhere;
//   field          a respondent-level field name (respondent_id, submitted_at, ip, 序号, 来自IP …) in a data file;
//   small_cell     an object (JSON value or Arrow/CSV row) with a numeric n below minGroupSize that is not
//                  suppressed, or a suppressed one that still carries a statistic.
import { readdirSync, readFileSync, existsSync } from "node:fs";
import { dirname, extname, join, posix, relative, sep } from "node:path";
import { tableFromIPC } from "apache-arrow";
import { parseCsvText } from "../../pipeline/io/csv.ts";

export interface ScanRules {
  minGroupSize: number;
  /** Open-text answers that must never be published (only those of 4 characters or more are searched). */
  openTexts?: Iterable<string>;
  /** Respondents' IP addresses (searched in every file, code included). */
  ips?: Iterable<string>;
  /** Submission times, as `YYYY-MM-DD HH:MM:SS` (searched in ISO form, with T or a space, in every file). */
  submissionTimes?: Iterable<string>;
  /** The hex part of the store's respondent ids (`<file sha, 12 hex>-<serial>`, see the store's manifest). */
  idPrefixes?: Iterable<string>;
}

export type FindingKind = "respondent_id" | "ip" | "timestamp" | "open_text" | "field" | "small_cell";

export interface Finding {
  file: string;
  kind: FindingKind;
  detail: string;
}

export const SCANNED_EXTENSIONS = [".json", ".arrow", ".html", ".js", ".csv"];
const DATA_EXTENSIONS = new Set([".json", ".arrow", ".csv"]);

const RESPONDENT_ID = /(?<![0-9a-z.])([0-9a-f]{12,64})-\d{1,7}(?![\d.])/g;
/** A float literal in code (5395239384953e-18) looks like a hex id followed by a serial. */
const FLOAT_LITERAL = /^\d+e$/;
const IPV4 = /(?<![\d.])(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)(?![\d.])/g;
const WJX_TIME = /(?<!\d)(?:19|20)\d{2}\/\d{1,2}\/\d{1,2} {1,2}\d{1,2}:\d{2}(?::\d{2})?(?!\d)/g;
const ISO_TIME = /(?<!\d)(?:19|20)\d{2}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}/g;
/** Addresses that are not anyone's: loopback, unspecified, and the like. */
const NOT_PERSONAL_IPS = new Set(["127.0.0.1", "0.0.0.0", "255.255.255.255"]);
/** Field names that only a respondent-level row has. */
const RESPONDENT_FIELDS = new Set(
  [
    "respondent_id",
    "respondentid",
    "submitted_at",
    "submittedat",
    "source_row",
    "sourcerow",
    "duration_s",
    "ip",
    "ip_address",
    "serial",
    "序号",
    "提交答卷时间",
    "所用时间",
    "来自ip",
    "来源详情"
  ].map((k) => k.toLowerCase())
);
/** Keys that hold a statistic about the group (must be null when the group is suppressed). */
const STATISTIC =
  /^(n|mean|sd|se|median|min|max|ci_?low|ci_?high|index(_?change)?|counts?|share|.*_share|.*Share|agree_?(low|high|share)|rate(_?(low|high))?|change(_?(low|high|p))?|changeLow|changeHigh|changeP|alpha|r|beta|p)$/;

/** "YYYY-MM-DD HH:MM:SS" from a 问卷星 time "2019/10/8 7:19:17". */
export function isoSecond(wjx: string): string {
  const m = wjx.trim().match(/^(\d{4})[/-](\d{1,2})[/-](\d{1,2})[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?/);
  if (!m) return wjx;
  const p = (s: string | undefined) => (s ?? "00").padStart(2, "0");
  return `${m[1]}-${p(m[2])}-${p(m[3])} ${p(m[4])}:${p(m[5])}:${p(m[6])}`;
}

interface CompiledRules {
  minGroupSize: number;
  openTexts: string[];
  ips: Set<string>;
  times: Set<string>;
  idPrefixes: string[];
}

function compile(rules: ScanRules): CompiledRules {
  return {
    minGroupSize: rules.minGroupSize,
    openTexts: [...new Set([...(rules.openTexts ?? [])].map((t) => t.trim()).filter((t) => [...t].length >= 4))],
    ips: new Set([...(rules.ips ?? [])].map((ip) => ip.match(/\d+\.\d+\.\d+\.\d+/)?.[0] ?? ip)),
    times: new Set([...(rules.submissionTimes ?? [])].map(isoSecond)),
    idPrefixes: [...(rules.idPrefixes ?? [])].map((p) => p.toLowerCase())
  };
}

const clip = (s: string) => (s.length > 80 ? `${s.slice(0, 77)}…` : s);

/** Pattern and known-value checks on a file's text (any file type). */
function scanText(file: string, text: string, data: boolean, rules: CompiledRules): Finding[] {
  const found: Finding[] = [];
  const add = (kind: FindingKind, detail: string) => found.push({ file, kind, detail: clip(detail) });
  for (const m of text.matchAll(RESPONDENT_ID))
    if (!FLOAT_LITERAL.test(m[1]) || rules.idPrefixes.some((p) => m[1].startsWith(p))) add("respondent_id", m[0]);
  for (const m of text.matchAll(IPV4))
    if ((data && !NOT_PERSONAL_IPS.has(m[0])) || rules.ips.has(m[0])) add("ip", m[0]);
  for (const m of text.matchAll(WJX_TIME)) add("timestamp", m[0]);
  for (const m of text.matchAll(ISO_TIME)) if (rules.times.has(m[0].replace("T", " "))) add("timestamp", m[0]);
  for (const t of rules.openTexts) if (text.includes(t)) add("open_text", t);
  return found;
}

/** Checks every object in a JSON value (or every row of a table) for small cells and respondent-level fields. */
function scanRecords(file: string, value: unknown, rules: CompiledRules): Finding[] {
  const found: Finding[] = [];
  const fields = new Set<string>();
  const walk = (v: unknown, path: string) => {
    if (Array.isArray(v)) {
      v.forEach((x, i) => walk(x, `${path}[${i}]`));
      return;
    }
    if (v === null || typeof v !== "object") return;
    const o = v as Record<string, unknown>;
    for (const key of Object.keys(o)) if (RESPONDENT_FIELDS.has(key.toLowerCase())) fields.add(key);
    if (typeof o.n === "number" && o.n < rules.minGroupSize && o.suppressed !== true)
      found.push({
        file,
        kind: "small_cell",
        detail: `${path || "(root)"}: n = ${o.n} < ${rules.minGroupSize}, not suppressed`
      });
    if (o.suppressed === true) {
      const leaked = Object.keys(o).filter((k) => STATISTIC.test(k) && o[k] !== null && o[k] !== undefined);
      if (leaked.length)
        found.push({
          file,
          kind: "small_cell",
          detail: `${path || "(root)"}: suppressed but carries ${leaked.join(", ")}`
        });
    }
    for (const [k, x] of Object.entries(o)) if (x !== null && typeof x === "object") walk(x, `${path}.${k}`);
  };
  walk(value, "");
  for (const f of fields) found.push({ file, kind: "field", detail: `respondent-level field "${f}"` });
  return found;
}

/** Arrow IPC (stream or file) → rows of plain values (big integers as numbers). */
export function arrowRows(bytes: Uint8Array): Record<string, unknown>[] {
  const table = tableFromIPC(bytes);
  const names = table.schema.fields.map((f) => f.name);
  return table.toArray().map((row) => {
    const o = row.toJSON() as Record<string, unknown>;
    for (const k of names) if (typeof o[k] === "bigint") o[k] = Number(o[k]);
    return o;
  });
}

function csvRows(text: string): Record<string, unknown>[] {
  const [header = [], ...rows] = parseCsvText(text.replace(/^\uFEFF/, ""));
  const value = (s: string) =>
    s !== "" && Number.isFinite(Number(s))
      ? Number(s)
      : s === ""
        ? null
        : s === "true"
          ? true
          : s === "false"
            ? false
            : s;
  return rows.map((r) => Object.fromEntries(header.map((h, i) => [h, value(r[i] ?? "")])));
}

/** Findings in one file, by its extension. */
export function scanFile(file: string, bytes: Uint8Array, rules: ScanRules | CompiledRules): Finding[] {
  const compiled = "times" in rules ? rules : compile(rules);
  const ext = extname(file).toLowerCase();
  if (ext === ".arrow") {
    const rows = arrowRows(bytes);
    // The rows' values as text too, so that the text rules see the strings (ids, times, open text) inside the table.
    return [...scanText(file, JSON.stringify(rows), true, compiled), ...scanRecords(file, rows, compiled)];
  }
  const text = Buffer.from(bytes).toString("utf8");
  const found = scanText(file, text, DATA_EXTENSIONS.has(ext), compiled);
  if (ext === ".json") {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return [...found, { file, kind: "field", detail: "not valid JSON: cannot check its cells" }];
    }
    found.push(...scanRecords(file, value, compiled));
  }
  if (ext === ".csv") found.push(...scanRecords(file, csvRows(text), compiled));
  return found;
}

/** Every file under dir (paths relative to it, with forward slashes). */
export function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)).split(sep).join("/"))
    .sort();
}

/** Scans every .json, .arrow, .html, .js and .csv file of a built site. */
export function scanDist(dist: string, rules: ScanRules): { files: string[]; findings: Finding[] } {
  const compiled = compile(rules);
  const files = listFiles(dist).filter((f) => SCANNED_EXTENSIONS.includes(extname(f).toLowerCase()));
  return { files, findings: files.flatMap((f) => scanFile(f, readFileSync(join(dist, f)), compiled)) };
}

// ---- module graphs ----

const STATIC_IMPORT = /\b(?:import|export)\s*(?:[\w*${}\s,]+?\s*from\s*)?["']([^"']+)["']/g;
const DYNAMIC_IMPORT = /\bimport\s*\(\s*["']([^"']+)["']\s*\)/g;
const MODULEPRELOAD = /<link\b[^>]*\brel=["']?modulepreload["']?[^>]*\bhref=["']([^"']+)["']/gi;
const SCRIPT_SRC = /<script\b[^>]*\bsrc=["']([^"']+)["']/gi;
const INLINE_MODULE = /<script\b[^>]*type=["']module["'][^>]*>([\s\S]*?)<\/script>/gi;

export interface ModuleReference {
  /** Path relative to dist, e.g. _node/@duckdb/duckdb-wasm@1.32.0/index.e8ca9772.js. */
  path: string;
  /** Whether the file is in dist (the client's lazy imports of libraries no page uses point nowhere). */
  exists: boolean;
  /** Reached only through dynamic import() (loaded when a cell runs it). */
  dynamic: boolean;
  /** The file that references it. */
  from: string;
}

function resolveRef(from: string, spec: string): string | null {
  if (/^[a-z]+:|^\/\//i.test(spec)) return null; // another origin or a data: URL; dist-offline.test.ts checks those
  const path = spec.startsWith("/") ? spec.slice(1) : posix.join(posix.dirname(from), spec);
  return posix.normalize(path.split(/[?#]/)[0]);
}

/**
 * Every module a page can load: its modulepreloads, script src, and the static and dynamic imports of its inline
 * module scripts, then recursively the imports of every module found that exists in dist.
 */
export function moduleGraph(dist: string, page: string): ModuleReference[] {
  const refs = new Map<string, ModuleReference>();
  const queue: string[] = [];
  const add = (from: string, spec: string, dynamic: boolean) => {
    const path = resolveRef(from, spec);
    if (!path || refs.has(path)) return;
    const exists = existsSync(join(dist, path));
    refs.set(path, { path, exists, dynamic, from });
    if (exists && /\.m?js$/.test(path)) queue.push(path);
  };
  const html = readFileSync(join(dist, page), "utf8");
  for (const m of html.matchAll(MODULEPRELOAD)) add(page, m[1], false);
  for (const m of html.matchAll(SCRIPT_SRC)) add(page, m[1], false);
  for (const m of html.matchAll(INLINE_MODULE)) {
    for (const i of m[1].matchAll(STATIC_IMPORT)) add(page, i[1], false);
    // A page's cells import their modules with import(): for the page itself these are its modules.
    for (const i of m[1].matchAll(DYNAMIC_IMPORT)) add(page, i[1], false);
  }
  while (queue.length) {
    const file = queue.shift()!;
    const js = readFileSync(join(dist, file), "utf8");
    for (const i of js.matchAll(STATIC_IMPORT)) add(file, i[1], false);
    for (const i of js.matchAll(DYNAMIC_IMPORT)) add(file, i[1], true);
  }
  return [...refs.values()];
}

/** What of DuckDB-wasm a page loads or names: its HTML's mentions and the duckdb modules/wasm in its module graph. */
export function duckdbOnPage(dist: string, page: string): string[] {
  const html = readFileSync(join(dist, page), "utf8");
  const found: string[] = [];
  if (/duckdb/i.test(html)) found.push(`${page} mentions duckdb`);
  for (const r of moduleGraph(dist, page)) {
    if (!/duckdb|\.wasm$/i.test(r.path)) continue;
    // A lazy import() of a file that is not in dist cannot load (Framework's client names every library it could offer).
    if (r.dynamic && !r.exists) continue;
    found.push(`${r.path} (from ${r.from})`);
  }
  return found;
}

/** The pages of a built site: every .html file except 404.html. */
export function pagesOf(dist: string): string[] {
  return listFiles(dist).filter((f) => f.endsWith(".html") && f !== "404.html" && dirname(f) !== "_observablehq");
}
