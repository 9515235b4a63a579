// npm run refresh -- [--inbox DIR] [--site DIR] [--force] [--quiet]
// Ingests what is new in the inbox (default data/surveys), re-runs only the data loaders whose inputs changed, builds
// into site/builds/<time> and switches site/current to it atomically. When only the data changed, the build is the
// published pages with the new data files swapped in (pipeline/site/data-swap.ts); --force builds even when nothing
// changed, always with Framework. The log goes to data/refresh.log and stdout.
// Exit codes: 0 published or nothing new · 1 published, but rows were quarantined or files refused · 2 codebook or
// roster invalid, or no answers at all (a fresh clone: no export in the inbox, an empty store — said in one line;
// the seeded sample is never published) · 3 a lock is held: another refresh, ingest or build, one on another machine,
// or a takeover under way (the log says which, and what to delete) · 4 store not writable (left as it was) · 5 build
// failed · 6 the site folder cannot be written (disk full, no permission). In every failure the published site stays
// as it was.
import { parseArgs } from "node:util";
import { paths } from "../io/config.ts";
import { refresh } from "../refresh/refresh.ts";

const { values } = parseArgs({
  options: {
    inbox: { type: "string" },
    site: { type: "string" },
    force: { type: "boolean", default: false },
    quiet: { type: "boolean", default: false }
  }
});
const p = paths();
const result = await refresh({
  inbox: values.inbox ?? p.inbox,
  siteRoot: values.site ?? p.site,
  logFile: p.refreshLog,
  force: values.force,
  echo: values.quiet ? undefined : (line) => console.log(line)
});
process.exitCode = result.code;
