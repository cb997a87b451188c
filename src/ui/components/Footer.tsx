import { Box } from 'ink';
import { footerHints } from '../model/keymap.js';
import { clip } from '../model/text.js';
import { Txt } from '../style.js';

export function Footer({ width, flash, filter }: { width: number; flash?: string | undefined; filter: string }) {
  // A long filter is cut, not the keys that change it.
  const left = filter ? `filter: ${clip(filter, Math.max(8, Math.floor(width / 3)))}  (/ edit, Esc clear)  ` : '';
  const text = flash ? `${left}${flash}` : `${left}${footerHints(Math.max(0, width - Array.from(left).length))}`;
  return (
    <Box height={1}>
      <Txt dim={!flash}>{clip(text, width)}</Txt>
    </Box>
  );
}
