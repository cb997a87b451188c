/** What an alert is about. `test` is only ever sent by `porthole notify test`. */
export type AlertKind = 'down' | 'recovery' | 'slow' | 'trend' | 'reminder' | 'test';

/** One target's event: the unit stored in the outbox (one row per channel). */
export interface AlertItem {
  /** Stable and unique: the same alert never gets two ids, so receivers can de-duplicate. */
  alertId: string;
  kind: AlertKind;
  targetId: string;
  name: string;
  host: string;
  port: number;
  service?: string;
  /** What a check of another kind than tcp checks ("ping db1"), for the message. */
  check?: string;
  /** The verdict for the target's host when the alert was raised (src/diagnosis): which layer broke. */
  diagnosis?: string;
  /** State before and after (DOWN → UP for a recovery). */
  from: string;
  to: string;
  cause: string;
  evidence: string;
  /** When the incident started (epoch ms). */
  started: number;
  /** When this alert was raised (epoch ms). */
  at: number;
  /** Outage length for a recovery; time down so far for a reminder. */
  durationMs?: number;
  location: string;
  incidentId?: string;
}

/** What one channel sends at once: one item, or several on one host grouped together. */
export interface AlertMessage {
  /** The lead item's alert id: the id a receiver de-duplicates on. */
  id: string;
  kind: AlertKind;
  items: AlertItem[];
}

export type SendResult =
  | { ok: true; detail: string }
  | { ok: false; error: string; /** The receiver asked to wait this long (Telegram 429 retry_after). */ retryAfterMs?: number };

export interface Channel {
  readonly name: string;
  readonly type: 'webhook' | 'telegram' | 'email' | 'command';
  /** Where it sends, without secrets (for `notify test` and the console). */
  readonly destination: string;
  /** Never throws: every failure comes back as { ok: false } with a redacted reason. */
  send(message: AlertMessage): Promise<SendResult>;
}
