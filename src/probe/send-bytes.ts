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

export function sendBytes(spec: SendSpec): Buffer {
  return typeof spec === 'string' ? decodeEscapes(spec) : decodeHex(spec.hex);
}
