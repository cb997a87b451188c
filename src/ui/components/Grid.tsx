import { Table, type CellProps } from '@alcalzone/ink-table';
import { Box, Text } from 'ink';
import { createContext, useContext, type PropsWithChildren } from 'react';
import type { Target } from '../../config/target.js';
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

/** Columns whose text usually has non-ASCII symbols (state marks, arrows, sparkline bars, "—"). */
const SYMBOL_COLUMNS: ReadonlySet<ColumnKey> = new Set<ColumnKey>(['STATE', 'WHY', 'MS', 'TREND', 'UP%']);

/**
 * Runs of neighbouring columns of the same kind, [from, to) indices. Each run is one Ink <Text>: Ink
 * measures every text node's width each frame, and a node of plain ASCII takes string-width's fast
 * path, while a single symbol sends the whole node through grapheme segmentation. Keeping names,
 * hosts and "since" apart from the symbol columns makes most of a row cheap to measure.
 */
export function columnRuns(keys: readonly ColumnKey[]): [number, number][] {
  const runs: [number, number][] = [];
  keys.forEach((k, i) => {
    const last = runs.at(-1);
    const prev = keys[i - 1];
    if (last && prev !== undefined && SYMBOL_COLUMNS.has(prev) === SYMBOL_COLUMNS.has(k)) last[1] = i + 1;
    else runs.push([i, i + 1]);
  });
  return runs;
}


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

const META_STATE = '__state';
const META_SELECTED = '__selected';
const META_KEY = '__id';

/** A value placed in its column the way ink-table does it: padding on both sides, aligned. */
function place(value: string, width: number, align: 'left' | 'right' | 'center', padding: number): string {
  const spaces = Math.max(0, width - Array.from(value).length);
  const left = align === 'left' ? padding : align === 'right' ? spaces - padding : Math.floor(spaces / 2);
  return ' '.repeat(Math.max(0, left)) + value + ' '.repeat(Math.max(0, spaces - left));
}

/**
 * ink-table, thinly extended: its column model (getColumns, getHeadings, alignment, padding) and its
 * cell/header components, but no box-drawing and no per-row separator lines, and each row is one Ink
 * <Text> with the cells nested in it (one layout node per row instead of a dozen: at 50 rows that is
 * the difference between a cheap frame and a slow one). Rows carry their state and selection in
 * hidden keys (not columns), read by the cells through context.
 */
class GridTable extends Table<GridRow> {
  static override contextType = ColumnsContext;
  declare context: readonly ColumnKey[];

  override render() {
    const runs = columnRuns(this.context);
    const columns = this.getColumns();
    const headings = this.getHeadings();
    const { cell: CellComponent, header: HeaderComponent, padding } = this.getConfig();
    return (
      <Box flexDirection="column">
        <Text wrap="truncate-end">
          {columns.map((c) => (
            <HeaderComponent key={c.key}>{place(String(headings[c.column] ?? ''), c.width, c.align, padding)}</HeaderComponent>
          ))}
        </Text>
        {this.props.data.map((row) => {
          const meta: RowMeta = { state: (row[META_STATE] ?? 'UNKNOWN') as State, selected: row[META_SELECTED] === '1' };
          const id = row[META_KEY] ?? '';
          return (
            <RowContext.Provider key={id} value={meta}>
              <Box height={1}>
                {runs.map(([from, to]) => (
                  <Text key={from} wrap="truncate-end">
                    {columns.slice(from, to).map((c, j) => (
                      <CellComponent key={c.key} column={from + j}>
                        {place(String(row[c.column] ?? ''), c.width, c.align, padding)}
                      </CellComponent>
                    ))}
                  </Text>
                ))}
              </Box>
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
  /** The maintenance window a target is in (its alerts are held back), if any. */
  maintenance?: (target: Target) => string | undefined;
  /** Lines the grid may use below its heading. */
  height: number;
  emptyText: string;
}

export function Grid({ rows, columns, selectedId, now, uptime, maintenance, height, emptyText }: GridProps) {
  const data: GridRow[] = rows.map((v) => {
    const selected = v.target.id === selectedId;
    const maint = maintenance?.(v.target);
    const cells = formatRow(v, columns, { now, selected, ...(uptime ? { uptime: uptime(v.target.id) } : {}), ...(maint ? { maintenance: maint } : {}) });
    const row: GridRow = { [META_STATE]: v.monitor.state, [META_SELECTED]: selected ? '1' : '0', [META_KEY]: v.target.id };
    for (const c of columns) row[headingLabel(c.key)] = cells[c.key] ?? '';
    return row;
  });
  const tableColumns = columns.map((c) => ({ key: headingLabel(c.key), align: c.align }));
  return (
    <Box flexDirection="column" height={height + 1}>
      <ColumnsContext.Provider value={columns.map((c) => c.key)}>
        <GridTable data={data} columns={tableColumns} cell={GridCell} header={GridHeader} padding={1} />
      </ColumnsContext.Provider>
      {rows.length === 0 ? <Txt dim>{`  ${emptyText}`}</Txt> : null}
    </Box>
  );
}
