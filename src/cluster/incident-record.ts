import type { QuorumView } from './quorum.js';
import { locationCell } from './status-text.js';

/**
 * A cluster incident as kept in the KV bucket porthole-incidents (one key per target): what every
 * aggregator, the current one and the next, agrees was alerted. `downSent` / `recoverySent` turn
 * true once the alert was delivered, so a new holder raises only what was not.
 */
export interface IncidentRecord {
  id: string;
  targetId: string;
  name: string;
  host: string;
  port: number;
  started: number;
  /** "down from 2/3 locations". */
  cause: string;
  /** Which locations see what, when it was opened. */
  seen: string;
  downSent: boolean;
  ended?: number;
  /** Which locations see what, when it ended. */
  endSeen?: string;
  recoverySent?: boolean;
}

export const INCIDENTS_BUCKET = 'porthole-incidents';

/** "a: DOWN timeout · b: DOWN timeout · c: UP 0.4ms". */
export function seenText(v: QuorumView, now: number): string {
  return v.locations.map((l) => `${l.location}: ${locationCell(l, now)}`).join(' · ');
}

export function parseIncidentRecord(data: Uint8Array): IncidentRecord | undefined {
  try {
    const v = JSON.parse(Buffer.from(data).toString('utf8')) as Partial<IncidentRecord>;
    if (typeof v.id !== 'string' || typeof v.targetId !== 'string' || typeof v.started !== 'number' || typeof v.downSent !== 'boolean') return undefined;
    return v as IncidentRecord;
  } catch {
    return undefined;
  }
}
