import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { rootCertificates } from 'node:tls';
import { sanitize } from '../../text/sanitize.js';
import type { Outcome, Phases } from '../../probe/types.js';
import { compileConditions, describeStatusRanges, statusAccepted, type ResponseConditions } from './conditions.js';
import { DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_REDIRECTS } from './defaults.js';
import { exchange, ExchangeError, type ExchangeResult } from './exchange.js';
import { evaluateJsonCondition, type JsonValue } from './json-condition.js';
import type { HttpCheckConfig } from './schema.js';
import { displayUrl, Redactor, resolveEnvRefs } from './secrets.js';
import type { ApiInfo, FailedCondition, HttpCheckResult } from './types.js';

const EXCERPT_CHARS = 160;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

export interface HttpCheckOptions {
  timeoutMs: number;
  /** 0: the resolver's first answer; 4 or 6: that family only. */
  family?: 0 | 4 | 6;
  /** Where `${env:NAME}` left in the URL or a header value is resolved (default process.env). */
  env?: NodeJS.ProcessEnv;
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

const caCache = new Map<string, string[]>();
function trustedCas(path: string): string[] {
  let cas = caCache.get(path);
  if (!cas) {
    cas = [...rootCertificates, readFileSync(path, 'utf8')];
    caCache.set(path, cas);
  }
  return cas;
}

function requestBody(body: HttpCheckConfig['body']): { bytes?: Buffer; json: boolean } {
  if (body === undefined) return { json: false };
  if (typeof body === 'string') return { bytes: Buffer.from(body, 'utf8'), json: false };
  return { bytes: Buffer.from(JSON.stringify(body), 'utf8'), json: true };
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
  const redactor = new Redactor(secrets);
  const clean = (s: string, max?: number) => sanitize(redactor.hide(s), max);
  const urlText = resolve(config.url);
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

  if (missing.length > 0) return finish('error', { detail: `environment variable ${missing[0]} is not set (used in the URL or a header)` });
  if (!parsedUrl) return finish('error', { detail: 'the URL is not valid once ${env:} is resolved' });
  const firstUrl = parsedUrl;

  const body = requestBody(config.body);
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

  let url = firstUrl;
  let hopMethod = method;
  let hopBody = body.bytes;
  let hopHeaders = headers;
  let r: ExchangeResult;
  for (;;) {
    const servername = config.sni ?? (isIP(url.hostname.replace(/^\[(.*)\]$/, '$1')) ? undefined : url.hostname);
    try {
      r = await exchange({
        url,
        method: hopMethod,
        headers: hopHeaders,
        ...(hopBody ? { body: hopBody } : {}),
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
        connectMs: t.connectMs,
        phases: { dnsMs: t.dnsMs, connectMs: t.connectMs, tlsMs: t.tlsMs, firstByteMs: t.firstByteMs, totalMs: performance.now() - t0 },
        ...(err.errno ? { errno: err.errno } : {}),
        ...(err.tls ? { tls: err.tls } : {}),
        detail: `${method} ${displayUrl(url)}: ${err.message}`,
      });
    }
    const location = headerText(r.headers.location);
    if (!follow || !REDIRECT_STATUSES.has(r.status) || location === undefined) break;
    let next: URL;
    try {
      next = new URL(location, url);
    } catch {
      api.status = r.status;
      return finish('mismatch', { ...hopFields(r, t0), detail: `HTTP ${r.status} redirects to an invalid Location`, severity: config.mismatch ?? 'critical' });
    }
    api.redirects.push({ status: r.status, location: clean(displayUrl(next), 120) });
    if (next.protocol !== 'http:' && next.protocol !== 'https:') {
      api.status = r.status;
      return finish('mismatch', { ...hopFields(r, t0), detail: `HTTP ${r.status} redirects to ${next.protocol} (only http and https are followed)`, severity: config.mismatch ?? 'critical' });
    }
    if (api.redirects.length > maxRedirects) {
      api.status = r.status;
      api.failed = { condition: `at most ${maxRedirects} redirect(s)`, found: `redirect number ${api.redirects.length} to ${api.redirects.at(-1)!.location}` };
      return finish('mismatch', { ...hopFields(r, t0), detail: `more than ${maxRedirects} redirect(s)`, severity: config.mismatch ?? 'critical' });
    }
    // As browsers and curl do: 303 (and 301/302 after a POST) become a GET without a body.
    if (r.status === 303 || ((r.status === 301 || r.status === 302) && hopMethod === 'POST')) {
      hopMethod = hopMethod === 'HEAD' ? 'HEAD' : 'GET';
      hopBody = undefined;
      hopHeaders = Object.fromEntries(Object.entries(hopHeaders).filter(([k]) => k !== 'content-type'));
    }
    // Configured headers (credentials) go to the configured origin only.
    if (next.origin !== firstUrl.origin) hopHeaders = { 'user-agent': headers['user-agent']!, 'accept-encoding': headers['accept-encoding']! };
    url = next;
  }

  const totalMs = performance.now() - t0;
  api.status = r.status;
  if (r.statusText) api.statusText = clean(r.statusText, 60);
  const contentType = headerText(r.headers['content-type']);
  if (contentType !== undefined) api.contentType = clean(contentType, 80);
  api.bytes = r.body.length;
  api.truncated = r.truncated;
  api.responseMs = totalMs;
  if (url !== firstUrl) api.finalUrl = clean(displayUrl(url));
  let text: string | undefined;
  const bodyText = () => (text ??= r.body.toString('utf8'));
  const failed = judge(conditions, r, hopMethod, bodyText);
  if (config.maxResponseTime !== undefined && totalMs > config.maxResponseTime) {
    api.slow = { limitMs: config.maxResponseTime, evidence: `response ${totalMs.toFixed(0)}ms > ${config.maxResponseTime}ms` };
  }
  if (failed) {
    api.failed = { condition: clean(failed.condition, 120), found: clean(failed.found, 160) };
    if (r.body.length > 0) api.excerpt = clean(bodyText().slice(0, EXCERPT_CHARS * 4), EXCERPT_CHARS);
    return finish('mismatch', { ...hopFields(r, t0), detail: `${failed.condition} failed: ${failed.found}`, severity: config.mismatch ?? 'critical' });
  }
  return finish('open', hopFields(r, t0));
}

function hopFields(r: ExchangeResult, t0: number): Partial<HttpCheckResult> {
  return {
    address: r.address,
    family: r.family,
    dnsMs: r.dnsMs,
    connectMs: r.connectMs,
    phases: { dnsMs: r.dnsMs, connectMs: r.connectMs, tlsMs: r.tlsMs, firstByteMs: r.firstByteMs, totalMs: performance.now() - t0 },
    ...(r.tls ? { tls: r.tls } : {}),
  };
}
