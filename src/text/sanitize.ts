/**
 * The one gate for untrusted text (banners, host names, error messages, names from a config) on its
 * way to a terminal. Escape sequences are removed whole (CSI, OSC such as window titles, clipboard
 * writes and hyperlinks, DCS, SOS/PM/APC, and their 8-bit C1 forms); any control character left,
 * including \r, \b, BEL and the bidi overrides that reorder text, becomes a visible escape such as
 * `\r` or `\u202e`; the result is capped in length.
 */

// eslint-disable-next-line no-control-regex
const SEQUENCES = new RegExp(
  [
    '\\x1b\\[[0-?]*[ -/]*[@-~]', // CSI
    '\\x9b[0-?]*[ -/]*[@-~]', // 8-bit CSI
    '\\x1b[\\]PX^_][\\s\\S]*?(?:\\x07|\\x1b\\\\|\\x9c|$)', // OSC, DCS, SOS, PM, APC up to their terminator
    '[\\x9d\\x90\\x98\\x9e\\x9f][\\s\\S]*?(?:\\x07|\\x1b\\\\|\\x9c|$)', // the same, 8-bit
    '\\x1b[ -/]*[0-~]', // other ESC sequences (charset, keypad, RIS ...)
    '\\x1b', // a lone ESC
  ].join('|'),
  'g',
);

// eslint-disable-next-line no-control-regex
const CONTROLS = /[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g;

const NAMED: Readonly<Record<string, string>> = { '\r': '\\r', '\n': '\\n', '\t': '\\t', '\b': '\\b', '\x07': '\\a', '\f': '\\f', '\v': '\\v', '\0': '\\0' };

function visible(ch: string): string {
  const named = NAMED[ch];
  if (named) return named;
  const code = ch.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

export const DEFAULT_MAX_LENGTH = 200;

export function sanitize(input: unknown, maxLength = DEFAULT_MAX_LENGTH): string {
  const text = typeof input === 'string' ? input : input === undefined || input === null ? '' : String(input);
  const cleaned = text.replace(SEQUENCES, '').replace(CONTROLS, visible);
  if (cleaned.length <= maxLength) return cleaned;
  return `${cleaned.slice(0, Math.max(0, maxLength - 1))}…`;
}
