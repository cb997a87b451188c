import { Box, useApp, useInput } from 'ink';
import { useEffect, useState } from 'react';
import type { QuorumView } from '../cluster/quorum.js';
import { useTerminalSize, type TermSize } from './hooks/useTerminalSize.js';
import { clusterLines, type ClusterLine } from './model/cluster-rows.js';
import { ColorContext, Txt } from './style.js';
import type { ColorName } from './model/state-style.js';

/** What the cluster console reads: the quorum views, kept up to date by the caller (no I/O here). */
export interface ClusterSource {
  views(now: number): QuorumView[];
  locations(): string[];
  readonly version: number;
  /** A line for the header: where the cluster is, and whether the link is up. */
  header(): string;
  /** Asks every location that checks it to check it now; the answers come back through note(). */
  recheck(id: string, name: string): void;
  /** The latest recheck's answers so far, as one line. */
  note(): string | undefined;
}

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
  const [selected, setSelected] = useState(0);
  const [, setTick] = useState(0);
  useEffect(() => {
    // Redrawn when a result arrived, and every second for the STALE ages.
    let seen = source.version;
    let last = Date.now();
    const t = setInterval(() => {
      if (source.version !== seen || Date.now() - last >= 1000) {
        seen = source.version;
        last = Date.now();
        setTick((n) => n + 1);
      }
    }, 200);
    return () => clearInterval(t);
  }, [source]);
  useInput((input, key) => {
    if (input === 'q') {
      onQuit();
      exit();
    } else if (input === 'j' || key.downArrow) setSelected((o) => Math.min(o + 1, Math.max(0, views.length - 1)));
    else if (input === 'k' || key.upArrow) setSelected((o) => Math.max(0, o - 1));
    else if (input === 'r') {
      const v = views[Math.min(selected, views.length - 1)];
      if (v) source.recheck(v.id, v.name);
    }
  });
  const now = Date.now();
  const views = source.views(now);
  const lines = clusterLines(views, source.locations(), size, now, source.header(), selected, source.note());
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
