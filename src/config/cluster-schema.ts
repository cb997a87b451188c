import { z } from 'zod';
import { durationSchema } from './duration-schema.js';

/** A location name: one NATS subject token, short enough for a column header, nothing to sanitize. */
export const LOCATION_NAME = /^[A-Za-z0-9_-]{1,32}$/;

export const locationSchema = z
  .string({ error: 'expected a location name (text)' })
  .regex(LOCATION_NAME, { error: 'expected a location name of 1-32 letters, digits, "_" or "-"' });

const natsUrlSchema = z
  .string({ error: 'expected a NATS URL such as "nats://127.0.0.1:4222"' })
  .regex(/^(nats|tls):\/\/[^\s]+$/, { error: 'expected a NATS URL such as "nats://127.0.0.1:4222" or "tls://…"' });

const secretText = (what: string) => z.string({ error: `expected ${what} (text, e.g. "\${env:NAME}")` }).min(1, { error: `expected a non-empty ${what}` });

/**
 * `cluster`: join agents at several locations over NATS. Credentials are one of token,
 * user/password, nkey (a seed) or creds (a .creds file); `tlsCa` trusts a private CA for tls:// URLs.
 */
export const clusterSchema = z
  .strictObject(
    {
      url: natsUrlSchema.optional(),
      urls: z.array(natsUrlSchema, { error: 'expected a list of NATS URLs' }).min(1).max(16).optional(),
      location: locationSchema,
      token: secretText('a token').optional(),
      user: secretText('a user name').optional(),
      password: secretText('a password').optional(),
      nkey: secretText('an NKey seed ("SU…")').optional(),
      creds: z.string({ error: 'expected the path of a .creds file' }).min(1).optional(),
      tlsCa: z.string({ error: 'expected the path of a PEM CA file' }).min(1).optional(),
      /** How long the results stream keeps a result (default 24h). */
      streamMaxAge: durationSchema(60_000, 365 * 86_400_000).optional(),
      /** Most bytes the results stream keeps (default 256 MiB; the oldest go first). */
      streamMaxBytes: z.number({ error: 'expected a number of bytes' }).int().min(1_048_576).max(1_099_511_627_776).optional(),
      /** Results kept while NATS is unreachable (default 10,000; the oldest are dropped, counted). */
      buffer: z.number({ error: 'expected a number of results' }).int().min(10).max(1_000_000).optional(),
      /** How long the aggregator role outlives its holder's last renewal (default 10s): takeover within this and a quarter. */
      leaseTtl: durationSchema(1000, 600_000).optional(),
      /** Send alerts from this agent when it holds the aggregator lease (default true). */
      aggregate: z.boolean({ error: 'expected true or false' }).optional(),
    },
    { error: 'expected a cluster object ({"url": "nats://…", "location": "fra-1"})' },
  )
  .superRefine((c, ctx) => {
    if (c.url === undefined && c.urls === undefined) ctx.addIssue({ code: 'custom', message: 'expected "url" or "urls" (where NATS is)' });
    const ways = [c.token !== undefined, c.user !== undefined || c.password !== undefined, c.nkey !== undefined, c.creds !== undefined].filter(Boolean).length;
    if (ways > 1) ctx.addIssue({ code: 'custom', message: 'expected one way to log in: "token", "user"/"password", "nkey" or "creds"' });
    if ((c.user === undefined) !== (c.password === undefined)) ctx.addIssue({ code: 'custom', message: 'expected "user" and "password" together' });
  });

/** Where a target is checked from: every location (absent), or these. */
export const locationsSchema = z.array(locationSchema, { error: 'expected a list of location names' }).min(1).max(32);

const openOrClosed = z.enum(['open', 'closed'], { error: 'expected "open" or "closed"' });

/**
 * What a check should find: "open" (the default) or "closed" (an exposure check: refused or
 * filtered is right, answering is the incident), everywhere or per location
 * ({"inside-dc": "open", "public": "closed"}; a location not named expects open).
 */
export const expectStateSchema = z.union([openOrClosed, z.record(locationSchema, openOrClosed)], {
  error: 'expected "open", "closed", or an object of location → "open"/"closed"',
});

export type ExpectState = 'open' | 'closed' | Record<string, 'open' | 'closed'>;

/** The expectation at one location. */
export function expectAt(e: ExpectState | undefined, location: string): 'open' | 'closed' {
  if (e === undefined || typeof e === 'string') return e ?? 'open';
  return Object.prototype.hasOwnProperty.call(e, location) ? (e[location] ?? 'open') : 'open';
}

export type ParsedCluster = z.output<typeof clusterSchema>;

export const CLUSTER_DEFAULTS = Object.freeze({
  streamMaxAgeMs: 24 * 3_600_000,
  streamMaxBytes: 256 * 1024 * 1024,
  buffer: 10_000,
  leaseTtlMs: 10_000,
});

/** The cluster settings with defaults applied (secrets already substituted from ${env:}). */
export interface ClusterConfig {
  servers: string[];
  location: string;
  auth: { token: string } | { user: string; password: string } | { nkey: string } | { creds: string } | undefined;
  tlsCa?: string;
  streamMaxAgeMs: number;
  streamMaxBytes: number;
  buffer: number;
  leaseTtlMs: number;
  aggregate: boolean;
  /** The secret values, for redaction of anything printed. */
  secrets: string[];
}

export function resolveCluster(c: ParsedCluster): ClusterConfig {
  const auth: ClusterConfig['auth'] =
    c.token !== undefined ? { token: c.token }
    : c.user !== undefined && c.password !== undefined ? { user: c.user, password: c.password }
    : c.nkey !== undefined ? { nkey: c.nkey }
    : c.creds !== undefined ? { creds: c.creds }
    : undefined;
  const servers = [...(c.url ? [c.url] : []), ...(c.urls ?? [])];
  const secrets = [c.token, c.password, c.nkey, ...servers.map(urlPassword)].filter((s): s is string => typeof s === 'string' && s.length >= 4);
  return {
    servers,
    location: c.location,
    auth,
    ...(c.tlsCa ? { tlsCa: c.tlsCa } : {}),
    streamMaxAgeMs: c.streamMaxAge ?? CLUSTER_DEFAULTS.streamMaxAgeMs,
    streamMaxBytes: c.streamMaxBytes ?? CLUSTER_DEFAULTS.streamMaxBytes,
    buffer: c.buffer ?? CLUSTER_DEFAULTS.buffer,
    leaseTtlMs: c.leaseTtl ?? CLUSTER_DEFAULTS.leaseTtlMs,
    aggregate: c.aggregate ?? true,
    secrets,
  };
}

function urlPassword(url: string): string | undefined {
  const m = /^[a-z]+:\/\/([^@/]*)@/.exec(url);
  if (!m?.[1]) return undefined;
  const [user, pass] = m[1].split(':');
  return pass ?? user;
}
