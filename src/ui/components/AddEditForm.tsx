import { Box } from 'ink';
import { fieldOf, fieldsFor } from '../model/form.js';
import { sanitize } from '../../text/sanitize.js';
import { clip } from '../model/text.js';
import type { FormState } from '../model/ui-state.js';
import { Txt } from '../style.js';

/** name, kind, host, port or service, interval, timeout and the kind's options; schema errors inline under their field. */
export function AddEditForm({ form, width, height }: { form: FormState; width: number; height: number }) {
  const title = form.editingId ? `─ Edit target ${sanitize(form.editingId, 40)} ` : '─ Add a target ';
  const lines: { key: string; text: string; kind: 'field' | 'focus' | 'error' | 'hint' }[] = [];
  fieldsFor(form.values).forEach((f, i) => {
    const focused = i === form.focus;
    const value = sanitize(form.values[f.key] ?? '', 80);
    lines.push({ key: f.key, kind: focused ? 'focus' : 'field', text: `${focused ? '›' : ' '} ${f.label.padEnd(9)} ${value}${focused ? '▏' : ''}${value ? '' : `   ${f.hint}`}` });
    // The first problem per field is the one to fix; the rest repeat it in other words.
    for (const p of form.problems.filter((x) => fieldOf(x) === f.key).slice(0, 1)) lines.push({ key: `${f.key}-${p.message}`, kind: 'error', text: `    ✗ ${sanitize(p.message, 200)}` });
  });
  for (const p of form.problems.filter((x) => fieldOf(x) === undefined)) lines.push({ key: `other-${p.path}-${p.message}`, kind: 'error', text: `  ✗ ${sanitize(p.path, 40)}: ${sanitize(p.message, 200)}` });
  lines.push({ key: 'hint', kind: 'hint', text: '  Tab/↓ next field · ↑ previous · Enter save · Esc cancel' });
  return (
    <Box flexDirection="column" height={height}>
      <Txt bold>{clip(title.padEnd(width, '─'), width)}</Txt>
      {lines.slice(0, Math.max(0, height - 1)).map((l) => (
        <Txt key={l.key} {...(l.kind === 'error' ? { color: 'red' as const } : {})} bold={l.kind === 'focus'} dim={l.kind === 'hint'}>
          {clip(l.text, width)}
        </Txt>
      ))}
    </Box>
  );
}
