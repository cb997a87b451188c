import type { Problem } from '../config/problems.js';
import type { FormValues } from './model/form.js';

/**
 * Everything the console can change, as one small interface passed in by the caller (which talks to
 * the engine and the overlay store). The UI itself does no I/O.
 */
export interface ConsoleCommands {
  /** Validates and saves an added (no editingId) or edited target; returns the problems to show inline. */
  submit(values: FormValues, editingId?: string): { ok: true; id: string } | { ok: false; problems: Problem[] };
  remove(id: string): void;
  /** Pauses a running target or resumes a paused one. */
  togglePause(id: string): void;
  /** Pauses every target, or resumes them all when all are paused; returns what it did. */
  toggleAll(): 'paused' | 'resumed';
  recheck(id: string): void;
  quit(): void;
}
