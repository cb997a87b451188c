import type { ServerResponse } from 'node:http';
import type { EngineEvent } from '../../engine/types.js';
import type { Feed } from '../../feed/feed.js';
import { type StatusBody, type StreamEvent } from './wire.js';
import { toWireView } from './to-wire.js';

/** Results are sent at most this often per target (a console redraws twice a second at most). */
const FLUSH_MS = 100;
const STATUS_MS = 1000;
/** A client this far behind is cut off rather than buffered without bound. */
const MAX_BUFFERED = 8 * 1024 * 1024;

/**
 * The agent's event stream (server-sent events) to every attached front end: views after results
 * (coalesced per target), incidents, target-list changes, and a status line every second that doubles
 * as the heartbeat a console uses to know the agent is there.
 */
export class EventStream {
  private readonly clients = new Set<ServerResponse>();
  /** Target id → results since its last view was sent. */
  private readonly dirty = new Map<string, number>();
  private flushTimer: NodeJS.Timeout | undefined;
  private readonly statusTimer: NodeJS.Timeout;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly feed: Feed,
    private readonly status: () => StatusBody,
  ) {
    this.unsubscribe = feed.subscribe((e) => this.onEvent(e));
    this.statusTimer = setInterval(() => {
      // A status walks every target (maintenance windows): only when someone listens.
      if (this.clients.size > 0) this.broadcast({ type: 'status', status: this.status() });
    }, STATUS_MS);
    this.statusTimer.unref();
  }

  get size(): number {
    return this.clients.size;
  }

  attach(res: ServerResponse): void {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.socket?.setNoDelay(true);
    this.clients.add(res);
    res.on('close', () => this.clients.delete(res));
    this.send(res, { type: 'status', status: this.status() });
  }

  close(): void {
    this.unsubscribe();
    clearInterval(this.statusTimer);
    clearTimeout(this.flushTimer);
    for (const res of this.clients) res.end();
    this.clients.clear();
  }

  private onEvent(e: EngineEvent): void {
    if (this.clients.size === 0) return;
    switch (e.type) {
      case 'result':
        this.mark(e.targetId, 1);
        break;
      case 'state':
        this.mark(e.targetId, 0);
        break;
      case 'incident':
        this.broadcast({ type: 'incident', incident: e.incident });
        break;
      case 'targets':
        this.dirty.clear();
        this.broadcast({ type: 'targets' });
        break;
      case 'trend':
        this.mark(e.targetId, 0);
        break;
    }
  }

  private mark(id: string, results: number): void {
    this.dirty.set(id, (this.dirty.get(id) ?? 0) + results);
    if (!this.flushTimer) {
      this.flushTimer = setTimeout(() => this.flush(), FLUSH_MS);
      this.flushTimer.unref();
    }
  }

  private flush(): void {
    this.flushTimer = undefined;
    for (const [id, n] of this.dirty) {
      const v = this.feed.get(id);
      if (v) this.broadcast({ type: 'view', view: toWireView(v, n), appended: true });
    }
    this.dirty.clear();
  }

  private broadcast(event: StreamEvent): void {
    if (this.clients.size === 0) return;
    const frame = `data: ${JSON.stringify(event)}\n\n`;
    for (const res of this.clients) this.write(res, frame);
  }

  private send(res: ServerResponse, event: StreamEvent): void {
    this.write(res, `data: ${JSON.stringify(event)}\n\n`);
  }

  private write(res: ServerResponse, frame: string): void {
    if (res.writableLength > MAX_BUFFERED) {
      res.destroy();
      this.clients.delete(res);
      return;
    }
    res.write(frame);
  }
}
