import { Box } from 'ink';
import { clip } from '../model/text.js';
import { Txt } from '../style.js';

export function FilterBar({ text, width, matches }: { text: string; width: number; matches: number }) {
  const line = `/${text}▏  ${matches} match${matches === 1 ? '' : 'es'} · Enter keep · Esc clear · state:down tag:db`;
  return (
    <Box height={1}>
      <Txt color="cyan">{clip(line, width)}</Txt>
    </Box>
  );
}
