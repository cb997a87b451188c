import { isIP } from 'node:net';
import { sanitize } from '../../text/sanitize.js';
import type { Outcome, Phases } from '../../probe/types.js';
import { compileConditions, describeStatusRanges, statusAccepted, type ResponseConditions } from './conditions.js';
import { DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_REDIRECTS } from './defaults.js';
import { exchange, ExchangeError, type ExchangeResult } from './exchange.js';
import { nextHop, type Hop } from './redirects.js';
import { evaluateJsonCondition, type JsonValue } from './json-condition.js';
import type { HttpCheckConfig } from './schema.js';
import { trustedCas } from './trusted-cas.js';
import { displayUrl, Redactor, resolveEnvRefs } from './secrets.js';
import type { ApiInfo, FailedCondition, HttpCheckResult } from './types.js';

const EXCERPT_CHARS = 160;

export interface HttpCheckOptions {
  timeoutMs: number;
  /** 0: the resolver's first answer; 4 or 6: that family only. */
  family?: 0 | 4 | 6;
  /** Where `${env:NAME}` left in the URL or a header value is resolved (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** The response-time limit (the target's slowAfter): a slower answer is marked `slow`. */
  slowAfterMs?: number;
}

// Conditions are compiled once per config object (the config is parsed once at load).
const compiled = new WeakMap<HttpCheckConfig, ResponseConditions>();
function conditionsOf(c: HttpCheckConfig): ResponseConditions {
  let r = compiled.get(c);
  if (!r) {
    r = compileConditions(c);
    compiled.set(c, r);
  }
  return r;
}

/** The body to send, `${env:NAME}` resolved in it (in every string of a JSON body) by `resolve`. */
function requestBody(body: HttpCheckConfig['body'], resolve: (s: string) => string): { bytes?: Buffer; json: boolean } {
  if (body === undefined) return { json: false };
  if (typeof body === 'string') return { bytes: Buffer.from(resolve(body), 'utf8'), json: false };
  const text = JSON.stringify(body, (_key, v: unknown) => (typeof v === 'string' ? resolve(v) : v));
  return { bytes: Buffer.from(text, 'utf8'), json: true };
}

function headerText(v: string | string[] | undefined): string | undefined {
  return v === undefined ? undefined : Array.isArray(v) ? v.join(', ') : v;
}

/** The first condition the answer does not meet, or undefined when it meets them all. */
function judge(c: ResponseConditions, r: ExchangeResult, method: string, body: () => string): FailedCondition | undefined {
  if (!statusAccepted(r.status, c.status)) return { condition: `status in ${describeStatusRanges(c.status)}`, found: `HTTP ${r.status}` };
  for (const h of c.headers) {
    const v = headerText(r.headers[h.name]);
    const want = h.regex ? `header ${h.name} matches /${h.regex.source}/i` : `header ${h.name} contains ${JSON.stringify(h.contains)}`;
    if (v === undefined) return { condition: want, found: `header ${h.name} is missing` };
    if (h.regex ? !h.regex.test(v) : !v.includes(h.contains ?? '')) return { condition: want, found: `header ${h.name} is ${JSON.stringify(v)}` };
  }
  if (method === 'HEAD') return undefined;
  const cut = r.truncated ? ` (the first ${r.body.length} bytes: the body is longer than the cap)` : '';
  if (c.bodyContains !== undefined && !body().includes(c.bodyContains)) return { condition: `body contains ${JSON.stringify(c.bodyContains)}`, found: `not in the body${cut}` };
  if (c.bodyRegex && !c.bodyRegex.test(body())) return { condition: `body matches /${c.bodyRegex.source}/`, found: `no match in the body${cut}` };
  if (c.json.length > 0) {
    if (r.truncated) return { condition: c.json[0]!.text, found: `the body is longer than the ${r.body.length}-byte cap: JSON not complete (raise maxBodyBytes)` };
    let doc: JsonValue;
    try {
      doc = JSON.parse(body()) as JsonValue;
    } catch (err) {
      return { condition: c.json[0]!.text, found: `the body is not JSON (${(err as Error).message})` };
    }
    for (const cond of c.json) {
      const v = evaluateJsonCondition(cond, doc);
      if (!v.ok) return { condition: cond.text, found: v.found };
    }
  }
  return undefined;
}

