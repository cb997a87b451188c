import type { State } from '../engine/types.js';
import type { Outcome } from '../probe/types.js';
import type { TargetView } from '../engine/types.js';
import { LOCATION_NAME } from '../config/cluster-schema.js';
import { decodeToken, RESULT_PREFIX, resultSubject } from './names.js';
import type { OutgoingResult } from './publisher.js';

/**
 * One result as an agent publishes it on `porthole.result.<location>.<target>`: the check and the
 * location's own confirmed state (after its retries), enough for a quorum without the target list.
 */
export interface ResultMessage {
  location: string;
  id: string;
  name: string;
  host: string;
  port: number;
  /** Wall time the check ended (ms). */
  at: number;
  state: State;
  outcome: Outcome;
  connectMs: number | null;
  totalMs: number;
  /** The location's cause for not being UP (timeout, refused, exposed …). */
  cause?: string;
  /** Short evidence (errno, detail): untrusted when shown, sanitized there. */
  evidence?: string;
  intervalMs: number;
  /** Open incident at this location, if any. */
  incident?: string;
}

const STATES = new Set<string>(['UNKNOWN', 'UP', 'SLOW', 'RETRYING', 'DOWN', 'PAUSED']);

/** Times on the wire to the microsecond: a double's last digits cost bytes in every stored result. */
const us = (ms: number) => Math.round(ms * 1000) / 1000;

export function resultMessage(location: string, view: TargetView, at: number): ResultMessage {
  const r = view.lastResult;
  const m = view.monitor;
  const evidence = m.evidence ?? r?.errno ?? r?.detail;
  return {
    location,
    id: view.target.id,
    name: view.target.name,
    host: view.target.host,
    port: view.target.port,
    at,
    state: m.state,
    outcome: r?.outcome ?? 'error',
    connectMs: r?.connectMs == null ? null : us(r.connectMs),
    totalMs: us(r?.totalMs ?? 0),
    ...(m.cause ? { cause: m.cause } : {}),
    ...(evidence ? { evidence: evidence.slice(0, 200) } : {}),
    intervalMs: view.target.intervalMs,
    ...(m.incident ? { incident: m.incident.id } : {}),
  };
}

/** The publish id (Nats-Msg-Id): the same result published twice is stored once. */
export function messageId(m: ResultMessage): string {
  return `${m.location}:${m.id}:${m.at}`;
}

const encoder = new TextEncoder();

/** A number as JSON.stringify writes it (NaN and ±Infinity as null). */
const num = (x: number) => (Number.isFinite(x) ? `${x}` : 'null');
const opt = (key: string, s: string | undefined) => (s === undefined ? '' : `,"${key}":${JSON.stringify(s)}`);

/**
 * The stored form (v 2), readable JSON: the location and the target id are the subject's tokens and
 * not repeated in the body, nor the name when it is the id (what a reader fills in, see
 * checkResultMessage). About 70 bytes less per stored result than v 1.
 *
 * Written as one string template of a fixed shape, byte for byte what JSON.stringify made of the
 * same fields in this order (strings still go through JSON.stringify for their escapes): every agent
 * encodes every result. With the header bytes made here too (headerBytes), a result's encoding took
 * 0.3–0.8× the time of the object + stringify + the client's header object (a loaded machine's micro
 * run, median about 0.6×).
 */
function body(name: string | undefined, host: string, port: number, at: number, state: State, outcome: Outcome, connectMs: number | null, totalMs: number, cause: string | undefined, evidence: string | undefined, intervalMs: number, incident: string | undefined): string {
  return `{"v":2${name === undefined ? '' : `,"name":${JSON.stringify(name)}`},"host":${JSON.stringify(host)},"port":${num(port)},"at":${num(at)},"state":"${state}","outcome":"${outcome}","connectMs":${connectMs === null ? 'null' : num(connectMs)},"totalMs":${num(totalMs)}${opt('cause', cause)}${opt('evidence', evidence)},"intervalMs":${num(intervalMs)}${opt('incident', incident)}}`;
}

/**
 * The Nats-Msg-Id header as the NATS client frames it, encoded once with the result (a resend sends
 * the same bytes); undefined for an id a header cannot carry (the client's own headers then refuse it).
 */
function headerBytes(msgId: string): Uint8Array | undefined {
  return msgId.includes('\r') || msgId.includes('\n') ? undefined : encoder.encode(`NATS/1.0\r\nNats-Msg-Id: ${msgId.trim()}\r\n\r\n`);
}

function outgoing(location: string, id: string, at: number, json: string): OutgoingResult {
  const msgId = `${location}:${id}:${at}`;
  return { subject: resultSubject(location, id), msgId, payload: encoder.encode(json), header: headerBytes(msgId) };
}

