import { useInput, type Key } from 'ink';
import { useRef } from 'react';
import type { TargetView } from '../../engine/types.js';
import type { ConsoleCommands } from '../commands.js';
import { formFromTarget } from '../model/form.js';
import { printable, selectionIndex, uiReducer, type UiAction, type UiState } from '../model/ui-state.js';
import type { Defaults } from '../../config/target.js';
import { sanitize } from '../../text/sanitize.js';

export interface KeyContext {
  state: UiState;
  dispatch: (a: UiAction) => void;
  /** The rows on screen, in order: movement resolves against them. */
  visible: readonly TargetView[];
  pageSize: number;
  commands: ConsoleCommands;
  defaults: Defaults;
  /** Lines of the incident log (a page for [ and ]) and how many incidents there are. */
  incidentLines: number;
  incidentCount: number;
}

const NO_KEY: Key = {
  upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageDown: false, pageUp: false, home: false, end: false,
  return: false, escape: false, ctrl: false, shift: false, tab: false, backspace: false, delete: false, meta: false, super: false, hyper: false, capsLock: false, numLock: false,
};

const NAMED: readonly (keyof Key)[] = ['upArrow', 'downArrow', 'leftArrow', 'rightArrow', 'pageDown', 'pageUp', 'home', 'end', 'escape', 'meta', 'ctrl'];

/** One character of a run as the key Ink would have reported had it come alone. */
function keyOf(ch: string): [string, Key] {
  if (ch === '\r' || ch === '\n') return ['', { ...NO_KEY, return: true }];
  if (ch === '\t') return ['', { ...NO_KEY, tab: true }];
  if (ch === '\x7f') return ['', { ...NO_KEY, delete: true }];
  if (ch === '\b') return ['', { ...NO_KEY, backspace: true }];
  const code = ch.codePointAt(0) ?? 0;
  if (code < 0x20) return [String.fromCharCode(code + 96), { ...NO_KEY, ctrl: true }];
  return [ch, /^[A-Z]$/.test(ch) ? { ...NO_KEY, shift: true } : NO_KEY];
}

/**
 * The keys in one input event. Ink 6.8.0 splits a read at escape sequences (each arrow key is its own
 * event) but hands a run of plain characters over as one string: three Backspaces as "\x7f\x7f\x7f",
 * "jjj", typed-ahead text with a Tab or Enter in it. Each character of such a run is a key of its own.
 */
export function splitKeys(input: string, key: Key): [string, Key][] {
  const chars = Array.from(input);
  if (chars.length <= 1 || NAMED.some((k) => key[k] === true)) return [[input, key]];
  return chars.map(keyOf);
}

/** Pure: what one key press does in the current mode. */
export function handleKey(input: string, key: Key, c: KeyContext): void {
  const { state: s, dispatch, commands } = c;
  const index = selectionIndex(s, c.visible);
  const selected = c.visible[index];
  if (key.ctrl && input === 'c') return commands.quit();
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
  if (key.upArrow || input === 'k') return moveTo(index - 1);
  if (key.downArrow || input === 'j') return moveTo(index + 1);
  if (key.pageUp) return moveTo(index - c.pageSize);
  if (key.pageDown) return moveTo(index + c.pageSize);
  if (input === 'g' || key.home) return moveTo(0);
  if (input === 'G' || key.end) return moveTo(c.visible.length - 1);
  if (key.return) return dispatch({ type: 'toggleDetail' });
  if (input === '?') return dispatch({ type: 'help', open: true });
  if (input === '/') return dispatch({ type: 'filterStart' });
  if (input === 's') return dispatch({ type: 'cycleSort' });
  if (input === 'a') return dispatch({ type: 'formOpen' });
  const page = Math.max(1, c.incidentLines);
  if (input === '[') return dispatch({ type: 'incidentScroll', by: -page, lines: page, total: c.incidentCount });
  if (input === ']') return dispatch({ type: 'incidentScroll', by: page, lines: page, total: c.incidentCount });
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

/**
 * Wires Ink's input to handleKey, every key of a read in turn. Ink calls the handler once per event
 * and several events of one read come before React renders again, so each key is handled against the
 * state the keys before it left (the reducer applied here as well), not the state of the last frame.
 */
export function useKeys(ctx: KeyContext, active = true): void {
  const ref = useRef(ctx);
  ref.current = ctx;
  const mirror = useRef({ rendered: ctx.state, current: ctx.state });
  if (mirror.current.rendered !== ctx.state) mirror.current = { rendered: ctx.state, current: ctx.state };
  useInput(
    (input, key) => {
      const c = ref.current;
      const dispatch = (a: UiAction): void => {
        // Mirror first: dispatch may render at once, and that render resets the mirror to its result.
        mirror.current = { ...mirror.current, current: uiReducer(mirror.current.current, a) };
        c.dispatch(a);
      };
      for (const [i, k] of splitKeys(input, key)) handleKey(i, k, { ...c, state: mirror.current.current, dispatch });
    },
    { isActive: active },
  );
}
