import { Table, type CellProps } from '@alcalzone/ink-table';
import { Box, Text } from 'ink';
import { createContext, memo, useContext, useMemo, type ComponentType, type PropsWithChildren, type ReactNode } from 'react';
import type { Target } from '../../config/target.js';
import type { State, TargetView } from '../../engine/types.js';
import { headingLabel, formatRow } from '../model/rows.js';
import type { ColumnKey, GridColumn } from '../model/layout.js';
import { STATE_COLOR } from '../model/state-style.js';
import { Txt } from '../style.js';

type GridRow = Record<string, string>;

const StateContext = createContext<State | undefined>(undefined);
const ColumnsContext = createContext<readonly ColumnKey[]>([]);

/** Columns drawn in the row's state colour; every other cell is plain text. */
const STYLED_COLUMNS: ReadonlySet<ColumnKey> = new Set<ColumnKey>(['STATE', 'WHY']);

/** The state and why cells carry the state's colour (the row around them is inverse when selected). */
function GridCell({ column, children }: CellProps) {
  const state = useContext(StateContext);
  const key = useContext(ColumnsContext)[column];
  const color = state && key !== undefined && STYLED_COLUMNS.has(key) ? STATE_COLOR[state] : undefined;
  return (
    <Txt {...(color ? { color } : {})} bold={color !== undefined && state === 'DOWN'}>
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

interface GridRowProps {
  keys: readonly ColumnKey[];
  /** Each cell already placed in its column (padded to its width). */
  cells: readonly string[];
  state: State;
  selected: boolean;
  cell: ComponentType<CellProps>;
}

const sameRow = (a: GridRowProps, b: GridRowProps): boolean =>
  a.state === b.state &&
  a.selected === b.selected &&
  a.keys === b.keys &&
  a.cell === b.cell &&
  a.cells.length === b.cells.length &&
  a.cells.every((c, i) => c === b.cells[i]);

/**
 * One grid row: a single Ink <Text> in which each run of plain cells is one string and only the
 * coloured cells are components. Ink lays out, measures and squashes every text node every frame, so
 * one node per row (not one per cell) keeps a frame cheap; a row whose text did not change is not
 * rendered again (memo), so its layout stays clean and only changed rows are measured.
 */
const GridRowLine = memo(function GridRowLine({ keys, cells, state, selected, cell: CellComponent }: GridRowProps) {
  const parts: ReactNode[] = [];
  let plain = '';
  keys.forEach((key, i) => {
    if (!STYLED_COLUMNS.has(key)) {
      plain += cells[i] ?? '';
      return;
    }
    if (plain) parts.push(plain);
    plain = '';
    parts.push(
      <CellComponent key={key} column={i}>
        {cells[i] ?? ''}
      </CellComponent>,
    );
  });
  if (plain) parts.push(plain);
  return (
    <StateContext.Provider value={state}>
      <Txt inverse={selected}>{parts}</Txt>
    </StateContext.Provider>
  );
}, sameRow);

/**
 * ink-table, thinly extended: its column model (getColumns, getHeadings, alignment, padding) and its
 * cell/header components, but no box-drawing and no per-row separator lines. Rows carry their state
 * and selection in hidden keys (not columns).
 */
class GridTable extends Table<GridRow> {
  static override contextType = ColumnsContext;
  declare context: readonly ColumnKey[];

  override render() {
    const keys = this.context;
    const columns = this.getColumns();
    const headings = this.getHeadings();
    const { cell, header: HeaderComponent, padding } = this.getConfig();
    return (
      <Box flexDirection="column">
        <Text wrap="truncate-end">
          {columns.map((c) => (
            <HeaderComponent key={c.key}>{place(String(headings[c.column] ?? ''), c.width, c.align, padding)}</HeaderComponent>
          ))}
        </Text>
        {this.props.data.map((row) => (
          <GridRowLine
            key={row[META_KEY] ?? ''}
            keys={keys}
            cells={columns.map((c) => place(String(row[c.column] ?? ''), c.width, c.align, padding))}
            state={(row[META_STATE] ?? 'UNKNOWN') as State}
            selected={row[META_SELECTED] === '1'}
            cell={cell}
          />
        ))}
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
  /** The host verdict covering a target, in a few words (src/diagnosis), if any. */
  diagnosis?: (targetId: string) => string | undefined;
  /** Lines the grid may use below its heading. */
  height: number;
  emptyText: string;
}

export function Grid({ rows, columns, selectedId, now, uptime, maintenance, diagnosis, height, emptyText }: GridProps) {
  const data: GridRow[] = rows.map((v) => {
    const selected = v.target.id === selectedId;
    const maint = maintenance?.(v.target);
    const why = diagnosis?.(v.target.id);
    const cells = formatRow(v, columns, { now, selected, ...(uptime ? { uptime: uptime(v.target.id) } : {}), ...(maint ? { maintenance: maint } : {}), ...(why ? { diagnosis: why } : {}) });
    const row: GridRow = { [META_STATE]: v.monitor.state, [META_SELECTED]: selected ? '1' : '0', [META_KEY]: v.target.id };
    for (const c of columns) row[headingLabel(c.key)] = cells[c.key] ?? '';
    return row;
  });
  const tableColumns = columns.map((c) => ({ key: headingLabel(c.key), align: c.align }));
  const keys = useMemo(() => columns.map((c) => c.key), [columns]);
  return (
    <Box flexDirection="column" height={height + 1}>
      <ColumnsContext.Provider value={keys}>
        <GridTable data={data} columns={tableColumns} cell={GridCell} header={GridHeader} padding={1} />
      </ColumnsContext.Provider>
      {rows.length === 0 ? <Txt dim>{`  ${emptyText}`}</Txt> : null}
    </Box>
  );
}