export function encodeResultMessage(m: ResultMessage): OutgoingResult {
  return outgoing(m.location, m.id, m.at, body(m.name === m.id ? undefined : m.name, m.host, m.port, m.at, m.state, m.outcome, m.connectMs, m.totalMs, m.cause, m.evidence, m.intervalMs, m.incident));
}

/** A target's newest result straight to its stored form (what resultMessage + encodeResultMessage make, without the object between). */
export function encodeResult(location: string, view: TargetView, at: number): OutgoingResult {
  const r = view.lastResult;
  const m = view.monitor;
  const t = view.target;
  const evidence = m.evidence ?? r?.errno ?? r?.detail;
  const json = body(t.name === t.id ? undefined : t.name, t.host, t.port, at, m.state, r?.outcome ?? 'error', r?.connectMs == null ? null : us(r.connectMs), us(r?.totalMs ?? 0), m.cause || undefined, evidence ? evidence.slice(0, 200) : undefined, t.intervalMs, m.incident?.id || undefined);
  return outgoing(location, t.id, at, json);
}

/** A result's `at` further than this from the reader's clock is refused (a clock gone wrong, or a forgery). */
export const AT_WINDOW_MS = 86_400_000;

/** Why a message from the stream was refused: counted by the readers. */
export type DropReason = 'malformed' | 'location' | 'subject' | 'time';

const SUBJECT_HEAD = `${RESULT_PREFIX}.`;

/**
 * A message from the stream, checked field by field (it came over the network). Its location and
 * target are its subject's (an agent can publish only on its own location's subjects, which NATS
 * permissions can enforce); the location must be a location name, and `at` within a day of `now`.
 * A v 1 body (agents before v 2) names its location and target itself: they must be the subject's.
 */
export function checkResultMessage(data: Uint8Array, subject: string, now: number): ResultMessage | { drop: DropReason } {
  const o = parseJson(data);
  if (!o) return { drop: 'malformed' };
  let location: string;
  let id: string;
  if (o.v === 2) {
    const from = subjectParts(subject);
    if (typeof from === 'string') return fieldsValid(o, false) ? { drop: from } : { drop: 'malformed' };
    ({ location, id } = from);
  } else if (o.v === 1 && typeof o.location === 'string' && typeof o.id === 'string') {
    ({ location, id } = o);
  } else return { drop: 'malformed' };
  if (!fieldsValid(o, o.v === 1)) return { drop: 'malformed' };
  if (o.v === 1) {
    if (!LOCATION_NAME.test(location)) return { drop: 'location' };
    if (subject !== resultSubject(location, id)) return { drop: 'subject' };
  }
  const at = o.at as number;
  if (Math.abs(at - now) > AT_WINDOW_MS) return { drop: 'time' };
  // One literal, built once: the aggregator reads every location's results.
  return {
    location,
    id,
    name: typeof o.name === 'string' ? o.name : id,
    host: o.host as string,
    port: o.port as number,
    at,
    state: o.state as State,
    outcome: o.outcome as Outcome,
    connectMs: (o.connectMs as number | null) ?? null,
    totalMs: o.totalMs as number,
    ...(typeof o.cause === 'string' ? { cause: o.cause } : {}),
    ...(typeof o.evidence === 'string' ? { evidence: o.evidence } : {}),
    intervalMs: o.intervalMs as number,
    ...(typeof o.incident === 'string' ? { incident: o.incident } : {}),
  };
}

/** Subjects seen lately and what they name: the same few thousand come round every interval. */
const subjects = new Map<string, { location: string; id: string } | 'subject' | 'location'>();

function subjectParts(subject: string): { location: string; id: string } | 'subject' | 'location' {
  let parts = subjects.get(subject);
  if (parts === undefined) {
    const tokens = subject.startsWith(SUBJECT_HEAD) ? subject.slice(SUBJECT_HEAD.length).split('.') : [];
    const [location, token] = tokens;
    if (tokens.length !== 2 || location === undefined || token === undefined) parts = 'subject';
    else if (!LOCATION_NAME.test(location)) parts = 'location';
    else parts = { location, id: decodeToken(token) };
    if (subjects.size >= 100_000) subjects.clear();
    subjects.set(subject, parts);
  }
  return parts;
}

function parseJson(data: Uint8Array): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('utf8'));
    return v !== null && typeof v === 'object' ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The body's fields and their types (a v 1 body also names itself), nothing more. */
function fieldsValid(o: Record<string, unknown>, v1: boolean): boolean {
  const num = (x: unknown) => typeof x === 'number' && Number.isFinite(x);
  if (typeof o.host !== 'string' || !num(o.port) || !num(o.at) || !num(o.totalMs) || !num(o.intervalMs)) return false;
  if (v1 ? typeof o.name !== 'string' : o.name !== undefined && typeof o.name !== 'string') return false;
  if (typeof o.state !== 'string' || !STATES.has(o.state) || typeof o.outcome !== 'string') return false;
  return o.connectMs === null || num(o.connectMs);
}
