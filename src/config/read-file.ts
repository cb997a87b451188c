import { closeSync, openSync, readSync } from 'node:fs';
import { ConfigError } from './problems.js';
import { describeBytes, MAX_CONFIG_BYTES } from './limits.js';
import { lineColumn } from './json-text.js';

function readError(file: string, err: unknown): ConfigError {
  const e = err as NodeJS.ErrnoException;
  const why = e.code === 'ENOENT' ? 'no such file' : e.code === 'EACCES' ? 'permission denied' : e.code === 'EISDIR' ? 'is a directory' : e.message;
  return new ConfigError(file, [{ path: '(file)', message: `cannot read the config file: ${why}` }]);
}

/**
 * Reads at most MAX_CONFIG_BYTES + 1 bytes, so a huge file (or /dev/zero) is refused without being
 * read whole.
 */
function readBounded(file: string): Buffer {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (err) {
    throw readError(file, err);
  }
  try {
    const buf = Buffer.alloc(MAX_CONFIG_BYTES + 1);
    let used = 0;
    for (;;) {
      const n = readSync(fd, buf, used, buf.length - used, null);
      if (n === 0) break;
      used += n;
      if (used > MAX_CONFIG_BYTES) {
        throw new ConfigError(file, [{ path: '(file)', message: `the file is larger than ${describeBytes(MAX_CONFIG_BYTES)}, the most a config may be (is this the right file?)` }]);
      }
    }
    return buf.subarray(0, used);
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    throw readError(file, err);
  } finally {
    closeSync(fd);
  }
}

/**
 * The file as text: UTF-8, with a leading byte-order mark dropped. A binary file, a UTF-16 file or
 * bytes that are not UTF-8 are refused with where the first bad byte is.
 */
export function decodeConfigBytes(file: string, bytes: Buffer): string {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw new ConfigError(file, [{ path: '(file)', message: 'the file is UTF-16 text; save it as UTF-8' }]);
  }
  const nul = bytes.indexOf(0);
  if (nul >= 0) {
    const before = bytes.subarray(0, nul).toString('utf8');
    const where = lineColumn(before, before.length);
    throw new ConfigError(file, [{ path: '(file)', message: `not a text file: a NUL byte at byte ${nul} (expected JSON text)`, ...where }]);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    const loose = bytes.toString('utf8');
    const at = loose.indexOf('\ufffd');
    throw new ConfigError(file, [{ path: '(file)', message: 'not UTF-8 text: an invalid byte sequence (save the file as UTF-8)', ...lineColumn(loose, Math.max(0, at)) }]);
  }
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Reads a config file within the limits; every failure is a ConfigError naming the file. */
export function readConfigText(file: string): string {
  return decodeConfigBytes(file, readBounded(file));
}
