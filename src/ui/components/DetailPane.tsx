import asciichart from 'asciichart';
import { Box } from 'ink';
import { formatDuration } from '../../config/duration.js';
import { describeEndpoint, kindOf } from '../../checks/registry.js';
import type { Incident, TargetView } from '../../engine/types.js';
import type { HostDiagnosis } from '../../diagnosis/diagnose.js';
import type { RecentSamples } from '../../engine/sample-ring.js';
import { stateLabel, uptimeText, whyText } from '../model/rows.js';
import { latencyStats } from '../model/stats.js';
import { formatMs } from '../../text/ms.js';
import { STATE_COLOR } from '../model/state-style.js';
import { clockTime } from '../model/summary.js';
import { sanitize } from '../../text/sanitize.js';
import { clip } from '../model/text.js';
import { Txt } from '../style.js';

const LABEL_WIDTH = 10;

/** The chart lines: asciichart with a labelled ms axis, never with colours (it would emit raw SGR codes). */
export function chartLines(samples: RecentSamples, width: number, height: number): string[] {
  const points = samples.slice().filter((v): v is number => v !== null);
  const room = Math.max(2, width - LABEL_WIDTH - 3);
  const series = points.slice(-room);
  if (series.length < 2 || height < 2) return [];
  const span = Math.max(...series) - Math.min(...series);
  // Enough decimals that neighbouring axis labels differ.
  const digits = span / Math.max(1, height - 1) < 0.1 ? 2 : span / Math.max(1, height - 1) < 1 ? 1 : 0;
  const plot = asciichart.plot(series, {
    height: height - 1,
    format: (x: number) => `${x.toFixed(digits)}ms`.padStart(LABEL_WIDTH),
  });
  return plot.split('\n').map((l) => clip(l, width));
}

export function evidenceLine(v: TargetView): string {
  const r = v.lastResult;
  if (!r) return 'no check yet';
  const when = clockTime(r.startedAt);
  const addr = r.address ? ` via ${sanitize(r.address, 60)}` : '';
  const kind = kindOf(v.target);
  const timing = kind.timing(r);
  if (r.outcome === 'open') return `last check ${when}: ${kind.passed ?? 'ok'} · ${timing}${addr}`;
  return `last error ${when}: ${r.outcome}${r.errno ? ` ${sanitize(r.errno, 20)}` : ''} — ${sanitize(r.detail ?? '', 120)} · ${timing}${addr}`;
}

export type UptimeWindows = Record<'24h' | '7d' | '30d', number | null>;

export function uptimeLine(u: UptimeWindows | undefined): string {
  const fmt = (r: number | null) => (r === null ? '—' : uptimeText(r * 100));
  return u ? `uptime 24h ${fmt(u['24h'])} · 7d ${fmt(u['7d'])} · 30d ${fmt(u['30d'])}` : 'uptime: no history yet';
}

/** The selected target's latest incidents, newest first, one line each. */
export function targetIncidentLines(incidents: readonly Incident[], targetId: string, max: number, now: number): string[] {
  return incidents
    .filter((i) => i.targetId === targetId)
    .slice(0, max)
    .map((i) => {
      const dur = i.durationMs !== null ? formatDuration(i.durationMs) : `ongoing ${formatDuration(Math.max(0, now - i.started))}`;
      return `  ${clockTime(i.started)} ${i.from}→${i.to} ${i.cause} ${dur}`;
    });
}

export interface DetailPaneProps {
  view: TargetView | undefined;
  width: number;
  height: number;
  now: number;
  incidents?: readonly Incident[];
  uptime?: UptimeWindows | undefined;
  /** The verdict for the target's host (src/diagnosis), when one covers it. */
  diagnosis?: HostDiagnosis | undefined;
}

export function DetailPane({ view, width, height, now, incidents = [], uptime, diagnosis }: DetailPaneProps) {
  if (!view) {
    return (
      <Box height={height}>
        <Txt dim>no target selected</Txt>
      </Box>
    );
  }
  const t = view.target;
  const stats = latencyStats(view.recent);
  const kind = kindOf(t);
  const why = whyText(view);
  const title = `─ ${sanitize(t.name, 40)} ${sanitize(describeEndpoint(t), 60)}${t.service ? ` (${sanitize(t.service, 20)})` : ''} · ${stateLabel(view)}${why ? ` ${sanitize(why, 40)}` : ''} · since ${formatDuration(Math.max(0, now - view.monitor.since))} · ${view.checks} ${view.checks === 1 ? 'check' : 'checks'}, ${view.failures} failed `;
  const statsLine = stats
    ? `${kind.figure} ms over last ${stats.count}: min ${formatMs(stats.min)} · median ${formatMs(stats.median)} · p95 ${formatMs(stats.p95)} · max ${formatMs(stats.max)}`
    : `no successful ${kind.figure} yet`;
  const evidence = view.monitor.evidence && view.monitor.state !== 'UP' ? `evidence: ${sanitize(view.monitor.evidence, 160)}` : '';
  const r = view.lastResult;
  const layers = r ? kind.detailLines(r) : [];
  const verdict = diagnosis ? [`diagnosis: ${sanitize(diagnosis.text, 160)}`, ...diagnosis.evidence.slice(0, 3).map((e) => `  ${sanitize(e, 160)}`)] : [];
  const head = [evidenceLine(view), ...verdict, ...layers, statsLine, ...(evidence ? [evidence] : []), uptimeLine(uptime)];
  // Room permitting: a chart of at least 4 lines first, then the target's last incidents.
  const spare = height - 1 - head.length - 5;
  const own = spare >= 2 ? targetIncidentLines(incidents, view.target.id, Math.min(5, spare - 1), now) : [];
  const fixed = own.length ? [...head, 'incidents:', ...own] : head;
  const chart = chartLines(view.recent, width, height - 1 - fixed.length);
  return (
    <Box flexDirection="column" height={height}>
      <Txt bold color={STATE_COLOR[view.monitor.state]}>
        {clip(title.padEnd(width, '─'), width)}
      </Txt>
      {fixed.map((l, i) => (
        <Txt key={`f${i}`}>{clip(l, width)}</Txt>
      ))}
      {chart.map((l, i) => (
        <Txt key={`c${i}`} dim={false}>
          {l}
        </Txt>
      ))}
    </Box>
  );
}
