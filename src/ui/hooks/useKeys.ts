import { useInput, type Key } from 'ink';
import { useRef } from 'react';
import type { TargetView } from '../../engine/types.js';
import type { ConsoleCommands } from '../commands.js';
import { formFromTarget } from '../model/form.js';
import { printable, type UiAction, type UiState } from '../model/ui-state.js';
import type { Defaults } from '../../config/target.js';
import { sanitize } from '../../text/sanitize.js';

export interface KeyContext {
  state: UiState;
  dispatch: (a: UiAction) => void;
  visible: readonly TargetView[];
  selected: TargetView | undefined;
  index: number;
  pageSize: number;
  commands: ConsoleCommands;
  defaults: Defaults;
  incidentLines: number;
}

const NO_KEY: Key = {
  upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageDown: false, pageUp: false, home: false, end: false,
  return: false, escape: false, ctrl: false, shift: false, tab: false, backspace: false, delete: false, meta: false, super: false, hyper: false, capsLock: false, numLock: false,
};

/**
 * Keys that arrive together in one read (key repeat while a frame is drawn, typing ahead) come as one
 * string: run of j/k moves by its length, anything else is handled one character at a time.
 */
function handleChunk(input: string, c: KeyContext): void {
  const run = /^(j+|k+)$/.exec(input);
  if (run) {
    const by = input[0] === 'j' ? input.length : -input.length;
    const i = Math.max(0, Math.min(c.visible.length - 1, c.index + by));
    c.dispatch({ type: 'select', id: c.visible[i]?.target.id, index: Math.max(0, i) });
    return;
  }
  for (const ch of input) handleKey(ch === '\r' ? '' : ch, ch === '\r' ? { ...NO_KEY, return: true } : NO_KEY, c);
}

/** Pure: what one key press does in the current mode. */
export function handleKey(input: string, key: Key, c: KeyContext): void {
  const { state: s, dispatch, commands, selected } = c;
  if (key.ctrl && input === 'c') return commands.quit();
  if (s.mode === 'normal' && input.length > 1 && !key.ctrl && !key.meta && /^[\x20-\x7e\r]+$/.test(input)) return handleChunk(input, c);
  switch (s.mode) {
    case 'help':
      dispatch({ type: 'help', open: false });
      return;
    case 'confirm':
      if (input === 'y' || input === 'Y') {
        if (s.confirmId) {
          commands.remove(s.confirmId);
          dispatch({ type: 'flash', text: 'deleted' });
        }
      }
      dispatch({ type: 'confirmClose' });
      return;
    case 'filter':
      if (key.escape) dispatch({ type: 'filterClear' });
      else if (key.return || key.downArrow || key.upArrow) dispatch({ type: 'filterDone' });
      else if (key.backspace || key.delete) dispatch({ type: 'filterBackspace' });
      else if (!key.ctrl && !key.meta) {
        const text = printable(input);
        if (text) dispatch({ type: 'filterInput', text });
      }
      return;
    case 'form': {
      if (!s.form) return;
      // Typed ahead: a Tab inside a chunk of text still moves to the next field.
      if (input.length > 1 && input.includes('\t')) {
        const [first = '', ...rest] = input.split('\t');
        if (first) dispatch({ type: 'formInput', text: printable(first) });
        for (const part of rest) {
          dispatch({ type: 'formFocus', by: 1 });
          if (part) dispatch({ type: 'formInput', text: printable(part) });
        }
        return;
      }
      if (key.escape) dispatch({ type: 'formClose' });
      else if (key.tab && key.shift) dispatch({ type: 'formFocus', by: -1 });
      else if (key.tab || key.downArrow) dispatch({ type: 'formFocus', by: 1 });
      else if (key.upArrow) dispatch({ type: 'formFocus', by: -1 });
      else if (key.backspace || key.delete) dispatch({ type: 'formBackspace' });
      else if (key.return) {
        const r = commands.submit(s.form.values, s.form.editingId);
        if (r.ok) {
          dispatch({ type: 'formClose' });
          dispatch({ type: 'flash', text: s.form.editingId ? 'saved' : 'added' });
        } else dispatch({ type: 'formProblems', problems: r.problems });
      } else if (!key.ctrl && !key.meta) {
        const text = printable(input);
        if (text) dispatch({ type: 'formInput', text });
      }
      return;
    }
    case 'normal':
      break;
  }
  if (s.flash) dispatch({ type: 'flash', text: undefined });
  if (input === 'q') return commands.quit();
  if (key.escape) {
    if (s.filter) dispatch({ type: 'filterClear' });
    return;
  }
  // Movement resolves to a target id here, against the rows on screen, so the selection follows the
  // target when the list re-sorts.
  const moveTo = (index: number): void => {
    const i = Math.max(0, Math.min(c.visible.length - 1, index));
    dispatch({ type: 'select', id: c.visible[i]?.target.id, index: Math.max(0, i) });
  };
  if (key.upArrow || input === 'k') return moveTo(c.index - 1);
  if (key.downArrow || input === 'j') return moveTo(c.index + 1);
  if (key.pageUp) return moveTo(c.index - c.pageSize);
  if (key.pageDown) return moveTo(c.index + c.pageSize);
  if (input === 'g' || key.home) return moveTo(0);
  if (input === 'G' || key.end) return moveTo(c.visible.length - 1);
  if (key.return) return dispatch({ type: 'toggleDetail' });
  if (input === '?') return dispatch({ type: 'help', open: true });
  if (input === '/') return dispatch({ type: 'filterStart' });
  if (input === 's') return dispatch({ type: 'cycleSort' });
  if (input === 'a') return dispatch({ type: 'formOpen' });
  if (input === '[') return dispatch({ type: 'incidentScroll', by: -Math.max(1, c.incidentLines) });
  if (input === ']') return dispatch({ type: 'incidentScroll', by: Math.max(1, c.incidentLines) });
  if (input === 'P') {
    const did = commands.toggleAll();
    return dispatch({ type: 'flash', text: `${did} all targets` });
  }
  if (!selected) return;
  const name = sanitize(selected.target.name, 40);
  if (input === 'e') return dispatch({ type: 'formOpen', values: formFromTarget(selected.target, c.defaults), editingId: selected.target.id });
  if (input === 'p') {
    commands.togglePause(selected.target.id);
    return;
  }
  if (input === 'r') {
    commands.recheck(selected.target.id);
    return dispatch({ type: 'flash', text: selected.target.paused ? `${name} is paused: p resumes it` : `rechecking ${name}` });
  }
  if (input === 'd') return dispatch({ type: 'confirmOpen', id: selected.target.id });
}

/** Wires Ink's input to handleKey, always with the latest context. */
export function useKeys(ctx: KeyContext, active = true): void {
  const ref = useRef(ctx);
  ref.current = ctx;
  useInput((input, key) => handleKey(input, key, ref.current), { isActive: active });
}
