/** Layout arithmetic: which grid columns fit, how wide, and how the rows are shared. Pure. */

export type ColumnKey = 'NAME' | 'HOST:PORT' | 'SVC' | 'STATE' | 'WHY' | 'MS' | 'TREND' | 'UP%' | 'SINCE';

export interface GridColumn {
  key: ColumnKey;
  width: number;
  align: 'left' | 'right';
}

interface Spec {
  key: ColumnKey;
  min: number;
  max: number;
  align: 'left' | 'right';
  /** Optional columns appear, in this order, once the required ones have their minimum. */
  optional?: number;
  /** Required columns dropped, in this order, when even the minimums do not fit. */
  dropOrder?: number;
}

/** ink-table pads every cell by one space on each side. */
export const CELL_PADDING = 2;

const SPECS: readonly Spec[] = [
  { key: 'NAME', min: 10, max: 28, align: 'left' },
  { key: 'HOST:PORT', min: 15, max: 32, align: 'left', dropOrder: 2 },
  { key: 'SVC', min: 10, max: 10, align: 'left', optional: 3 },
  { key: 'STATE', min: 10, max: 10, align: 'left' },
  { key: 'WHY', min: 20, max: 30, align: 'left' },
  { key: 'MS', min: 6, max: 6, align: 'right' },
  { key: 'TREND', min: 6, max: 60, align: 'left', dropOrder: 1 },
  { key: 'UP%', min: 6, max: 6, align: 'right', optional: 2 },
  { key: 'SINCE', min: 6, max: 6, align: 'right', optional: 1 },
];

const GROW_ORDER: readonly ColumnKey[] = ['NAME', 'HOST:PORT', 'WHY', 'TREND'];

export function gridColumns(width: number): GridColumn[] {
  let chosen = SPECS.filter((s) => s.optional === undefined);
  const cost = (list: readonly Spec[]): number => list.reduce((n, s) => n + s.min + CELL_PADDING, 0);
  const droppable = chosen.filter((s) => s.dropOrder !== undefined).sort((a, b) => (a.dropOrder ?? 0) - (b.dropOrder ?? 0));
  for (const d of droppable) {
    if (cost(chosen) <= width) break;
    chosen = chosen.filter((s) => s !== d);
  }
  const optional = SPECS.filter((s) => s.optional !== undefined).sort((a, b) => (a.optional ?? 0) - (b.optional ?? 0));
  for (const o of optional) {
    // Optional columns only once the growable ones have some room too.
    if (cost([...chosen, o]) + 8 <= width) chosen = [...chosen, o];
  }
  chosen = SPECS.filter((s) => chosen.includes(s));
  const widths = new Map(chosen.map((s) => [s.key, s.min]));
  let spare = width - cost(chosen);
  // Grow in rounds so the growable columns share the room.
  while (spare > 0) {
    let grew = false;
    for (const key of GROW_ORDER) {
      const s = chosen.find((c) => c.key === key);
      const w = widths.get(key);
      if (!s || w === undefined || w >= s.max || spare <= 0) continue;
      widths.set(key, w + 1);
      spare--;
      grew = true;
    }
    if (!grew) break;
  }
  return chosen.map((s) => ({ key: s.key, width: widths.get(s.key) ?? s.min, align: s.align }));
}

export function gridWidth(cols: readonly GridColumn[]): number {
  return cols.reduce((n, c) => n + c.width + CELL_PADDING, 0);
}

export const MIN_COLUMNS = 60;
export const MIN_ROWS = 12;

export interface Layout {
  /** Whole frame height: always at most rows − 1, so Ink never repaints the full screen. */
  height: number;
  width: number;
  /** Visible data rows of the grid (its heading line comes on top). */
  gridRows: number;
  /** Lines of the detail pane, 0 when closed. */
  detailHeight: number;
  /** Lines of the incident log including its title line. */
  incidentHeight: number;
}

export type LayoutResult = { ok: true; layout: Layout } | { ok: false; message: string };

export function tooSmallMessage(columns: number, rows: number): string {
  return `terminal too small: need ${MIN_COLUMNS}×${MIN_ROWS}, have ${columns}×${rows}`;
}

const clamp = (v: number, lo: number, hi: number): number => Math.max(lo, Math.min(hi, v));

/** header (1) · grid heading (1) + rows · detail pane · incident log · footer (1). */
export function computeLayout(columns: number, rows: number, detailOpen: boolean): LayoutResult {
  if (columns < MIN_COLUMNS || rows < MIN_ROWS) return { ok: false, message: tooSmallMessage(columns, rows) };
  const height = rows - 1;
  const body = height - 2;
  let incidentHeight = clamp(Math.round(body * 0.22), 3, 12);
  let detailHeight = detailOpen ? clamp(Math.round(body * 0.42), 6, 20) : 0;
  const minGrid = 3; // heading + 2 rows
  let grid = body - incidentHeight - detailHeight;
  if (grid < minGrid && detailHeight > 0) {
    const take = Math.min(minGrid - grid, detailHeight - 4);
    detailHeight -= take;
    grid += take;
  }
  if (grid < minGrid) {
    const take = Math.min(minGrid - grid, incidentHeight - 2);
    incidentHeight -= take;
    grid += take;
  }
  // One column short of the edge: a line that fills the last column leaves the cursor in a pending-wrap
  // state that throws off the line-by-line repaint of incremental rendering.
  return { ok: true, layout: { height, width: columns - 1, gridRows: Math.max(1, grid - 1), detailHeight, incidentHeight } };
}

/** Keeps the selected row inside a window of `height` rows, moving the window as little as possible. */
export function scrollOffset(prev: number, index: number, height: number, total: number): number {
  if (total <= height) return 0;
  let off = clamp(prev, 0, total - height);
  if (index < off) off = index;
  else if (index >= off + height) off = index - height + 1;
  return clamp(off, 0, Math.max(0, total - height));
}
