import { Box } from 'ink';
import { useEffect, useLayoutEffect, useMemo, useReducer, useRef } from 'react';
import type { Defaults, Target } from '../config/target.js';
import type { ChannelHealth } from '../notify/index.js';
import type { ConsoleCommands } from './commands.js';
import { AddEditForm } from './components/AddEditForm.js';
import { ConfirmDelete } from './components/ConfirmDelete.js';
import { DetailPane, type UptimeWindows } from './components/DetailPane.js';
import { FilterBar } from './components/FilterBar.js';
import { Footer } from './components/Footer.js';
import { Grid } from './components/Grid.js';
import { diagnose, whyByTarget } from '../diagnosis/diagnose.js';
import { Header } from './components/Header.js';
import { HelpOverlay, type HistoryStatus } from './components/HelpOverlay.js';
import { IncidentLog } from './components/IncidentLog.js';
import { TooSmall } from './components/TooSmall.js';
import type { Feed } from '../feed/feed.js';
import { useEngineSnapshot, type IncidentFeed } from './hooks/useEngineSnapshot.js';
import { useKeys } from './hooks/useKeys.js';
import { useTerminalSize, type TermSize } from './hooks/useTerminalSize.js';
import { computeLayout, gridColumns, MIN_COLUMNS, scrollOffset, type GridColumn } from './model/layout.js';
import { ShownDurations } from './model/clock.js';
import { columnContent } from './model/rows.js';
import { filterViews, NameRanks, sortViews } from './model/sort-filter.js';
import { initialUiState, selectionIndex, uiReducer } from './model/ui-state.js';
import { ColorContext } from './style.js';

export interface ConsoleProps {
  source: Feed;
  incidents: IncidentFeed;
  commands: ConsoleCommands;
  defaults: Defaults;
  configFile: string;
  /** Where the console keeps what the user changed (shown in the help overlay). */
  stateFile: string;
  color?: boolean;
  /** Fixed terminal size (tests: ink-testing-library's stdout has no rows). */
  size?: TermSize;
  /** Uptime % per target, once history provides it; "—" otherwise. */
  uptime?: (targetId: string) => number | undefined;
  /** Uptime ratios over 24 h / 7 d / 30 d for the detail pane (null: nothing known). */
  uptimeWindows?: (targetId: string) => UptimeWindows | undefined;
  /** Where the monitor runs, for the header: "local" or "agent HOST:PORT" (read at each frame: a restarted agent may listen elsewhere). */
  mode?: string | (() => string);
  /** A warning for the header (history off, writes lost), read at each frame. */
  notice?: () => string | undefined;
  /** Where the history is kept and why it is off, for the help overlay (`?`). */
  history?: () => HistoryStatus | undefined;
  /** Alert channels' health, for the help overlay (`?`). */
  channels?: () => readonly ChannelHealth[];
  /** The maintenance window a target is in, if any: marked in the grid (its alerts are held back). */
  maintenance?: (target: Target) => string | undefined;
  /** Smallest gap between two frames for a state change or an incident, ms (the name is from when the console polled). */
  pollMs?: number;
  now?: () => number;
  /** Instrumentation (bench): React render + commit time of each frame, ms. */
  onFrame?: (ms: number) => void;
}

