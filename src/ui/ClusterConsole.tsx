import { Box, useApp, useInput } from 'ink';
import { useRef, useState } from 'react';
import type { QuorumView } from '../cluster/quorum.js';
import { useClusterFrames, type ClusterFrameSource } from './hooks/useClusterFrames.js';
import { useTerminalSize, type TermSize } from './hooks/useTerminalSize.js';
import { clusterLines, type ClusterLine } from './model/cluster-rows.js';
import { ColorContext, Txt } from './style.js';
import type { ColorName } from './model/state-style.js';

/** What the cluster console reads: the quorum views, kept up to date by the caller (no I/O here). */
export interface ClusterSource extends ClusterFrameSource {
  views(now: number): QuorumView[];
  locations(): string[];
  /** A line for the header: where the cluster is, and whether the link is up. */
  header(): string;
  /** Asks every location that checks it to check it now; the answers come back through note(). */
  recheck(id: string, name: string): void;
  /** The latest recheck's answers, or what an add or delete did, as one line. */
  note(): string | undefined;
  /** Puts a target typed as `[NAME] HOST:PORT` into the shared list. */
  add(text: string): void;
  remove(id: string, name: string): void;
}

type Mode = { kind: 'browse' } | { kind: 'add'; text: string } | { kind: 'delete'; id: string; name: string };

const TONE: Record<NonNullable<ClusterLine['tone']>, { color?: ColorName; bold?: boolean; dim?: boolean }> = {
  UP: { color: 'green' },
  PARTIAL: { color: 'yellow', bold: true },
  DOWN: { color: 'red', bold: true },
  STALE: { color: 'gray' },
  UNKNOWN: { color: 'gray' },
  header: { bold: true },
  dim: { dim: true },
};

/** The console of `porthole ui --cluster`: every target by quorum, and each location's own view. */
export function ClusterConsole({ source, color, size: override, onQuit }: { source: ClusterSource; color: boolean; size?: TermSize; onQuit(): void }) {
  const size = useTerminalSize(override);
  const { exit } = useApp();
  const selectedRef = useRef(0);
  const [selected, setSelected] = useState(0);
  const select = (i: number) => {
    selectedRef.current = i;
    setSelected(i);
  };
  // Keys typed faster than a render (a paste) must each see the last one's effect: the mode lives in a ref.
  const modeRef = useRef<Mode>({ kind: 'browse' });
  const [mode, setModeState] = useState<Mode>(modeRef.current);
  const setMode = (m: Mode) => {
    modeRef.current = m;
    setModeState(m);
  };
  // Redrawn when the source changes and when a shown age or STALE does: no polling.
  useClusterFrames(source);
  useInput((input, key) => {
    const mode = modeRef.current;
    if (mode.kind === 'add') {
      if (key.escape) setMode({ kind: 'browse' });
      else if (key.return) {
        source.add(mode.text);
        setMode({ kind: 'browse' });
      } else if (key.backspace || key.delete) setMode({ kind: 'add', text: mode.text.slice(0, -1) });
      else if (input && !key.ctrl && !key.meta) setMode({ kind: 'add', text: (mode.text + input).slice(0, 200) });
      return;
    }
    if (mode.kind === 'delete') {
      if (input === 'y') source.remove(mode.id, mode.name);
      setMode({ kind: 'browse' });
      return;
    }
    const shown = source.views(Date.now());
    const current = () => shown[Math.min(selectedRef.current, shown.length - 1)];
    if (key.downArrow) select(Math.min(selectedRef.current + 1, Math.max(0, shown.length - 1)));
    else if (key.upArrow) select(Math.max(0, selectedRef.current - 1));
    // Keys that came together (typed fast, or a paste) are taken one by one.
    for (const ch of input) {
      if (modeRef.current.kind !== 'browse') break;
      if (ch === 'j') select(Math.min(selectedRef.current + 1, Math.max(0, shown.length - 1)));
      else if (ch === 'k') select(Math.max(0, selectedRef.current - 1));
      else if (ch === 'a') setMode({ kind: 'add', text: '' });
      else if (ch === 'r' || ch === 'd') {
        const v = current();
        if (v && ch === 'r') source.recheck(v.id, v.name);
        if (v && ch === 'd') setMode({ kind: 'delete', id: v.id, name: v.name });
      } else if (ch === 'q') {
        onQuit();
        exit();
      }
    }
  });
  const now = Date.now();
  const views = source.views(now);
  const note =
    mode.kind === 'add' ? `add to every location: ${mode.text}▏  (NAME HOST:PORT or HOST:SERVICE · Enter adds · Esc cancels)`
    : mode.kind === 'delete' ? `remove ${mode.name} from the shared list? y / any other key keeps it`
    : source.note();
  const lines = clusterLines(views, source.locations(), size, now, source.header(), selected, note);
  return (
    <ColorContext.Provider value={color}>
      <Box flexDirection="column" width={size.columns} height={size.rows}>
        {lines.map((l, i) => (
          <Txt key={i} {...(l.tone ? TONE[l.tone] : {})} inverse={l.selected ?? false}>
            {l.text}
          </Txt>
        ))}
      </Box>
    </ColorContext.Provider>
  );
}
