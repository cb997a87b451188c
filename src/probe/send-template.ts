import { decodeEscapes } from './send-bytes.js';

/**
 * The text of a conversation step's `send`: backslash escapes and `${env:NAME}` as in any `send`,
 * plus `${1}` or `${name}` for a capture of an earlier `expect`, and `$$` for a literal `$`.
 */
export type TemplatePart = { bytes: Buffer } | { ref: string } | { env: string };

const REF = /^\$\{(?:env:([A-Za-z_][A-Za-z0-9_]*)|(\d+|[A-Za-z_][A-Za-z0-9_]*))\}/;

/** Splits a send text into literal bytes and capture references; throws on a malformed `${`. */
export function parseTemplate(text: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let literal = '';
  const flush = () => {
    if (literal) parts.push({ bytes: decodeEscapes(literal) });
    literal = '';
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch !== '$') {
      literal += ch;
      continue;
    }
    const next = text[i + 1];
    if (next === '$') {
      literal += '$';
      i += 1;
    } else if (next === '{') {
      const m = REF.exec(text.slice(i));
      if (!m) throw new Error(`"\${" at position ${i + 1} must be \${number}, \${name} (letters, digits, _) or \${env:NAME}, closed by "}"; write $$ for a literal $`);
      flush();
      parts.push(m[1] !== undefined ? { env: m[1] } : { ref: m[2]! });
      i += m[0].length - 1;
    } else literal += ch;
  }
  flush();
  return parts;
}

/** The capture references a send text makes, in order. */
export function templateRefs(parts: readonly TemplatePart[]): string[] {
  return parts.flatMap((p) => ('ref' in p ? [p.ref] : []));
}

/**
 * The bytes to send: each reference replaced by the captured text (empty when the group did not take
 * part), each `${env:NAME}` by the variable's value, read now.
 */
export function expandTemplate(parts: readonly TemplatePart[], captures: ReadonlyMap<string, string>, env: NodeJS.ProcessEnv = process.env): Buffer {
  return Buffer.concat(parts.map((p) => ('ref' in p ? Buffer.from(captures.get(p.ref) ?? '', 'latin1') : 'env' in p ? Buffer.from(env[p.env] ?? '', 'utf8') : p.bytes)));
}

/** How many numbered groups a regex has and the names of its named ones (without running it on real input). */
export function regexGroups(source: string): { count: number; names: string[] } {
  // An alternative that matches the empty string makes exec report every group, matched or not.
  const m = new RegExp(`(?:${source})|`).exec('')!;
  return { count: m.length - 1, names: Object.keys(m.groups ?? {}) };
}
