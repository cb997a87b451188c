import type { SendSpec } from './types.js';

const SIMPLE: Readonly<Record<string, string>> = { r: '\r', n: '\n', t: '\t', '0': '\0', '\\': '\\', e: '\x1b' };

/** Decodes backslash escapes (\r \n \t \0 \\ \e \xHH); anything else after a backslash is an error. */
export function decodeEscapes(text: string): Buffer {
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch !== '\\') {
      out.push(...Buffer.from(ch, 'utf8'));
      continue;
    }
    const next = text[i + 1];
    if (next === 'x' && /^[0-9A-Fa-f]{2}$/.test(text.slice(i + 2, i + 4))) {
      out.push(parseInt(text.slice(i + 2, i + 4), 16));
      i += 3;
    } else if (next !== undefined && Object.hasOwn(SIMPLE, next)) {
      out.push(SIMPLE[next]!.charCodeAt(0));
      i += 1;
    } else {
      throw new Error(`unknown escape "\\${next ?? ''}" at position ${i + 1} (use \\r \\n \\t \\0 \\\\ \\e or \\xHH)`);
    }
  }
  return Buffer.from(out);
}

export function decodeHex(hex: string): Buffer {
  const clean = hex.replace(/[\s:]/g, '');
  if (!/^([0-9A-Fa-f]{2})*$/.test(clean)) throw new Error('expected pairs of hex digits');
  return Buffer.from(clean, 'hex');
}

/** `${env:NAME}` in a text to send: kept as written in the target, filled in here, on the way out. */
export const SEND_ENV_REF = /\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}/g;

/** The bytes of a `send`: escapes decoded in what was written, each `${env:NAME}` as its value's bytes. */
export function sendBytes(spec: SendSpec, env: NodeJS.ProcessEnv = process.env): Buffer {
  if (typeof spec !== 'string') return decodeHex(spec.hex);
  const parts: Buffer[] = [];
  let at = 0;
  for (const m of spec.matchAll(SEND_ENV_REF)) {
    parts.push(decodeEscapes(spec.slice(at, m.index)), Buffer.from(env[m[1]!] ?? '', 'utf8'));
    at = m.index + m[0].length;
  }
  parts.push(decodeEscapes(spec.slice(at)));
  return Buffer.concat(parts);
}

/** Shorter values are not hidden: they would blank out ordinary words and protect nothing. */
const MIN_SECRET = 4;

/** The values a check's sends take from the environment, longest first: hidden wherever an answer could echo them. */
export function sentSecrets(texts: readonly (SendSpec | undefined)[], env: NodeJS.ProcessEnv = process.env): string[] {
  const values = new Set<string>();
  for (const t of texts) {
    if (typeof t !== 'string') continue;
    for (const m of t.matchAll(SEND_ENV_REF)) {
      const v = env[m[1]!];
      if (v === undefined || v.length < MIN_SECRET) continue;
      values.add(v);
      // Answers are read as latin1: a value with non-ASCII characters shows up as its UTF-8 bytes.
      values.add(Buffer.from(v, 'utf8').toString('latin1'));
    }
  }
  return [...values].sort((a, b) => b.length - a.length);
}

/** A text with every secret replaced by [hidden] (before it is sanitized or cut, so no part of one shows). */
export function hideSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (out.includes(s)) out = out.split(s).join('[hidden]');
  return out;
}
