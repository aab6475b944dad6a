// Files of the server that hold citizens' data or keys are its user's alone: the data directory
// 0700, the SQLite file with its WAL and shared memory, and the key file 0600. Made so when created
// and tightened at every start (a file copied in from a backup, or an older install, may be wider).
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, statSync } from 'node:fs';

export const DIR_MODE = 0o700;
export const FILE_MODE = 0o600;

/** Takes away every permission of group and others from an existing path (never adds any). */
export function tighten(path: string, mode: number): void {
  if (!existsSync(path)) return;
  if ((statSync(path).mode & 0o777 & ~mode) !== 0) chmodSync(path, mode);
}

/** The directory, created 0700 (with missing parents), or tightened if it exists. */
export function privateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: DIR_MODE });
  tighten(dir, DIR_MODE);
}

/**
 * The SQLite file, created empty 0600 before SQLite opens it (SQLite gives its -wal and -shm files
 * the mode of the database file), and its companions tightened if they exist already.
 */
export function privateSqliteFiles(file: string): void {
  closeSync(openSync(file, 'a', FILE_MODE));
  for (const path of [file, `${file}-wal`, `${file}-shm`, `${file}-journal`]) tighten(path, FILE_MODE);
}
