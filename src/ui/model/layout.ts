/** Layout arithmetic: which grid columns fit, how wide, and how the rows are shared. Pure. */

export type ColumnKey = 'NAME' | 'HOST:PORT' | 'SVC' | 'STATE' | 'WHY' | 'MS' | 'TREND' | 'UP%' | 'SINCE';

export interface GridColumn {
  key: ColumnKey;
  width: number;
  align: 'left' | 'right';
}

interface Spec {
  key: ColumnKey;
  /** The narrowest a column is squeezed to when the width runs short (less if its content is narrower). */
  min: number;
  max: number;
  align: 'left' | 'right';
  /** Sized by what its cells hold on screen (else always `min` wide; TREND takes the room left). */
  sized?: boolean;
  /** Optional columns appear, in this order, once the required ones have their minimum. */
  optional?: number;
  /** Required columns dropped, in this order, when even the minimums do not fit. */
  dropOrder?: number;
}

/** ink-table pads every cell by one space on each side. */
export const CELL_PADDING = 2;

/** The engine keeps this many recent handshakes per target: the widest a sparkline can be. */
export const TREND_SAMPLES = 120;

const SPECS: readonly Spec[] = [
  { key: 'NAME', min: 10, max: 40, align: 'left', sized: true },
  { key: 'HOST:PORT', min: 15, max: 48, align: 'left', sized: true, dropOrder: 2 },
  { key: 'SVC', min: 10, max: 12, align: 'left', sized: true, optional: 3 },
  { key: 'STATE', min: 10, max: 10, align: 'left', sized: true },
  { key: 'WHY', min: 20, max: 40, align: 'left', sized: true },
  { key: 'MS', min: 6, max: 6, align: 'right' },
  { key: 'TREND', min: 6, max: TREND_SAMPLES, align: 'left', dropOrder: 1 },
  { key: 'UP%', min: 6, max: 6, align: 'right', optional: 2 },
  { key: 'SINCE', min: 6, max: 6, align: 'right', optional: 1 },
];

/** Widest text per column over the rows on screen, heading included (see columnContent in rows.ts). */
export type ColumnContent = Partial<Record<ColumnKey, number>>;

/** Squeezed first when the width runs short; HOST:PORT last of all (its port is never cut, see rows.ts). */
const SHRINK_FIRST: readonly ColumnKey[] = ['WHY', 'NAME', 'SVC'];

/**
 * Which columns fit in `width`, and how wide. The set of columns depends on the width alone; their
 * widths on what the rows hold: a column is as wide as its widest cell (a column empty on screen
 * shrinks to its heading), squeezed when short of room, and TREND takes what is left (up to the
 * samples kept), so the sparkline shows more history on a wider screen. Without `content` every
 * content-sized column is taken to be at its minimum.
 */
export function gridColumns(width: number, content: ColumnContent = {}): GridColumn[] {
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
  const want = (s: Spec): number => (s.sized ? Math.max(1, Math.min(s.max, content[s.key] ?? s.min)) : s.min);
  const floor = (s: Spec): number => Math.min(want(s), s.min);
  const widths = new Map(chosen.map((s) => [s.key, want(s)]));
  let spare = width - chosen.reduce((n, s) => n + (widths.get(s.key) ?? 0) + CELL_PADDING, 0);
  // Short of room: take a column at a time from the one furthest above its floor.
  const squeeze = (keys: readonly ColumnKey[]): void => {
    while (spare < 0) {
      let best: Spec | undefined;
      let most = 0;
      for (const key of keys) {
        const s = chosen.find((c) => c.key === key);
        if (!s) continue;
        const excess = (widths.get(key) ?? 0) - floor(s);
        if (excess > most) [best, most] = [s, excess];
      }
      if (!best) return;
      widths.set(best.key, (widths.get(best.key) ?? 0) - 1);
      spare++;
    }
  };
  squeeze(SHRINK_FIRST);
  squeeze(['HOST:PORT']);
  const trend = chosen.find((s) => s.key === 'TREND');
  if (trend && spare > 0) {
    const grow = Math.min(spare, trend.max - (widths.get('TREND') ?? 0));
    widths.set('TREND', (widths.get('TREND') ?? 0) + grow);
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

/** How many lines the grid and the incident log would use if they had the room. */
export interface Content {
  /** Rows the grid shows (after the filter). */
  targets: number;
  incidents: number;
}

/**
 * header (1) · grid heading (1) + rows · detail pane · incident log · footer (1). Given the content,
 * neither the grid nor the log keeps rows it does not need: the grid takes what its rows need, the
 * log the rest; when both are long, the log keeps its usual share (22%, 3–12 lines).
 */
export function computeLayout(columns: number, rows: number, detailOpen: boolean, content?: Content): LayoutResult {
  if (columns < MIN_COLUMNS || rows < MIN_ROWS) return { ok: false, message: tooSmallMessage(columns, rows) };
  const height = rows - 1;
  const body = height - 2;
  let incidentHeight = clamp(Math.round(body * 0.22), 3, 12);
  let detailHeight = detailOpen ? clamp(Math.round(body * 0.42), 6, 20) : 0;
  const minGrid = 3; // heading + 2 rows
  if (content) {
    const room = body - detailHeight;
    const gridNeed = Math.max(minGrid, content.targets + 1);
    const logNeed = Math.max(2, content.incidents + 1); // title + lines ("no incidents" is one)
    if (gridNeed + logNeed <= room) incidentHeight = room - gridNeed;
    else incidentHeight = Math.max(2, Math.min(logNeed, Math.max(incidentHeight, room - gridNeed)));
  }
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
