import { configSchema } from '../config/schema.js';
import type { OpenPort } from './confirm.js';

/** A loadable config for what discovery found: one target per open port, banners checked where confirmed. */
export function discoveredConfig(host: string, open: readonly OpenPort[]): Record<string, unknown> {
  const label = host.includes(':') ? `[${host}]` : host;
  const targets = open.map((p) => ({
    name: p.service ? `${p.service}@${label}` : `${label}:${p.port}`,
    host,
    port: p.port,
    ...(p.service ? { service: p.service } : {}),
    ...(p.confirmed ? { check: 'banner' } : {}),
  }));
  const config = { targets };
  const parsed = configSchema.safeParse(config);
  if (!parsed.success) throw new Error(`discover produced an invalid config: ${parsed.error.issues[0]?.message ?? 'unknown'}`);
  return config;
}
