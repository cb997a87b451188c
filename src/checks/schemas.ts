import { z } from 'zod';
import { DEFAULT_KIND, KIND_NAMES, type KindName } from './kind.js';
import { dnsSchema } from './dns/schema.js';
import { pingSchema } from './ping/schema.js';
import { httpCheckSchema, type HttpCheckConfig } from './http/schema.js';
import { httpConfigForDisplay } from './http/display.js';
import { domainCheckSchema } from './domain/schema.js';
import { normalizeDomain } from './domain/domain-name.js';

/** A kind's config side: the schema of its block (a target key named after the kind) and whether it is required. */
interface KindSchema {
  block?: z.ZodType;
  required?: boolean;
  /** The block as `config show` prints it (secrets hidden); absent: as written. */
  display?: (block: never) => unknown;
  /** Rules on the target's common keys that only this kind has (a domain target's host is a domain). */
  refine?: (t: { host?: string | undefined }, issue: Issue) => void;
}

/**
 * The config side of each kind, one line per kind. Kept apart from the registry (src/checks/registry.ts)
 * so that `porthole check HOST:PORT` never loads zod.
 */
export const KIND_SCHEMAS = {
  tcp: {},
  ping: { block: pingSchema },
  dns: { block: dnsSchema, required: true },
  http: { block: httpCheckSchema, required: true, display: httpConfigForDisplay<HttpCheckConfig> },
  domain: { block: domainCheckSchema, required: true, refine: refineDomainHost },
} as const satisfies Record<KindName, KindSchema>;

function refineDomainHost(t: { host?: string | undefined }, issue: Issue): void {
  if (t.host !== undefined && !normalizeDomain(t.host)) issue('host', 'expected a registered domain name such as "example.com" (a domain target watches the registration of its host)');
}

type BlockKind = { [K in KindName]: (typeof KIND_SCHEMAS)[K] extends { block: z.ZodType } ? K : never }[KindName];

/** The kinds' blocks as optional target keys ({"ping": {...}, "dns": {...}}). */
export const kindBlockShape = Object.fromEntries(
  KIND_NAMES.flatMap((k) => {
    const s: KindSchema = KIND_SCHEMAS[k];
    return s.block ? [[k, s.block.optional()]] : [];
  }),
) as { [K in BlockKind]: z.ZodOptional<(typeof KIND_SCHEMAS)[K]['block']> };

export const kindSchema = z.enum(KIND_NAMES, { error: `expected a check kind: ${KIND_NAMES.join(', ')} (absent: tcp)` });

type Issue = (path: string, message: string) => void;

/**
 * What only makes sense for one kind: a block belongs to its own kind, a required block is there,
 * the TCP layers' keys stay on tcp targets, the kind's own rules on the common keys.
 */
export function refineKind(t: Record<string, unknown> & { kind?: KindName; host?: string | undefined }, tcpOnlyKeys: readonly string[], issue: Issue): KindName {
  const kind = t.kind ?? DEFAULT_KIND;
  for (const k of KIND_NAMES) {
    // "http" is also a tcp layer's key: on a tcp target it is that layer.
    if (k === kind || !('block' in KIND_SCHEMAS[k]) || t[k] === undefined || (kind === DEFAULT_KIND && tcpOnlyKeys.includes(k))) continue;
    issue(k, `only applies to "kind": "${k}" (this target is ${kind})`);
  }
  const own: KindSchema = KIND_SCHEMAS[kind];
  if (own.required && t[kind] === undefined) issue('kind', `"kind": "${kind}" needs a "${kind}" block`);
  if (kind !== DEFAULT_KIND) {
    // A key a tcp layer shares with this kind's block ("http") is the block here.
    for (const key of tcpOnlyKeys) if (key !== kind && t[key] !== undefined) issue(key, `only applies to tcp targets (this target is ${kind})`);
  }
  (own.refine as KindSchema['refine'])?.(t, issue);
  return kind;
}

/** A target's kind block as `config show` prints it: secrets hidden where the kind has any. */
export function blockForDisplay(kind: KindName, block: unknown): unknown {
  const s: KindSchema = KIND_SCHEMAS[kind];
  return s.display && block !== undefined ? s.display(block as never) : block;
}

/**
 * The other way round, for an edit that comes back from a front end which only saw the block as
 * shown: every value still exactly as shown where showing changed it (a hidden header, a URL without
 * its query) is the target's own value again. Anything the user changed stays as typed.
 */
export function blockFromDisplay(kind: KindName, edited: unknown, own: unknown): unknown {
  if (own === undefined) return edited;
  return restoreShown(edited, blockForDisplay(kind, own), own);
}

function restoreShown(edited: unknown, shown: unknown, own: unknown): unknown {
  if (typeof edited === 'string') return edited === shown && shown !== own ? own : edited;
  if (Array.isArray(edited)) return edited.map((v, i) => restoreShown(v, Array.isArray(shown) ? shown[i] : undefined, Array.isArray(own) ? own[i] : undefined));
  if (edited !== null && typeof edited === 'object') {
    const s = shown !== null && typeof shown === 'object' ? (shown as Record<string, unknown>) : {};
    const o = own !== null && typeof own === 'object' ? (own as Record<string, unknown>) : {};
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(edited)) {
      Object.defineProperty(out, k, { value: Object.hasOwn(s, k) ? restoreShown(v, s[k], o[k]) : v, enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  return edited;
}
