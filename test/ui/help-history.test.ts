import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { helpLines } from '../../src/ui/components/HelpOverlay.js';

describe('help overlay: the history', () => {
  it('shows where the history is and the whole reason it is off, wrapped, at 80 columns', () => {
    const problem =
      'history off: history database /var/lib/porthole/history.sqlite is not writable (EACCES: permission denied, open) — make the data dir writable, or choose another with --data-dir or "dataDir" in the config';
    const lines = helpLines('/s/console-state.json', '/etc/porthole.json', [], Date.now(), { width: 80, height: 60 }, { file: '/var/lib/porthole/history.sqlite', problem });
    const at = lines.findIndex((l) => l.startsWith('  history: /var/lib/porthole/history.sqlite'));
    assert.ok(at >= 0, lines.join('\n'));
    const shown = lines.slice(at + 1).filter((l) => l.startsWith('    ')).map((l) => l.trim()).join(' ');
    assert.ok(shown.includes('"dataDir" in the config'), `the end of the reason is shown:\n${lines.join('\n')}`);
    for (const l of lines) assert.ok(l.length <= 80, `line over 80 columns: ${l}`);
    assert.ok(!lines.some((l) => l.includes('…')), 'nothing cut short');
  });
});
