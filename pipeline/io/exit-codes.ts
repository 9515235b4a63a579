// Every exit code of the command-line tools, in one place (docs/stewards.md's tables say what they mean to a steward).
// The codes of one command are distinct; the same number may mean a different thing for another command, because a
// steward's scripts already test them. 0 is always success and 2 always "fix your input or command line".

/** `npm run ingest` */
export const INGEST_EXIT = {
  ok: 0,
  /** Every file read; some rows quarantined (listed, kept in the store's quarantine/). */
  rowsQuarantined: 1,
  /** Wrong arguments, or the codebook or roster is invalid: nothing ingested. */
  usage: 2,
  /** At least one whole file refused (wrong questionnaire, unreadable, ambiguous wave …). */
  fileRefused: 3,
  /** The store could not be written: it is left as it was. */
  storeFailed: 4
} as const;

/** `npm run refresh` */
export const REFRESH_EXIT = {
  ok: 0,
  /** Published; some rows or files were rejected at ingest. */
  publishedWithRejects: 1,
  /** Codebook or roster invalid, or no answers at all to publish. */
  config: 2,
  /** Another refresh or build holds the lock. */
  locked: 3,
  storeFailed: 4,
  buildFailed: 5,
  publishFailed: 6,
  /** The disclosure audit found a figure that could identify respondents: nothing published. */
  auditRefused: 7
} as const;

/** `npm run build` / `npm run dev`; any other code is Framework's own failure, passed through. */
export const BUILD_EXIT = {
  ok: 0,
  /** Wrong arguments, or the codebook or roster is invalid. */
  config: 2,
  /** Preparing the store (ingesting data/surveys) failed: the store is left as it was. */
  storeFailed: 4,
  /** A data file's mart or contract failed (the message names the file): dist/ left as it was. */
  dataFileFailed: 5,
  /** The disclosure audit found a figure that could identify respondents: dist/ left as it was. */
  auditRefused: 7
} as const;
