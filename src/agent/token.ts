import { randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, mkdirSync, openSync, readFileSync, statSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';

export const TOKEN_FILE_NAME = 'agent.token';

export function tokenFile(dataDir: string): string {
  return join(dataDir, TOKEN_FILE_NAME);
}

/**
 * The agent's API token: made at first start (256 random bits) and kept, readable by its owner only
 * (0600), in the data dir, where a console run by the same user finds it. A file that others can
 * read is narrowed back to 0600.
 */
export function ensureToken(dataDir: string): string {
  mkdirSync(dataDir, { recursive: true });
  const file = tokenFile(dataDir);
  try {
    const fd = openSync(file, 'wx', 0o600);
    try {
      writeSync(fd, `${randomBytes(32).toString('base64url')}\n`);
    } finally {
      closeSync(fd);
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
  }
  const token = readToken(file);
  if (!token) throw new Error(`${file} is empty: remove it and start the agent again to make a new token`);
  return token;
}

/** The token in a file, or undefined when the file is missing, unreadable or empty. */
export function readToken(file: string): string | undefined {
  try {
    const t = readFileSync(file, 'utf8').trim();
    return t || undefined;
  } catch {
    return undefined;
  }
}

/** Compares in constant time; a missing or malformed header never matches. */
export function tokenMatches(authorization: string | undefined, token: string): boolean {
  if (!authorization?.startsWith('Bearer ')) return false;
  const given = Buffer.from(authorization.slice(7).trim());
  const want = Buffer.from(token);
  return given.length === want.length && timingSafeEqual(given, want);
}
