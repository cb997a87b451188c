import type { EngineEvent } from '../engine/types.js';
import type { Feed } from '../feed/feed.js';
import type { RuntimeEvent } from '../runtime/runtime.js';
import { sanitize } from '../text/sanitize.js';

export type LogFormat = 'text' | 'json';

export type LogFields = Record<string, string | number | boolean | string[] | null | undefined>;

/**
 * One line per event on a stream (stdout under a service manager, which adds its own timestamps
 * but not ours): state changes, incidents, trends, alert deliveries, reloads, warnings. Results are
 * not logged (the history and /metrics have them). Text that came from the network or the config is
 * stripped of control characters; in JSON it is escaped by JSON itself.
 */
export class EventLog {
  constructor(
    private readonly out: NodeJS.WritableStream,
    private readonly format: LogFormat,
    private readonly now: () => number = Date.now,
  ) {}

  line(event: string, fields: LogFields): void {
    const ts = new Date(this.now()).toISOString();
    if (this.format === 'json') {
      this.out.write(`${JSON.stringify({ ts, event, ...fields })}\n`);
      return;
    }
    const parts = [ts, event];
    for (const [k, v] of Object.entries(fields)) {
      if (v === undefined || v === null) continue;
      const text = Array.isArray(v) ? v.join(',') : String(v);
      const clean = sanitize(text, 500);
      parts.push(`${k}=${/[\s"=]/.test(clean) || clean === '' ? JSON.stringify(clean) : clean}`);
    }
    this.out.write(`${parts.join(' ')}\n`);
  }

  /** Logs what the feed reports, with target names looked up as they are now. */
  follow(feed: Feed): () => void {
    const name = (id: string) => feed.get(id)?.target.name ?? id;
    return feed.subscribe((e: EngineEvent) => {
      switch (e.type) {
        case 'state':
          this.line('state', { target: name(e.targetId), from: e.from, to: e.to, cause: e.cause, evidence: e.evidence });
          break;
        case 'incident': {
          const i = e.incident;
          if (e.phase === 'opened') this.line('incident-opened', { target: name(i.targetId), id: i.id, to: i.to, cause: i.cause, evidence: i.evidence, started: new Date(i.started).toISOString() });
          else this.line('incident-closed', { target: name(i.targetId), id: i.id, endedBy: i.endedBy ?? 'recovered', durationMs: i.durationMs });
          break;
        }
        case 'trend':
          this.line(`trend-${e.phase}`, { target: name(e.targetId), recentMs: Math.round(e.recentMs * 1000) / 1000, baselineMs: Math.round(e.baselineMs * 1000) / 1000 });
          break;
        case 'targets':
        case 'result':
          break;
      }
    });
  }

  runtime(e: RuntimeEvent): void {
    switch (e.type) {
      case 'reload':
        if (e.ok) this.line('reload', { trigger: e.trigger, file: e.file, added: e.added, removed: e.removed, changed: e.changed, unchanged: e.unchanged, notifiersChanged: e.notifiers });
        else this.line('reload-refused', { trigger: e.trigger, file: e.file, problems: e.problems });
        break;
      case 'warning':
        this.line('warning', { message: e.message });
        break;
      case 'alert':
        this.line(e.ok ? 'alert-sent' : 'alert-failed', { channel: e.channel, kind: e.kind, targets: e.targets, detail: e.detail });
        break;
    }
  }
}
