import { Box } from 'ink';
import { clip } from '../model/text.js';
import { Txt } from '../style.js';

export const FILTER_KEYS = 'Enter keep · Esc clear';

/** The filter line in `width` columns: the keys always show; a long filter shows its end (where the cursor is). */
export function filterLine(text: string, width: number, matches: number): string {
  const count = `${matches} match${matches === 1 ? '' : 'es'}`;
  const full = `/${text}▏  ${count} · ${FILTER_KEYS} · state:down tag:db`;
  if (Array.from(full).length <= width) return full;
  const tail = `▏  ${count} · ${FILTER_KEYS}`;
  const room = width - 1 - Array.from(tail).length;
  const chars = Array.from(text);
  if (room >= 2) return `/${chars.length <= room ? text : `…${chars.slice(chars.length - room + 1).join('')}`}${tail}`;
  return clip(`/${text}▏  ${FILTER_KEYS}`, width);
}

export function FilterBar({ text, width, matches }: { text: string; width: number; matches: number }) {
  return (
    <Box height={1}>
      <Txt color="cyan">{filterLine(text, width, matches)}</Txt>
    </Box>
  );
}
