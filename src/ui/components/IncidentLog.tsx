import { Box } from 'ink';
import type { Incident } from '../../engine/types.js';
import { incidentLine, incidentWindow } from '../model/incidents.js';
import { clip } from '../model/text.js';
import { Txt } from '../style.js';

export interface IncidentLogProps {
  incidents: readonly Incident[];
  nameOf: (targetId: string) => string | undefined;
  offset: number;
  /** Lines including the title. */
  height: number;
  width: number;
  now: number;
}

/** A bounded window on the newest-first incident list, scrolled with [ and ]: never an ever-growing <Static>. */
export function IncidentLog({ incidents, nameOf, offset, height, width, now }: IncidentLogProps) {
  const lines = Math.max(0, height - 1);
  const win = incidentWindow(incidents, offset, lines);
  const range = incidents.length > lines ? ` ${win.offset + 1}-${win.offset + win.shown.length} of ${incidents.length}, [ ] scroll` : ` ${incidents.length}`;
  return (
    <Box flexDirection="column" height={height}>
      <Txt bold>{clip(`─ Incidents${range} `.padEnd(width, '─'), width)}</Txt>
      {win.shown.length === 0 ? <Txt dim>{'  no incidents'}</Txt> : null}
      {win.shown.map((inc) => (
        <Txt key={inc.id} {...(inc.ended === null ? { color: 'red' as const } : { dim: false })}>
          {incidentLine(inc, nameOf(inc.targetId), now, width)}
        </Txt>
      ))}
    </Box>
  );
}
