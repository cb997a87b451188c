import { Box } from 'ink';
import { describeEndpoint } from '../../checks/registry.js';
import type { TargetView } from '../../engine/types.js';
import { sanitize } from '../../text/sanitize.js';
import { clip } from '../model/text.js';
import { Txt } from '../style.js';

export const CONFIRM_KEYS = 'y delete · n/Esc keep';

/**
 * The delete question in `width` columns. The keys always show: the longest wording that fits is
 * chosen, and the name is cut last of all.
 */
export function confirmText(view: TargetView | undefined, width: number): string {
  const name = view ? sanitize(view.target.name, 40) : 'this target';
  const where = view ? ` (${sanitize(describeEndpoint(view.target), 60)})` : '';
  const tail = `  ${CONFIRM_KEYS}`;
  const wordings = [
    `Delete ${name}${where}? It stops being checked; the config file is not changed.`,
    `Delete ${name}${where}? The config file is not changed.`,
    `Delete ${name}${where}? Config file unchanged.`,
    `Delete ${name}? Config file unchanged.`,
    `Delete ${name}?`,
  ];
  for (const w of wordings) if (Array.from(w + tail).length <= width) return w + tail;
  const room = width - Array.from(`Delete ?${tail}`).length;
  if (room >= 2) return `Delete ${clip(name, room)}?${tail}`;
  return clip(CONFIRM_KEYS, width);
}

export function ConfirmDelete({ view, width }: { view: TargetView | undefined; width: number }) {
  return (
    <Box height={1}>
      <Txt color="red" bold>
        {confirmText(view, width)}
      </Txt>
    </Box>
  );
}
