// Where things live. Every path can be moved by an environment variable, so tests, benchmarks and a steward's
// server can point the same code at another data folder or store (shared or object storage mounted as a folder).
import { isAbsolute, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const PROJECT_ROOT = resolve(fileURLToPath(new URL(".", import.meta.url)), "../..");

function fromEnv(name: string, fallback: string): string {
  const value = process.env[name];
  if (!value) return fallback;
  return isAbsolute(value) ? value : resolve(process.cwd(), value);
}

export interface Paths {
  dataDir: string;
  codebook: string;
  roster: string;
  indicators: string;
  surveys: string;
  assessmentScores: string;
  store: string;
  /** The steward's drop folder that `npm run refresh` ingests (default: data/surveys). */
  inbox: string;
  /** Published site: site/current → builds/<id> (npm run refresh). */
  site: string;
  refreshLog: string;
}

/** Held around every build of this tree (Framework's loader cache under src/.observablehq is shared). */
export const BUILD_LOCK = join(PROJECT_ROOT, "src", ".observablehq", "build.lock");

export function paths(): Paths {
  const dataDir = fromEnv("YIPANQI_DATA", join(PROJECT_ROOT, "data"));
  return {
    dataDir,
    codebook: fromEnv("YIPANQI_CODEBOOK", join(dataDir, "codebook.json")),
    roster: join(dataDir, "roster.csv"),
    indicators: join(dataDir, "indicators.json"),
    surveys: join(dataDir, "surveys"),
    assessmentScores: join(dataDir, "assessment", "scores.csv"),
    store: fromEnv("YIPANQI_STORE", join(dataDir, "store")),
    inbox: fromEnv("YIPANQI_INBOX", join(dataDir, "surveys")),
    site: fromEnv("YIPANQI_SITE", join(PROJECT_ROOT, "site")),
    refreshLog: fromEnv("YIPANQI_REFRESH_LOG", join(dataDir, "refresh.log"))
  };
}
