import { Box } from 'ink';
import type { State } from '../../engine/types.js';
import { KEYMAP } from '../model/keymap.js';
import { STATE_SYMBOL } from '../model/state-style.js';
import { sanitize } from '../../text/sanitize.js';
import { clip } from '../model/text.js';
import { Txt } from '../style.js';

const ORDER: readonly State[] = ['UP', 'SLOW', 'RETRYING', 'DOWN', 'PAUSED', 'UNKNOWN'];

export function helpLines(stateFile: string, configFile: string): string[] {
  return [
    ...KEYMAP.map((k) => `  ${k.keys.padEnd(11)} ${k.what}`),
    '',
    `  states: ${ORDER.map((s) => `${STATE_SYMBOL[s]} ${s}`).join('  ')}`,
    '  config file (read, never rewritten):',
    `    ${sanitize(configFile, 200)}`,
    '  changes made here (add, edit, delete, pause) are kept in:',
    `    ${sanitize(stateFile, 200)}`,
  ];
}

export function HelpOverlay({ width, height, stateFile, configFile }: { width: number; height: number; stateFile: string; configFile: string }) {
  const lines = helpLines(stateFile, configFile);
  return (
    <Box flexDirection="column" height={height}>
      <Txt bold>{clip('─ Help · any key closes '.padEnd(width, '─'), width)}</Txt>
      {lines.slice(0, Math.max(0, height - 1)).map((l, i) => (
        <Txt key={i}>{clip(l, width)}</Txt>
      ))}
    </Box>
  );
}
