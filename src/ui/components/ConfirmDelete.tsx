import { Box } from 'ink';
import { formatHostPort } from '../../config/target.js';
import type { TargetView } from '../../engine/types.js';
import { sanitize } from '../../text/sanitize.js';
import { clip } from '../model/text.js';
import { Txt } from '../style.js';

export function ConfirmDelete({ view, width }: { view: TargetView | undefined; width: number }) {
  const what = view ? `${sanitize(view.target.name, 40)} (${sanitize(formatHostPort(view.target.host, view.target.port), 60)})` : 'this target';
  return (
    <Box height={1}>
      <Txt color="red" bold>
        {clip(`Delete ${what}? It stops being checked; the config file is not changed.  y delete · n/Esc keep`, width)}
      </Txt>
    </Box>
  );
}
