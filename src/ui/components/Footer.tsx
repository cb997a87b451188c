import { Box } from 'ink';
import { footerHints } from '../model/keymap.js';
import { clip } from '../model/text.js';
import { Txt } from '../style.js';

export function Footer({ width, flash, filter }: { width: number; flash?: string | undefined; filter: string }) {
  const left = filter ? `filter: ${filter}  (/ edit, Esc clear)  ` : '';
  const text = flash ? `${left}${flash}` : `${left}${footerHints(Math.max(0, width - Array.from(left).length))}`;
  return (
    <Box height={1}>
      <Txt dim={!flash}>{clip(text, width)}</Txt>
    </Box>
  );
}
