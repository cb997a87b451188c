import { Table, type CellProps } from '@alcalzone/ink-table';
import { Box, Text } from 'ink';
import { createContext, useContext, type PropsWithChildren } from 'react';
import type { State, TargetView } from '../../engine/types.js';
import { headingLabel, formatRow } from '../model/rows.js';
import type { ColumnKey, GridColumn } from '../model/layout.js';
import { STATE_COLOR } from '../model/state-style.js';
import { Txt } from '../style.js';

type GridRow = Record<string, string>;

interface RowMeta {
  state: State;
  selected: boolean;
}

const RowContext = createContext<RowMeta | undefined>(undefined);
const ColumnsContext = createContext<readonly ColumnKey[]>([]);

/** Cells of the state and why columns carry the state's colour; the selected row is inverse. */
function GridCell({ column, children }: CellProps) {
  const row = useContext(RowContext);
  const keys = useContext(ColumnsContext);
  const key = keys[column];
  const coloured = key === 'STATE' || key === 'WHY';
  const color = row && coloured ? STATE_COLOR[row.state] : undefined;
  return (
    <Txt {...(color ? { color } : {})} inverse={row?.selected ?? false} bold={coloured && row?.state === 'DOWN'}>
      {children}
    </Txt>
  );
}

function GridHeader({ children }: PropsWithChildren) {
  return (
    <Txt bold dim>
      {children}
    </Txt>
  );
}

/** No box-drawing: columns are set apart by ink-table's cell padding alone (k9s style). */
function GridSkeleton({ children }: PropsWithChildren) {
  const s = typeof children === 'string' ? children.replace(/[│┌┐└┘├┤┬┴┼─]/g, '') : '';
  return <Text>{s}</Text>;
}

const META_STATE = '__state';
const META_SELECTED = '__selected';
const META_KEY = '__id';

/**
 * ink-table with its per-row separators and outer border left out: a heading line, then one line per
 * target. Rows carry their state and selection in hidden keys (not columns), read by the cells through
 * context.
 */
class GridTable extends Table<GridRow> {
  override render() {
    const columns = this.getColumns();
    const headings = this.getHeadings();
    return (
      <Box flexDirection="column">
        {this.heading({ key: 'heading', columns, data: headings })}
        {this.props.data.map((row) => {
          const meta: RowMeta = { state: (row[META_STATE] ?? 'UNKNOWN') as State, selected: row[META_SELECTED] === '1' };
          const id = row[META_KEY] ?? '';
          return (
            <RowContext.Provider key={id} value={meta}>
              {this.data({ key: `data-${id}`, columns, data: row })}
            </RowContext.Provider>
          );
        })}
      </Box>
    );
  }
}

export interface GridProps {
  rows: readonly TargetView[];
  columns: readonly GridColumn[];
  selectedId: string | undefined;
  now: number;
  uptime?: (targetId: string) => number | undefined;
  /** Lines the grid may use below its heading. */
  height: number;
  emptyText: string;
}

export function Grid({ rows, columns, selectedId, now, uptime, height, emptyText }: GridProps) {
  const data: GridRow[] = rows.map((v) => {
    const selected = v.target.id === selectedId;
    const cells = formatRow(v, columns, { now, selected, ...(uptime ? { uptime: uptime(v.target.id) } : {}) });
    const row: GridRow = { [META_STATE]: v.monitor.state, [META_SELECTED]: selected ? '1' : '0', [META_KEY]: v.target.id };
    for (const c of columns) row[headingLabel(c.key)] = cells[c.key] ?? '';
    return row;
  });
  const tableColumns = columns.map((c) => ({ key: headingLabel(c.key), align: c.align }));
  return (
    <Box flexDirection="column" height={height + 1} overflow="hidden">
      <ColumnsContext.Provider value={columns.map((c) => c.key)}>
        <GridTable data={data} columns={tableColumns} cell={GridCell} header={GridHeader} skeleton={GridSkeleton} padding={1} />
      </ColumnsContext.Provider>
      {rows.length === 0 ? <Txt dim>{`  ${emptyText}`}</Txt> : null}
    </Box>
  );
}
