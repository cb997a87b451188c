import { SERVICE_PORTS } from '../config/service-ports.js';
import { configSchema } from '../config/schema.js';
import { presetFor } from '../probe/conversation-presets.js';
import type { OpenPort } from './open-port.js';

const HTTP_SERVICES = new Set(['http', 'http-alt', 'https', 'https-alt']);

/** One target for what was found on a port: the service's preset where it answered to it, TLS and HTTP as seen. */
function targetFor(host: string, label: string, p: OpenPort): Record<string, unknown> {
  const service = p.service;
  const preset = presetFor(service);
  const ownPort = service !== undefined && SERVICE_PORTS[service] === p.port;
  const name = service ? `${service}@${label}${ownPort ? '' : `:${p.port}`}` : p.label ? `${p.label}@${label}:${p.port}` : `${label}:${p.port}`;
  const tlsByPreset = preset?.tlsFirst === true;
  const httpOk = p.httpStatus !== undefined && p.httpStatus >= 200 && p.httpStatus < 400;
  return {
    name,
    host,
    port: p.port,
    ...(service ? { service } : {}),
    ...(p.confirmed && preset ? { check: 'banner' } : {}),
    ...(p.tls && !tlsByPreset ? { tls: true } : {}),
    ...(p.tls && !p.tlsTrusted ? { tlsVerify: false } : {}),
    ...(service && HTTP_SERVICES.has(service) && httpOk ? { http: { path: '/' } } : {}),
  };
}

/**
 * A loadable config for what discovery found: one target per open port, with the service found and
 * its conversation (`check: "banner"`) where it answered to it; a certificate that did not verify
 * is written as `tlsVerify: false`, in plain sight.
 */
export function discoveredConfig(host: string, open: readonly OpenPort[]): Record<string, unknown> {
  const label = host.includes(':') ? `[${host}]` : host;
  const config = { targets: open.map((p) => targetFor(host, label, p)) };
  const parsed = configSchema.safeParse(config);
  if (!parsed.success) throw new Error(`discover produced an invalid config: ${parsed.error.issues[0]?.message ?? 'unknown'}`);
  return config;
}
