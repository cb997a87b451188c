import type { TargetView } from '../engine/types.js';
import type { Row } from './family.js';
import type { LabelCache, TargetLabels } from './labels.js';

/** The targets of one scrape and their rows (same order), shared by every per-target family. */
export interface Frame {
  views: readonly TargetView[];
  rows: readonly Row<TargetLabels>[];
}

/**
 * Takes the engine's snapshot and looks up each target's row once per scrape rather than once per
 * family (some twenty families): every family of one scrape then also reads the same targets.
 * Outside a scrape (prom-client's own registry.metrics()), each call takes a fresh frame.
 */
export class Frames {
  private held: Frame | undefined;

  constructor(
    private readonly snapshot: () => readonly TargetView[],
    private readonly labels: LabelCache,
  ) {}

  current(): Frame {
    return this.held ?? this.take();
  }

  async during<T>(write: () => Promise<T>): Promise<T> {
    this.held = this.take();
    try {
      return await write();
    } finally {
      this.held = undefined;
    }
  }

  private take(): Frame {
    const views = this.snapshot();
    return { views, rows: views.map((v) => this.labels.of(v.target)) };
  }
}
