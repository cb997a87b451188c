import type { State } from '../engine/types.js';
import type { Outcome } from '../probe/types.js';
import type { TargetView } from '../engine/types.js';
import { LOCATION_NAME } from '../config/cluster-schema.js';
import { resultSubject } from './names.js';

/**
 * One result as an agent publishes it on `porthole.result.<location>.<target>`: the check and the
 * location's own confirmed state (after its retries), enough for a quorum without the target list.
 */
export interface ResultMessage {
  v: 1;
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

export function resultMessage(location: string, view: TargetView, at: number): ResultMessage {
  const r = view.lastResult;
  const m = view.monitor;
  const evidence = m.evidence ?? r?.errno ?? r?.detail;
  return {
    v: 1,
    location,
    id: view.target.id,
    name: view.target.name,
    host: view.target.host,
    port: view.target.port,
    at,
    state: m.state,
    outcome: r?.outcome ?? 'error',
    connectMs: r?.connectMs ?? null,
    totalMs: r?.totalMs ?? 0,
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

/** A result's `at` further than this from the reader's clock is refused (a clock gone wrong, or a forgery). */
export const AT_WINDOW_MS = 86_400_000;

/** Why a message from the stream was refused: counted by the readers. */
export type DropReason = 'malformed' | 'location' | 'subject' | 'time';

/**
 * A message from the stream, checked field by field (it came over the network): its `location` must
 * be a location name and the one in the subject it was published on (an agent speaks only for its own
 * location), its `id` the subject's target token, and its `at` within a day of `now`.
 */
export function checkResultMessage(data: Uint8Array, subject: string, now: number): ResultMessage | { drop: DropReason } {
  const m = parseResultMessage(data);
  if (!m) return { drop: 'malformed' };
  if (!LOCATION_NAME.test(m.location)) return { drop: 'location' };
  if (subject !== resultSubject(m.location, m.id)) return { drop: 'subject' };
  if (Math.abs(m.at - now) > AT_WINDOW_MS) return { drop: 'time' };
  return m;
}

/** The message's fields and their types, nothing more: see checkResultMessage for what the stream's readers use. */
export function parseResultMessage(data: Uint8Array): ResultMessage | undefined {
  let v: unknown;
  try {
    v = JSON.parse(Buffer.from(data).toString('utf8'));
  } catch {
    return undefined;
  }
  if (v === null || typeof v !== 'object') return undefined;
  const o = v as Record<string, unknown>;
  const str = (k: string) => typeof o[k] === 'string';
  const num = (k: string) => typeof o[k] === 'number' && Number.isFinite(o[k]);
  if (o.v !== 1 || !str('location') || !str('id') || !str('name') || !str('host') || !num('port') || !num('at') || !num('totalMs') || !num('intervalMs')) return undefined;
  if (typeof o.state !== 'string' || !STATES.has(o.state) || !str('outcome')) return undefined;
  if (o.connectMs !== null && !num('connectMs')) return undefined;
  return {
    v: 1,
    location: o.location as string,
    id: o.id as string,
    name: o.name as string,
    host: o.host as string,
    port: o.port as number,
    at: o.at as number,
    state: o.state as State,
    outcome: o.outcome as Outcome,
    connectMs: (o.connectMs as number | null) ?? null,
    totalMs: o.totalMs as number,
    ...(str('cause') ? { cause: o.cause as string } : {}),
    ...(str('evidence') ? { evidence: o.evidence as string } : {}),
    intervalMs: o.intervalMs as number,
    ...(str('incident') ? { incident: o.incident as string } : {}),
  };
}
