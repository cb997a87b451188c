import { durationToConfig } from './duration.js';
import { presetFor } from '../probe/conversation-presets.js';
import type { ProbeOptions } from '../probe/types.js';
import type { probeShape } from './probe-schema.js';
import type { z } from 'zod';

type Parsed = { [K in keyof typeof probeShape]?: z.output<(typeof probeShape)[K]> } & { service?: string };

/** The layers a parsed target asks for; undefined for a plain TCP check (the default). */
export function probeOptionsFrom(t: Parsed): ProbeOptions | undefined {
  const o: ProbeOptions = {};
  if (t.check !== undefined) o.check = t.check;
  if (t.send !== undefined) o.send = t.send;
  if (t.expect !== undefined) o.expect = t.expect;
  if (t.expectMode !== undefined) o.expectMode = t.expectMode;
  if (t.steps !== undefined) o.steps = t.steps.map((st) => (st.send !== undefined ? { send: st.send } : st.expect !== undefined ? { expect: st.expect } : { starttls: true as const }));
  if (t.readTimeout !== undefined) o.readTimeoutMs = t.readTimeout;
  if (t.maxBytes !== undefined) o.maxBytes = t.maxBytes;
  if (t.mismatch !== undefined) o.mismatch = t.mismatch;
  if (t.tls !== undefined) o.tls = t.tls;
  if (t.starttls !== undefined) o.starttls = t.starttls;
  if (t.tlsVerify !== undefined) o.tlsVerify = t.tlsVerify;
  if (t.sni !== undefined) o.sni = t.sni;
  if (t.tlsCa !== undefined) o.tlsCa = t.tlsCa;
  if (t.certWarnDays !== undefined) o.certWarnDays = t.certWarnDays;
  if (t.http !== undefined) {
    const es = t.http.expectStatus;
    o.http = { path: t.http.path, ...(es !== undefined ? { expectStatus: Array.isArray(es) ? es : [es] } : {}), ...(t.http.host ? { host: t.http.host } : {}) };
  }
  if (t.addresses !== undefined) o.addresses = t.addresses;
  if (t.quorum !== undefined) o.quorum = t.quorum;
  const layered = o.check === 'banner' || o.send !== undefined || o.expect !== undefined || o.steps !== undefined || o.tls || o.starttls || o.http || o.addresses === 'all';
  return layered ? o : undefined;
}

/** The same options in config-file form (for `config show` and the console's persisted targets). */
export function probeOptionsToConfig(o: ProbeOptions | undefined): Record<string, unknown> {
  if (!o) return {};
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) {
    if (v === undefined) continue;
    if (k === 'readTimeoutMs') out.readTimeout = durationToConfig(v as number);
    else if (k === 'http') {
      const h = v as NonNullable<ProbeOptions['http']>;
      out.http = { path: h.path, ...(h.expectStatus ? { expectStatus: h.expectStatus.length === 1 ? h.expectStatus[0] : h.expectStatus } : {}), ...(h.host ? { host: h.host } : {}) };
    } else out[k] = v;
  }
  return out;
}

/** Whether a service's preset does TLS from the first byte (https, imaps, smtps, pop3s). */
export function serviceIsTls(service: string | undefined): boolean {
  return presetFor(service)?.tlsFirst === true;
}
