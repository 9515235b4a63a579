// Runs a command of pipeline/cli as one bundled ES module: `node pipeline/cli/run.mjs refresh --force` is
// `tsx pipeline/cli/refresh.ts --force`, started sooner. Through tsx every run compiled and resolved its hundred-odd
// TypeScript modules through tsx's loader thread before its first line (0.7 s for the refresh), and the audit's
// worker thread did the same again; esbuild bundles the same sources in about 0.1 s (docs/scale.md, "Commands run
// bundled"). What the bundle keeps as it was:
// - the packages stay imports, resolved from node_modules as before;
// - each module's import.meta.url is its own source file's, so the project root, the SQL files and the code digests
//   the caches are keyed on are those of a run through tsx (pipeline/io/config.ts, db/named-sql.ts, db/staging.ts…);
// - process.argv names the command's source file, as tsx's does.
// The audit's worker (pipeline/publish/audit-worker.ts) is bundled too and started from its bundle
// (audit-beside-build.ts · workerScript). Bundles are named by their content in node_modules/.cache/yipanqi-cli
// (YIPANQI_CLI_BUNDLES), so two runs at once write the same bytes under the same name (atomically) and a run never
// starts a stale bundle; those unused for a week are removed. Where they cannot be made (node_modules not writable
// by the account a schedule runs the refresh as, a full disk), the command runs through tsx, as before.
import { createHash } from "node:crypto";
import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
  writeSync
} from "node:fs";
import { join, relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build, stop } from "esbuild";

const PROJECT_ROOT = resolve(fileURLToPath(new URL(".", import.meta.url)), "../..");
const BUNDLE_DIR = resolve(PROJECT_ROOT, process.env.YIPANQI_CLI_BUNDLES ?? "node_modules/.cache/yipanqi-cli");
const WEEK_MS = 7 * 24 * 3600 * 1000;

/** Every project module's import.meta.url, written as its own file's address (packages are not bundled). */
const ownMetaUrl = {
  name: "own-import-meta-url",
  setup(b) {
    b.onLoad({ filter: /\.[cm]?[jt]s$/ }, (args) => {
      if (relative(PROJECT_ROOT, args.path).split(/[/\\]/).includes("node_modules")) return undefined;
      const source = readFileSync(args.path, "utf8");
      return {
        contents: source.replaceAll("import.meta.url", JSON.stringify(pathToFileURL(args.path).href)),
        loader: /\.[cm]?ts$/.test(args.path) ? "ts" : "js"
      };
    });
  }
};

/**
 * Bundles `entry` and returns the bundle's path, written once under the name of its content. Throws when esbuild
 * fails, when the bundle would still read import.meta (dirname, resolve…: only the url is rewritten), or when it
 * cannot be written.
 */
async function bundle(entry, define = {}) {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    define,
    // stack traces name the sources' files and lines (the map's paths are relative to the bundles' folder)
    sourcemap: "inline",
    sourcesContent: false,
    outfile: join(BUNDLE_DIR, "bundle.mjs"),
    plugins: [ownMetaUrl],
    logLevel: "silent" // a source that does not compile is told once, by tsx (below)
  });
  const bytes = result.outputFiles[0].contents;
  if (Buffer.from(bytes).includes("import.meta")) throw new Error("the bundle reads import.meta");
  const file = join(BUNDLE_DIR, `${createHash("sha256").update(bytes).digest("hex").slice(0, 32)}.mjs`);
  if (!sameBytes(file, bytes)) writeDurably(file, bytes); // absent, or cut short by a crash: written (again)
  try {
    utimesSync(file, new Date(), new Date()); // in use: not removed as unused
  } catch {
    /* a folder this account cannot write: the bundle is used all the same */
  }
  return file;
}

function sameBytes(file, bytes) {
  try {
    return Buffer.from(bytes).equals(readFileSync(file));
  } catch {
    return false;
  }
}

/**
 * Written to a temporary file, flushed to disk, then renamed: a bundle is whole or absent, even after a crash. Not the
 * store's writeFileAtomic (store.ts): this file runs before any TypeScript can be loaded, and a bundle is not personal
 * data to keep owner-only.
 */
function writeDurably(file, bytes) {
  mkdirSync(BUNDLE_DIR, { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  try {
    const fd = openSync(temp, "w");
    try {
      writeSync(fd, bytes);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, file);
  } finally {
    rmSync(temp, { force: true });
  }
}

/** Bundles not used for a week (and temp files a crash left) go. */
function removeUnused() {
  const now = Date.now();
  let names = [];
  try {
    names = readdirSync(BUNDLE_DIR);
  } catch {
    return;
  }
  for (const name of names) {
    const file = join(BUNDLE_DIR, name);
    try {
      if (now - statSync(file).mtimeMs > WEEK_MS) rmSync(file, { force: true });
    } catch {
      /* removed by another run meanwhile */
    }
  }
}

const [command, ...args] = process.argv.slice(2);
if (!command) {
  console.error("用法：node pipeline/cli/run.mjs <命令> [参数]（命令为 pipeline/cli 下的 refresh、ingest、site 等）");
  process.exit(2);
}
const entry = command.endsWith(".ts") ? resolve(command) : join(PROJECT_ROOT, "pipeline/cli", `${command}.ts`);
if (!existsSync(entry)) {
  const commands = readdirSync(join(PROJECT_ROOT, "pipeline/cli")).filter((f) => f.endsWith(".ts"));
  console.error(`没有命令 ${command}：可用的命令为 ${commands.map((f) => f.slice(0, -3)).join("、")}`);
  process.exit(2);
}
let main = null;
try {
  const worker = await bundle(join(PROJECT_ROOT, "pipeline/publish/audit-worker.ts"));
  main = await bundle(entry, { YIPANQI_AUDIT_WORKER: JSON.stringify(pathToFileURL(worker).href) });
  removeUnused();
} catch {
  // not bundled (the folder cannot be written, or esbuild failed): tsx runs the command, and says what is wrong with
  // a source file that does not compile
} finally {
  await stop(); // esbuild's service process is not kept for the command's whole run
}
process.argv = [process.argv[0], entry, ...args];
if (main) {
  process.setSourceMapsEnabled(true);
  await import(pathToFileURL(main).href);
} else {
  (await import("tsx/esm/api")).register(); // as `node --import tsx` does
  await import(pathToFileURL(entry).href);
}
