import { z } from 'zod';
import { KIND_NAMES, type KindName } from './kind.js';
import { dnsSchema } from './dns/schema.js';
import { pingSchema } from './ping/schema.js';

/** A kind's config side: the schema of its block (a target key named after the kind) and whether it is required. */
interface KindSchema {
  block?: z.ZodType;
  required?: boolean;
}

/**
 * The config side of each kind, one line per kind. Kept apart from the registry (src/checks/registry.ts)
 * so that `porthole check HOST:PORT` never loads zod.
 */
export const KIND_SCHEMAS = {
  tcp: {},
  ping: { block: pingSchema },
  dns: { block: dnsSchema, required: true },
} as const satisfies Record<KindName, KindSchema>;

type BlockKind = { [K in KindName]: (typeof KIND_SCHEMAS)[K] extends { block: z.ZodType } ? K : never }[KindName];

/** The kinds' blocks as optional target keys ({"ping": {...}, "dns": {...}}). */
export const kindBlockShape = Object.fromEntries(
  KIND_NAMES.flatMap((k) => {
    const s: KindSchema = KIND_SCHEMAS[k];
    return s.block ? [[k, s.block.optional()]] : [];
  }),
) as { [K in BlockKind]: z.ZodOptional<(typeof KIND_SCHEMAS)[K]['block']> };

export const kindSchema = z.enum(KIND_NAMES, { error: `expected a check kind: ${KIND_NAMES.join(', ')} (absent: tcp)` });

/** Keys only a tcp target may have (its layers). */
type Issue = (path: string, message: string) => void;

/**
 * What only makes sense for one kind: a block belongs to its own kind, a required block is there,
 * the TCP layers' keys stay on tcp targets, a port where the kind uses one.
 */
export function refineKind(t: Record<string, unknown> & { kind?: KindName }, tcpOnlyKeys: readonly string[], issue: Issue): KindName {
  const kind = t.kind ?? 'tcp';
  for (const k of KIND_NAMES) {
    if (k === kind || !(k in KIND_SCHEMAS) || !('block' in KIND_SCHEMAS[k]) || t[k] === undefined) continue;
    issue(k, `only applies to "kind": "${k}" (this target is ${kind})`);
  }
  const own: KindSchema = KIND_SCHEMAS[kind];
  if (own.required && t[kind] === undefined) issue('kind', `a ${kind} target needs a "${kind}" block`);
  if (kind !== 'tcp') {
    for (const key of tcpOnlyKeys) if (t[key] !== undefined) issue(key, `only applies to tcp targets (this target is ${kind})`);
  }
  return kind;
}
