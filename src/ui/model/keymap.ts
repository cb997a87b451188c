/** Every key, with the text the help overlay and footer show. One list so they cannot drift apart. */
export interface KeyHelp {
  keys: string;
  what: string;
  /** Footer priority: lower shows first; undefined = help only. */
  footer?: number;
  short?: string;
  /** At most 24 columns: the help overlay's text when it has two columns (an 80-column window). */
  brief?: string;
}

export const KEYMAP: readonly KeyHelp[] = [
  { keys: '↑ ↓ / j k', what: 'move the selection', footer: 5, short: 'move' },
  { keys: 'g G', what: 'first / last target' },
  { keys: 'PgUp PgDn', what: 'page up / down' },
  { keys: 'Enter', what: 'show / hide the detail pane (chart, stats, last error)', footer: 4, short: 'detail', brief: 'detail pane on / off' },
  { keys: 'a', what: 'add a target', footer: 2, short: 'add' },
  { keys: 'e', what: 'edit the selected target', footer: 8, short: 'edit' },
  { keys: 'p', what: 'pause / resume the selected target', footer: 3, short: 'pause', brief: 'pause / resume selected' },
  { keys: 'P', what: 'pause all / resume all' },
  { keys: 'r', what: 'recheck the selected target now', footer: 6, short: 'recheck', brief: 'recheck selected now' },
  { keys: 'd', what: 'delete the selected target (asks first)', footer: 9, short: 'delete', brief: 'delete selected (asks)' },
  { keys: '/', what: 'filter: name, host, tag, state (state:down tag:db); Esc clears', footer: 7, short: 'filter', brief: 'filter (Esc clears)' },
  { keys: 's', what: 'cycle the sort: name, state, latency', footer: 10, short: 'sort', brief: 'sort: name/state/latency' },
  { keys: '[ ]', what: 'scroll the incident log (newer / older)', brief: 'scroll incidents' },
  { keys: '?', what: 'this help', footer: 1, short: 'help' },
  { keys: 'q  Ctrl-C', what: 'quit', footer: 0, short: 'quit' },
];

/** Footer hints, most useful first, as many as fit in `width` columns. */
export function footerHints(width: number): string {
  const items = KEYMAP.filter((k) => k.footer !== undefined)
    .sort((a, b) => (a.footer ?? 0) - (b.footer ?? 0))
    .map((k) => `${k.keys === 'q  Ctrl-C' ? 'q' : k.keys === '↑ ↓ / j k' ? '↑↓' : k.keys} ${k.short ?? ''}`);
  let out = '';
  for (const item of items) {
    const next = out ? `${out}  ${item}` : item;
    if (Array.from(next).length > width) break;
    out = next;
  }
  return out;
}