export function Console(props: ConsoleProps) {
  const { source, incidents, commands, defaults, configFile, stateFile, color = true, uptime, pollMs = 500, now = Date.now } = props;
  const renderStart = performance.now();
  const onFrame = props.onFrame;
  useLayoutEffect(() => {
    onFrame?.(performance.now() - renderStart);
  });
  const size = useTerminalSize(props.size);
  const shownDurations = useRef(new ShownDurations()).current;
  const snap = useEngineSnapshot(source, incidents, pollMs, now, shownDurations);
  const [state, dispatch] = useReducer(uiReducer, initialUiState);

  const ranks = useRef(new NameRanks()).current;
  // Which layer broke, per host: recomputed only when the snapshot changes (one pass over the views).
  const diagnoses = useMemo(() => diagnose(snap.views), [snap.views]);
  const whyOf = useMemo(() => whyByTarget(diagnoses), [diagnoses]);
  const visible = useMemo(() => sortViews(filterViews(snap.views, state.filter), state.sort, ranks), [snap.views, state.filter, state.sort, ranks]);
  const index = selectionIndex(state, visible);
  const selected = visible[index];

  const fit = computeLayout(size.columns, size.rows, state.detail, { targets: visible.length, incidents: snap.incidents.length });
  const layout = fit.ok ? fit.layout : undefined;
  const gridRows = layout?.gridRows ?? 1;
  // The scroll window is derived from the last one (move it as little as possible); it is not state
  // anyone else changes, so a ref keeps it without an extra render.
  const offsetRef = useRef(0);
  const offset = scrollOffset(offsetRef.current, index, gridRows, visible.length);
  offsetRef.current = offset;

  useKeys({
    state,
    dispatch,
    visible,
    pageSize: Math.max(1, gridRows - 1),
    commands,
    defaults,
    incidentLines: Math.max(1, (layout?.incidentHeight ?? 2) - 1),
    incidentCount: snap.incidents.length,
  });

  // The incident log names a few targets: looked up one by one, not a map of every target per frame.
  const nameOf = (id: string): string | undefined => source.get(id)?.target.name;
  const shown = visible.slice(offset, offset + gridRows);
  // Columns are shared by what the rows on screen hold. The same array while the widths hold: the
  // grid's rows compare their columns by identity.
  const fresh = gridColumns(layout?.width ?? MIN_COLUMNS, columnContent(shown, props.maintenance, (id) => whyOf.get(id)));
  const columnsRef = useRef<readonly GridColumn[]>(fresh);
  if (!sameColumns(columnsRef.current, fresh)) columnsRef.current = fresh;
  const columns = columnsRef.current;
  // The clock wakes the console only for durations on screen (see ShownDurations).
  const sinceShown = columns.some((c) => c.key === 'SINCE');
  const detailId = layout && layout.detailHeight > 0 && state.mode !== 'help' && state.mode !== 'form' ? selected?.target.id : undefined;
  const everything = !layout || state.mode === 'help';
  useEffect(() => shownDurations.set({ everything, since: sinceShown, detailId }), [shownDurations, everything, sinceShown, detailId]);

  if (!layout) {
    return (
      <ColorContext.Provider value={color}>
        <TooSmall message={fit.ok ? '' : fit.message} width={size.columns} />
      </ColorContext.Provider>
    );
  }
  const bodyHeight = layout.height - 2;
  let body;
  if (state.mode === 'help') body = <HelpOverlay width={layout.width} height={bodyHeight} stateFile={stateFile} configFile={configFile} channels={props.channels?.() ?? []} history={props.history?.()} now={snap.at} />;
  else if (state.mode === 'form' && state.form) body = <AddEditForm form={state.form} width={layout.width} height={bodyHeight} />;
  else
    body = (
      <>
        <Grid
          rows={shown}
          columns={columns}
          selectedId={selected?.target.id}
          diagnosis={(id) => whyOf.get(id)}
          now={snap.at}
          {...(uptime ? { uptime } : {})}
          {...(props.maintenance ? { maintenance: props.maintenance } : {})}
          height={gridRows}
          emptyText={snap.views.length === 0 ? 'no targets: press a to add one' : 'nothing matches the filter (Esc clears)'}
        />
        {layout.detailHeight > 0 ? (
          <DetailPane
            view={selected}
            width={layout.width}
            height={layout.detailHeight}
            now={snap.at}
            incidents={snap.incidents}
            diagnosis={selected ? diagnoses.find((d) => d.targetIds.includes(selected.target.id)) : undefined}
            {...(selected && props.uptimeWindows ? { uptime: props.uptimeWindows(selected.target.id) } : {})}
          />
        ) : null}
        <IncidentLog incidents={snap.incidents} nameOf={nameOf} offset={state.incidentOffset} height={layout.incidentHeight} width={layout.width} now={snap.at} />
      </>
    );
  let footer;
  if (state.mode === 'filter') footer = <FilterBar text={state.filter} width={layout.width} matches={visible.length} />;
  else if (state.mode === 'confirm') footer = <ConfirmDelete view={snap.views.find((v) => v.target.id === state.confirmId)} width={layout.width} />;
  else footer = <Footer width={layout.width} flash={state.flash} filter={state.filter} />;

  return (
    <ColorContext.Provider value={color}>
      <Box flexDirection="column" width={layout.width} height={layout.height}>
        <Header counts={snap.counts} configFile={configFile} lastCheckAt={snap.lastCheckAt} width={layout.width} sort={state.sort} shown={visible.length} total={snap.views.length} notice={props.notice?.()} mode={typeof props.mode === 'function' ? props.mode() : props.mode} />
        <Box flexDirection="column" height={bodyHeight}>
          {body}
        </Box>
        {footer}
      </Box>
    </ColorContext.Provider>
  );
}

function sameColumns(a: readonly GridColumn[], b: readonly GridColumn[]): boolean {
  return a.length === b.length && a.every((c, i) => c.key === b[i]?.key && c.width === b[i]?.width);
}
