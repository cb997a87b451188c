import { z } from 'zod';
import { clusterSchema, expectStateSchema, locationsSchema } from './cluster-schema.js';
import { durationSchema } from './duration-schema.js';
import { SERVICE_PORTS, serviceNames } from './service-ports.js';
import { didYouMean } from './suggest.js';
import { hostProblem, normalizeHost } from './host.js';
import { httpSchema, probeShape, refineProbe } from './probe-schema.js';
import { KIND_SCHEMAS, kindBlockShape, kindSchema, refineKind } from '../checks/schemas.js';
import { KINDS } from '../checks/registry.js';
import { DEFAULT_KIND } from '../checks/kind.js';
import { alertsSchema, maintenanceListSchema, notifiersSchema, notifyListSchema, NOTIFY_KNOWN_KEYS } from './notify-schema.js';

export const portSchema = z
  .number({ error: 'expected a port number (an integer from 1 to 65535)' })
  .int({ error: 'expected a port number (an integer from 1 to 65535)' })
  .min(1, { error: 'expected a port number (an integer from 1 to 65535)' })
  .max(65535, { error: 'expected a port number (an integer from 1 to 65535)' });

export const hostSchema = z
  .string({ error: 'expected a host name or IP address' })
  .superRefine((h, ctx) => {
    const problem = hostProblem(h);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  .transform(normalizeHost);

export const serviceSchema = z.string({ error: 'expected a service name' }).superRefine((name, ctx) => {
  if (Object.hasOwn(SERVICE_PORTS, name)) return;
  const guess = didYouMean(name, serviceNames());
  ctx.addIssue({
    code: 'custom',
    message: `unknown service "${name}"${guess ? ` — did you mean "${guess}"?` : ''} (known: ${serviceNames().join(', ')}; or give "port")`,
  });
});

const familySchema = z.union([z.literal(4), z.literal(6)], { error: 'expected 4 or 6 (IPv4 or IPv6)' });
const retriesSchema = z
  .number({ error: 'expected a whole number of retries from 0 to 10' })
  .int({ error: 'expected a whole number of retries from 0 to 10' })
  .min(0, { error: 'expected a whole number of retries from 0 to 10' })
  .max(10, { error: 'expected a whole number of retries from 0 to 10' });

/** Timing knobs shared by `defaults` and each target. */
const timingShape = {
  interval: durationSchema(500, 86_400_000).optional(),
  timeout: durationSchema(50, 120_000).optional(),
  retries: retriesSchema.optional(),
  retryDelay: durationSchema(0, 3_600_000).optional(),
  slowAfter: durationSchema(1, 120_000).optional(),
  family: familySchema.optional(),
};

export const defaultsSchema = z.strictObject(
  { ...timingShape, notify: notifyListSchema.optional(), certWarnDays: probeShape.certWarnDays },
  { error: 'expected an object of default settings ({"interval": "10s", ...})' },
);

const TCP_LAYER_KEYS = Object.keys(probeShape);

const nameSchema = z
  .string({ error: 'expected a name (text)' })
  .min(1, { error: 'expected a non-empty name' })
  .max(80, { error: 'expected a name of at most 80 characters' });

const targetObject = z
  .strictObject({
    id: z
      .string({ error: 'expected an id (text)' })
      .regex(/^[A-Za-z0-9._:@/-]{1,80}$/, { error: 'expected an id of 1-80 letters, digits or ._:@/-' })
      .optional(),
    name: nameSchema.optional(),
    /** What kind of check (README "Check kinds"); absent: tcp. */
    kind: kindSchema.optional(),
    /** Required, except for a kind that finds it elsewhere (an API check: its URL). */
    host: hostSchema.optional(),
    port: portSchema.optional(),
    service: serviceSchema.optional(),
    ...timingShape,
    tags: z
      .array(z.string({ error: 'expected a tag (text)' }).min(1).max(40), { error: 'expected a list of tags' })
      .max(20)
      .optional(),
    internal: z.boolean({ error: 'expected true or false' }).optional(),
    paused: z.boolean({ error: 'expected true or false' }).optional(),
    /** Notifier names to alert (instead of defaults.notify). */
    notify: notifyListSchema.optional(),
    /** In a cluster: the locations that check this target (default every location). */
    locations: locationsSchema.optional(),
    /** "closed": an exposure check (answering is the incident); or per location. */
    expectState: expectStateSchema.optional(),
    ...probeShape,
    ...kindBlockShape,
    /** A tcp target's HTTP layer ({"path": ...}) or an http target's API check ({"url": ...}): read by kind below. */
    http: z.unknown().optional(),
  }, { error: 'expected a target: an object with "host" and "port" or "service"' });

export const targetSchema = targetObject
  .superRefine((t, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    const kind = KINDS[refineKind(t, TCP_LAYER_KEYS, issue)];
    // The TCP layers' own cross-key rules (src/config/probe-schema.ts), for the kind they belong to.
    if (kind.name === DEFAULT_KIND) refineProbe({ ...t, http: undefined }, ctx);
    if (!kind.usesPort) {
      for (const key of ['port', 'service'] as const) if (t[key] !== undefined) issue(key, `a ${kind.name} target has no port (leave "${key}" out)`);
    } else if (t.port === undefined && t.service === undefined && kind.defaultPort === undefined) {
      ctx.addIssue({ code: 'custom', message: 'expected "port" or "service" (a target needs a port to check)' });
    }
  })
  .transform((t, ctx) => {
    // "http" is the one key two kinds share: the tcp layer's on a tcp target, the API check's on an http one.
    const { http, ...rest } = t;
    const isApi = (t.kind ?? 'tcp') === 'http';
    let layer: z.output<typeof httpSchema> | undefined;
    let api: z.output<typeof KIND_SCHEMAS.http.block> | undefined;
    if (http !== undefined) {
      const parsed = isApi ? KIND_SCHEMAS.http.block.safeParse(http) : httpSchema.safeParse(http);
      if (!parsed.success) {
        for (const i of parsed.error.issues) ctx.addIssue({ ...i, path: ['http', ...i.path] } as Parameters<typeof ctx.addIssue>[0]);
        return z.NEVER;
      }
      if (isApi) api = parsed.data as typeof api;
      else layer = parsed.data as typeof layer;
    }
    const out = { ...rest, ...(layer ? { http: layer } : {}), ...(api ? { httpCheck: api } : {}) };
    // An API check may leave "host" out: it is the URL's (the diagnosis groups by it).
    const host = out.host ?? (api ? hostOfUrl(api.url) : undefined);
    if (host === undefined) {
      ctx.addIssue({ code: 'custom', path: ['host'], message: 'expected a host name or IP address' });
      return z.NEVER;
    }
    return { ...out, host } as ParsedTargetOut;
  });

function hostOfUrl(url: string): string | undefined {
  try {
    return normalizeHost(new URL(url).hostname.replace(/^\[(.*)\]$/, '$1')) || undefined;
  } catch {
    return undefined;
  }
}

type ParsedTargetOut = Omit<z.output<typeof targetObject>, 'http' | 'host'> & {
  host: string;
  http?: z.output<typeof httpSchema>;
  httpCheck?: z.output<typeof KIND_SCHEMAS.http.block>;
};

export const configSchema = z.strictObject({
  $schema: z.string().optional(),
  /** Where the history database lives (default: the OS data dir). */
  dataDir: z.string({ error: 'expected a directory path (text)' }).min(1, { error: 'expected a non-empty directory path' }).optional(),
  defaults: defaultsSchema.optional(),
  targets: z.array(targetSchema, { error: 'expected a list of targets' }),
  notifiers: notifiersSchema.optional(),
  alerts: alertsSchema.optional(),
  maintenance: maintenanceListSchema.optional(),
  cluster: clusterSchema.optional(),
});

export type RawTarget = z.input<typeof targetSchema>;
export type ParsedTarget = z.output<typeof targetSchema>;
export type ParsedConfig = z.output<typeof configSchema>;

/** Keys allowed at each object level, for did-you-mean on unknown keys. */
export const KNOWN_KEYS: Readonly<Record<'root' | 'defaults' | 'target' | 'targetHttp' | 'alerts' | 'maintenance', readonly string[]>> & { notifier: Readonly<Record<string, readonly string[]>>; kindBlock: Readonly<Record<string, readonly string[]>> } = {
  root: Object.keys(configSchema.shape),
  defaults: Object.keys(defaultsSchema.shape),
  target: Object.keys(targetObject.shape),
  targetHttp: Object.keys(httpSchema.shape),
  alerts: NOTIFY_KNOWN_KEYS.alerts,
  maintenance: NOTIFY_KNOWN_KEYS.maintenance,
  notifier: NOTIFY_KNOWN_KEYS.notifier,
  kindBlock: Object.fromEntries(Object.entries(kindBlockShape).map(([k, v]) => [k, Object.keys(v.unwrap().shape)])),
};
