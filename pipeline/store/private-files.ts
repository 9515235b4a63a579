// The store is personal data: its folders are created 0700 and its files 0600 (store.ts).
import { closeSync, fsyncSync, mkdirSync, openSync } from "node:fs";

/** Folders of the store: owner only. */
export const DIR_MODE = 0o700;
/** Files of the store: owner read and write only. */
export const FILE_MODE = 0o600;

/** Creates a folder of the store (and its missing parents inside the store) with mode 0700. */
export function mkdirPrivate(path: string): void {
  mkdirSync(path, { recursive: true, mode: DIR_MODE });
}

/** Flushes a file or folder to disk. */
export function fsyncPath(path: string): void {
  const fd = openSync(path, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