function conditionCount(c: ResponseConditions): number {
  return 1 + c.headers.length + (c.bodyContains !== undefined ? 1 : 0) + (c.bodyRegex ? 1 : 0) + c.json.length;
}

/**
 * Runs one API check: the request (following redirects when asked), the conditions on the last answer,
 * the response-time limit. Never throws for anything the network or the server does: every failure is
 * an outcome with evidence. Nothing of the request's header values reaches the result.
 */
export async function runHttpCheck(config: HttpCheckConfig, opts: HttpCheckOptions): Promise<HttpCheckResult> {
  const startedAt = Date.now();
  const t0 = performance.now();
  const deadline = t0 + opts.timeoutMs;
  const env = opts.env ?? process.env;
  const method = config.method ?? 'GET';
  const conditions = conditionsOf(config);
  const maxBodyBytes = config.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const follow = config.followRedirects !== false;
  const maxRedirects = config.maxRedirects ?? DEFAULT_MAX_REDIRECTS;

  const secrets: string[] = [];
  const missing: string[] = [];
  const resolve = (v: string) => {
    const r = resolveEnvRefs(v, env);
    secrets.push(...r.used);
    missing.push(...r.missing);
    return r.value;
  };
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(config.headers ?? {})) {
    const v = resolve(value);
    headers[name.toLowerCase()] = v;
    // Every request header value counts as a secret: a server that echoes them must not show them.
    secrets.push(v);
  }
  // A value resolved from ${env:} in the body is a secret too (a login form's password).
  const body = requestBody(config.body, resolve);
  const urlText = resolve(config.url);
  const redactor = new Redactor(secrets);
  const clean = (s: string, max?: number) => sanitize(redactor.hide(s), max);
  let parsedUrl: URL | undefined;
  try {
    parsedUrl = new URL(urlText);
  } catch {
    parsedUrl = undefined;
  }
  const api: ApiInfo = { method, url: parsedUrl ? clean(displayUrl(parsedUrl)) : '(not a valid URL)', status: null, bytes: 0, truncated: false, redirects: [], responseMs: null, conditions: conditionCount(conditions) };

  const finish = (outcome: Outcome, extra: Partial<HttpCheckResult> & { phases?: Phases }): HttpCheckResult => ({
    outcome,
    startedAt,
    dnsMs: null,
    connectMs: null,
    totalMs: performance.now() - t0,
    ...extra,
    ...(extra.detail !== undefined ? { detail: clean(extra.detail, 300) } : {}),
    api,
  });

  if (missing.length > 0) return finish('error', { detail: `environment variable ${missing[0]} is not set (used in the URL, a header or the body)` });
  if (!parsedUrl) return finish('error', { detail: 'the URL is not valid once ${env:} is resolved' });
  const firstUrl = parsedUrl;

  if (body.json && headers['content-type'] === undefined) headers['content-type'] = 'application/json';
  if (headers['user-agent'] === undefined) headers['user-agent'] = 'porthole';
  if (headers['accept-encoding'] === undefined) headers['accept-encoding'] = 'identity';

  let ca: string[] | undefined;
  if (config.tlsCa) {
    try {
      ca = trustedCas(config.tlsCa);
    } catch (err) {
      return finish('error', { errno: (err as NodeJS.ErrnoException).code ?? 'EIO', detail: `cannot read tlsCa ${config.tlsCa}: ${(err as Error).message}` });
    }
  }

  const plainHeaders = { 'user-agent': headers['user-agent']!, 'accept-encoding': headers['accept-encoding']! };
  let hop: Hop = { url: firstUrl, method, headers, ...(body.bytes ? { body: body.bytes } : {}) };
  let r: ExchangeResult;
  for (;;) {
    const servername = config.sni ?? (isIP(hop.url.hostname.replace(/^\[(.*)\]$/, '$1')) ? undefined : hop.url.hostname);
    try {
      r = await exchange({
        ...hop,
        family: opts.family ?? 0,
        deadline,
        tls: { verify: config.tlsVerify !== false, ...(ca ? { ca } : {}), ...(servername ? { servername } : {}) },
        maxBodyBytes,
      });
    } catch (err) {
      if (!(err instanceof ExchangeError)) throw err;
      const t = err.timings;
      return finish(err.outcome, {
        ...(err.address ? { address: err.address } : {}),
        ...(err.family ? { family: err.family } : {}),
        dnsMs: t.dnsMs,
        phases: { dnsMs: t.dnsMs, connectMs: t.connectMs, tlsMs: t.tlsMs, firstByteMs: t.firstByteMs, totalMs: performance.now() - t0 },
        ...(err.errno ? { errno: err.errno } : {}),
        ...(err.tls ? { tls: err.tls } : {}),
        detail: `${hop.method} ${displayUrl(hop.url)}: ${err.message}`,
      });
    }
    const next = follow ? nextHop(hop, r.status, headerText(r.headers.location), firstUrl.origin, plainHeaders) : undefined;
    if (!next) break;
    const severity = config.mismatch ?? 'critical';
    if ('refused' in next) {
      api.status = r.status;
      return finish('mismatch', { ...hopFields(r, performance.now() - t0), detail: next.refused, severity });
    }
    api.redirects.push({ status: r.status, location: clean(displayUrl(next.hop.url), 120) });
    if (api.redirects.length > maxRedirects) {
      api.status = r.status;
      api.failed = { condition: `at most ${maxRedirects} redirect(s)`, found: `redirect number ${api.redirects.length} to ${api.redirects.at(-1)!.location}` };
      return finish('mismatch', { ...hopFields(r, performance.now() - t0), detail: `more than ${maxRedirects} redirect(s)`, severity });
    }
    hop = next.hop;
  }

  const totalMs = performance.now() - t0;
  api.status = r.status;
  if (r.statusText) api.statusText = clean(r.statusText, 60);
  const contentType = headerText(r.headers['content-type']);
  if (contentType !== undefined) api.contentType = clean(contentType, 80);
  api.bytes = r.body.length;
  api.truncated = r.truncated;
  api.responseMs = totalMs;
  if (hop.url !== firstUrl) api.finalUrl = clean(displayUrl(hop.url));
  let text: string | undefined;
  const bodyText = () => (text ??= r.body.toString('utf8'));
  const failed = judge(conditions, r, hop.method, bodyText);
  if (opts.slowAfterMs !== undefined && totalMs > opts.slowAfterMs) {
    api.slow = { limitMs: opts.slowAfterMs, evidence: `response ${totalMs.toFixed(0)}ms > ${opts.slowAfterMs}ms` };
  }
  if (failed) {
    api.failed = { condition: clean(failed.condition, 120), found: clean(failed.found, 160) };
    if (r.body.length > 0) api.excerpt = clean(bodyText().slice(0, EXCERPT_CHARS * 4), EXCERPT_CHARS);
    return finish('mismatch', { ...hopFields(r, totalMs), detail: `${failed.condition} failed: ${failed.found}`, severity: config.mismatch ?? 'critical' });
  }
  return finish('open', hopFields(r, totalMs));
}

/** The answer's network facts; connectMs is the kind's main figure, the response time (every hop). */
function hopFields(r: ExchangeResult, totalMs: number): Partial<HttpCheckResult> {
  return {
    address: r.address,
    family: r.family,
    dnsMs: r.dnsMs,
    connectMs: totalMs,
    totalMs,
    phases: { dnsMs: r.dnsMs, connectMs: r.connectMs, tlsMs: r.tlsMs, firstByteMs: r.firstByteMs, totalMs },
    ...(r.tls ? { tls: r.tls } : {}),
  };
}
