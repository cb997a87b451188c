import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { rootCertificates } from 'node:tls';
import { sanitize } from '../text/sanitize.js';
import { openConnection } from './connect.js';
import { certExpiryWords, earliestDays } from './cert-expiry.js';
import { describeExpect, runCustom } from './conversation.js';
import { HttpStatusMismatch, runHttp } from './http.js';
import { firstPacketDone, greetingIn, helloWindowMs, listenWindowMs } from './mysql-farewell.js';
import { presetFor, StartTlsRefused } from './conversation-presets.js';
import { ExpectFailure, Session, TlsFailure, type Verdict } from './session.js';
import { hideSecrets, sentSecrets } from './send-bytes.js';
import { DEFAULT_STEPS_MAX_BYTES, runSteps } from './steps.js';
import type { AddressResult, BannerInfo, HttpInfo, Outcome, ProbeOptions, ProbeRequest, ProbeWarning, TlsInfo } from './types.js';

export const DEFAULT_MAX_BYTES = 1024;
export const DEFAULT_CERT_WARN_DAYS = 14;
const BANNER_CHARS = 120;

/** Everything one address of a layered check found. */
export interface AddressCheck extends AddressResult {
  tls?: TlsInfo;
  banner?: BannerInfo;
  http?: HttpInfo;
  warning?: ProbeWarning;
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

function certWarning(tls: TlsInfo, warnDays: number): ProbeWarning | undefined {
  const days = earliestDays(tls);
  if (!Number.isFinite(days) || days >= warnDays) return undefined;
  return { cause: 'cert', evidence: `${certExpiryWords(tls)} (${tls.earliest?.validTo ?? tls.validTo}; warn under ${warnDays} days)` };
}

function bannerOf(s: Session, matched: boolean, readTimedOut: boolean, expected: string, note: string | undefined, preset: string | undefined, hide: (text: string) => string): BannerInfo {
  return {
    text: sanitize(hide(s.firstBytes.toString('latin1')), BANNER_CHARS),
    bytes: s.firstBytes.length,
    matched,
    readTimedOut,
    expected,
    ...(note ? { note: sanitize(hide(note), BANNER_CHARS) } : {}),
    ...(preset ? { preset } : {}),
  };
}

/** Connects to one address and runs the layers: TLS (implicit or STARTTLS), conversation, HTTP. */
export async function checkAddress(req: ProbeRequest, o: ProbeOptions, address: string, family: 4 | 6): Promise<AddressCheck> {
  const t0 = performance.now();
  const c = await openConnection(address, family, req.port, req.timeoutMs);
  if (!c.ok) {
    return { address, family, outcome: c.outcome, connectMs: null, tlsMs: null, firstByteMs: null, totalMs: performance.now() - t0, errno: c.errno, detail: c.detail };
  }
  const custom = o.send !== undefined || o.expect !== undefined || o.steps !== undefined;
  const presetName = o.check === 'banner' || o.starttls ? req.service : undefined;
  const preset = presetFor(presetName);
  const talks = custom || (preset !== undefined && o.check === 'banner') || o.starttls === true;
  const s = new Session(c.socket, o.readTimeoutMs ?? req.timeoutMs, o.maxBytes ?? (o.steps ? DEFAULT_STEPS_MAX_BYTES : DEFAULT_MAX_BYTES), o.steps !== undefined);
  const servername = o.sni ?? (isIP(req.host) ? undefined : req.host);
  const tlsWanted = o.tls === true || o.starttls === true || preset?.tlsFirst === true || o.steps?.some((st) => 'starttls' in st) === true;

  let outcome: Outcome = 'open';
  let errno: string | undefined;
  let detail: string | undefined;
  let verdict: Verdict | undefined;
  let banner: BannerInfo | undefined;
  let http: HttpInfo | undefined;
  const expected = custom ? describeExpect(o) : (preset?.expected ?? '');
  // What the sends take from ${env:} never shows, even when the server echoes it back.
  const secrets = sentSecrets([o.send, ...(o.steps ?? []).map((st) => ('send' in st ? st.send : undefined))]);
  const hide = (text: string) => hideSecrets(text, secrets);
  try {
    const upgrade = (withinMs?: number) =>
      s.upgradeTls({
        host: req.host,
        ...(servername ? { servername } : {}),
        // An opportunistic upgrade (PostgreSQL answering "S" without starttls asked) verifies nothing.
        verify: tlsWanted && o.tlsVerify !== false,
        ...(o.tlsCa ? { ca: trustedCas(o.tlsCa) } : {}),
        timeoutMs: Math.min(req.timeoutMs, withinMs ?? Infinity),
      });
    const implicitTls = (o.tls === true || preset?.tlsFirst === true) && !o.starttls;
    const speaksFirst = implicitTls || o.send !== undefined || (o.steps !== undefined && 'send' in o.steps[0]!) || o.http !== undefined || (!custom && (o.check === 'banner' || o.starttls === true) && preset?.speaksFirst === true);
    if (speaksFirst) {
      await s.listenFirst(helloWindowMs(c.connectMs), firstPacketDone);
      const greeting = greetingIn(s.firstBytes);
      // s.close() answers it with the probe login; what this check would send would count as a broken one.
      if (greeting) throw new ExpectFailure(`server speaks MySQL first (${greeting.version.slice(0, 64)}): nothing sent, a MySQL server counts a broken login towards blocking the host; check it with service "mysql"`, expected || 'a server that does not speak first', false);
    }
    if (implicitTls) await upgrade();
    if (o.starttls && preset?.starttls) verdict = await preset.starttls(s, upgrade);
    else if (o.steps) verdict = await runSteps(s, o.steps, upgrade, hide);
    else if (custom) verdict = await runCustom(s, o);
    else if (preset && o.check === 'banner') verdict = await preset.run(s, o);
    if (talks && verdict) banner = bannerOf(s, true, false, expected, verdict.note, custom ? undefined : presetName, hide);
    if (o.http) {
      const host = o.http.host ?? (req.host.includes(':') ? `[${req.host}]` : req.host);
      http = await runHttp(s, { path: o.http.path, host: req.port === 80 || req.port === 443 ? host : `${host}:${req.port}`, ...(o.http.expectStatus ? { expectStatus: o.http.expectStatus } : {}) });
    }
  } catch (err) {
    if (err instanceof TlsFailure) {
      outcome = 'tls';
      errno = err.errno;
      detail = err.message;
    } else if (err instanceof StartTlsRefused) {
      outcome = 'tls';
      detail = err.message;
    } else if (err instanceof ExpectFailure) {
      outcome = 'mismatch';
      detail = err.message;
      banner = bannerOf(s, false, err.readTimedOut, err.expected, undefined, custom ? undefined : presetName, hide);
    } else if (err instanceof HttpStatusMismatch) {
      outcome = 'mismatch';
      detail = err.message;
      http = err.info;
    } else {
      outcome = 'error';
      detail = err instanceof Error ? err.message : String(err);
    }
  } finally {
    s.close(listenWindowMs(c.connectMs));
  }
  const warning = outcome === 'open' && s.tls && tlsWanted ? certWarning(s.tls, o.certWarnDays ?? DEFAULT_CERT_WARN_DAYS) : undefined;
  return {
    address,
    family,
    outcome,
    connectMs: c.connectMs,
    clock: c.clock,
    ...(c.localPort !== undefined ? { localPort: c.localPort } : {}),
    tlsMs: s.tlsMs,
    firstByteMs: s.firstByteMs,
    totalMs: performance.now() - t0,
    ...(errno ? { errno } : {}),
    ...(detail ? { detail: sanitize(hide(detail)) } : {}),
    ...(s.tls ? { tls: s.tls } : {}),
    ...(banner ? { banner } : {}),
    ...(http ? { http } : {}),
    ...(warning ? { warning } : {}),
  };
}
