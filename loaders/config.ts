// Where things live. Every path can be moved by an environment variable, so tests, benchmarks and a steward's
// server can point the same code at another data folder or store (shared or object storage mounted as a folder).
import { isAbsolute, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const PROJECT_ROOT = resolve(fileURLToPath(new URL(".", import.meta.url)), "..");

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
}

export function paths(): Paths {
  const dataDir = fromEnv("YIPANQI_DATA", join(PROJECT_ROOT, "data"));
  return {
    dataDir,
    codebook: fromEnv("YIPANQI_CODEBOOK", join(dataDir, "codebook.json")),
    roster: join(dataDir, "roster.csv"),
    indicators: join(dataDir, "indicators.json"),
    surveys: join(dataDir, "surveys"),
    assessmentScores: join(dataDir, "assessment", "scores.csv"),
    store: fromEnv("YIPANQI_STORE", join(dataDir, "store"))
  };
}
