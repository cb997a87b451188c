import { Box } from 'ink';
import type { State, StateCounts } from '../../engine/types.js';
import { STATE_COLOR, STATE_SYMBOL } from '../model/state-style.js';
import { clockTime } from '../model/summary.js';
import { sanitize } from '../../text/sanitize.js';
import { clip } from '../model/text.js';
import { Txt } from '../style.js';

const SHOWN: readonly State[] = ['UP', 'SLOW', 'RETRYING', 'DOWN', 'PAUSED'];

export interface HeaderProps {
  counts: StateCounts;
  configFile: string;
  lastCheckAt: number | undefined;
  width: number;
  sort: string;
  shown: number;
  total: number;
  /** Shown instead of the config path when set (history off, writes lost): it must not be missed. */
  notice?: string | undefined;
  /** Where the monitor runs: "local" (in this process) or "agent HOST:PORT". */
  mode?: string | undefined;
}

export function Header({ counts, configFile, lastCheckAt, width, sort, shown, total, notice, mode }: HeaderProps) {
  const noticeText = notice ? `⚠ ${sanitize(notice, 300)}` : '';
  const all = SHOWN.map((s) => ({ s, text: `${STATE_SYMBOL[s]} ${s} ${counts[s]}` }));
  // With a notice on a narrow terminal, the states no target is in make room for it.
  const crowded = notice !== undefined && all.reduce((n, p) => n + p.text.length + 2, 0) + noticeText.length + 3 > width;
  const parts = crowded ? all.filter((p) => counts[p.s] > 0) : all;
  const countsLen = parts.reduce((n, p) => n + p.text.length + 2, 0);
  const filtered = shown !== total ? ` · ${shown}/${total} shown` : '';
  const modePart = mode ? ` · ${sanitize(mode, 60)}` : '';
  const full = `${modePart} · ${width >= 110 ? 'last check ' : ''}${clockTime(lastCheckAt)} · sort ${sort}${filtered} · ${notice ? '' : sanitize(configFile, 200)}`;
  // A notice must not be missed: on a narrow terminal it takes the place of the mode, clock and sort.
  const rest = notice && countsLen + full.length + noticeText.length > width ? ' · ' : full;
  return (
    <Box height={1}>
      {parts.map((p) => (
        <Txt key={p.s} {...(counts[p.s] > 0 ? { color: STATE_COLOR[p.s], bold: p.s === 'DOWN' } : { dim: true })}>
          {`${p.text}  `}
        </Txt>
      ))}
      <Txt dim>{clip(rest, Math.max(0, width - countsLen))}</Txt>
      {notice ? (
        <Txt color="yellow" bold>
          {clip(noticeText, Math.max(0, width - countsLen - rest.length))}
        </Txt>
      ) : null}
    </Box>
  );
}
