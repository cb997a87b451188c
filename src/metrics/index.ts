// Placeholder until the metrics module lands (replaced by it).
import type { Feed } from '../feed/feed.js';
export function createMetrics(_o: { source: Feed; location: string; alerts?: () => { channel: string; pending: number; failed: number }[]; history?: () => unknown }) {
  return { contentType: 'text/plain; version=0.0.4', render: async () => '', close: () => {} };
}
