import type { AlertMessage, Channel } from './types.js';

export interface TestOutcome {
  channel: string;
  type: Channel['type'];
  destination: string;
  ok: boolean;
  /** On success what the receiver said (HTTP status, SMTP response); on failure exactly why. Redacted. */
  detail: string;
  ms: number;
}

export function testMessage(channel: string, location: string, at: number): AlertMessage {
  const id = `test:${channel}:${at}`;
  return {
    id,
    kind: 'test',
    items: [
      { alertId: id, kind: 'test', targetId: 'porthole-test', name: 'porthole test alert', host: 'test.invalid', port: 0, from: 'UP', to: 'UP', cause: 'test', evidence: 'sent by porthole notify test', started: at, at, location },
    ],
  };
}

/** Sends a test alert through each chosen channel at once (in parallel), straight past the outbox. */
export async function sendTestAlerts(channels: ReadonlyMap<string, Channel>, only: string | undefined, location: string, now: () => number = Date.now): Promise<TestOutcome[]> {
  const chosen = only === undefined ? [...channels.values()] : [channels.get(only)].filter((c): c is Channel => c !== undefined);
  return Promise.all(
    chosen.map(async (c) => {
      const started = performance.now();
      const r = await c.send(testMessage(c.name, location, now()));
      return { channel: c.name, type: c.type, destination: c.destination, ok: r.ok, detail: r.ok ? r.detail : r.error, ms: Math.round(performance.now() - started) };
    }),
  );
}
