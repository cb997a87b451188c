import { Box } from 'ink';
import { formatDuration } from '../../config/duration.js';
import type { State } from '../../engine/types.js';
import type { ChannelHealth } from '../../notify/index.js';
import { clockTime } from '../model/summary.js';
import { KEYMAP, type KeyHelp } from '../model/keymap.js';
import { STATE_SYMBOL } from '../model/state-style.js';
import { sanitize } from '../../text/sanitize.js';
import { clip, wrap } from '../model/text.js';
import { Txt } from '../style.js';

const ORDER: readonly State[] = ['UP', 'SLOW', 'RETRYING', 'DOWN', 'PAUSED', 'UNKNOWN'];

/** One line per alert channel: where it sends, how it last went and why, what waits. */
export function channelLines(channels: readonly ChannelHealth[], now: number): string[] {
  if (channels.length === 0) return ['  alert channels: none configured (see "notifiers" in the README)'];
  const ago = (t: number | undefined) => (t === undefined ? 'never' : `${clockTime(t)} (${formatDuration(Math.max(0, now - t))} ago)`);
  return [
    '  alert channels:',
    ...channels.map((c) => {
      const status = c.status === 'failing' ? `FAILING: ${sanitize(c.lastError ?? 'unknown error', 80)}` : c.status;
      return `    ${sanitize(c.name, 20).padEnd(12)} ${c.type.padEnd(8)} ${sanitize(c.destination, 40)} · ${status} · last ok ${ago(c.lastSuccessAt)}${c.lastFailureAt ? ` · last failure ${ago(c.lastFailureAt)}` : ''} · ${c.pending} pending`;
    }),
  ];
}

/** The key list, two keys a line when the whole help would not fit one a line (an 80×24 window). */
function keyLines(width: number, twoColumns: boolean): string[] {
  const line = (k: KeyHelp, room = Number.POSITIVE_INFINITY): string => {
    const lead = `  ${k.keys.padEnd(11)} `;
    // In a narrow column a description that would be cut short gives way to its brief form.
    const what = Array.from(lead + k.what).length <= room ? k.what : (k.brief ?? k.what);
    return `${lead}${what}`;
  };
  if (!twoColumns) return KEYMAP.map((k) => line(k));
  const half = Math.floor(width / 2);
  const out: string[] = [];
  for (let i = 0; i < KEYMAP.length; i += 2) {
    const a = KEYMAP[i];
    const b = KEYMAP[i + 1];
    const left = clip(a ? line(a, half - 1) : '', half - 1).padEnd(half);
    out.push(`${left}${clip(b ? line(b, width - half) : '', width - half)}`.trimEnd());
  }
  return out;
}

/** Where the history is kept and, when it is off or losing writes, why — whole, not cut to a header. */
export interface HistoryStatus {
  file: string;
  problem?: string | undefined;
}

export function helpLines(stateFile: string, configFile: string, channels: readonly ChannelHealth[] = [], now = Date.now(), fit?: { width: number; height: number }, history?: HistoryStatus): string[] {
  const rest = helpFooterLines(stateFile, configFile, channels, now, fit?.width ?? 80, history);
  const twoColumns = fit !== undefined && KEYMAP.length + rest.length > fit.height;
  return [...keyLines(fit?.width ?? 80, twoColumns), ...rest];
}

function helpFooterLines(stateFile: string, configFile: string, channels: readonly ChannelHealth[], now: number, width: number, history?: HistoryStatus): string[] {
  return [
    '',
    `  states: ${ORDER.map((s) => `${STATE_SYMBOL[s]} ${s}`).join('  ')}`,
    '  config file (read, never rewritten):',
    `    ${sanitize(configFile, 200)}`,
    '  changes made here (add, edit, delete, pause) are kept in:',
    `    ${sanitize(stateFile, 200)}`,
    ...(history ? [`  history: ${sanitize(history.file, 300)}`, ...(history.problem ? wrap(sanitize(history.problem, 1000), width - 4, 2).map((l) => `    ${l}`) : [])] : []),
    ...channelLines(channels, now),
  ];
}

export interface HelpOverlayProps {
  width: number;
  height: number;
  stateFile: string;
  configFile: string;
  channels?: readonly ChannelHealth[];
  history?: HistoryStatus | undefined;
  now?: number;
}

export function HelpOverlay({ width, height, stateFile, configFile, channels = [], history, now = Date.now() }: HelpOverlayProps) {
  const lines = helpLines(stateFile, configFile, channels, now, { width, height: Math.max(0, height - 1) }, history);
  return (
    <Box flexDirection="column" height={height}>
      <Txt bold>{clip('─ Help · any key closes '.padEnd(width, '─'), width)}</Txt>
      {lines.slice(0, Math.max(0, height - 1)).map((l, i) => (
        <Txt key={i}>{clip(l, width)}</Txt>
      ))}
    </Box>
  );
}
