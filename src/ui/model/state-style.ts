import type { State } from '../../engine/types.js';

/** A text symbol per state, so the grid reads the same without colour. */
export const STATE_SYMBOL: Readonly<Record<State, string>> = {
  UP: '●',
  SLOW: '◐',
  RETRYING: '↻',
  DOWN: '✗',
  PAUSED: '‖',
  UNKNOWN: '?',
};

export type ColorName = 'green' | 'yellow' | 'magenta' | 'red' | 'gray' | 'cyan' | 'blue' | 'white';

export const STATE_COLOR: Readonly<Record<State, ColorName>> = {
  UP: 'green',
  SLOW: 'yellow',
  RETRYING: 'magenta',
  DOWN: 'red',
  PAUSED: 'gray',
  UNKNOWN: 'cyan',
};

/** Worst first: what the on-call engineer should look at first. */
export const STATE_SEVERITY: Readonly<Record<State, number>> = {
  DOWN: 0,
  RETRYING: 1,
  SLOW: 2,
  UNKNOWN: 3,
  UP: 4,
  PAUSED: 5,
};
