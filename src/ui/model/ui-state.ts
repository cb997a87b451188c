import type { Problem } from '../../config/problems.js';
import type { TargetView } from '../../engine/types.js';
import { emptyForm, fieldsFor, type FormValues } from './form.js';
import { nextSort, type SortMode } from './sort-filter.js';

export type Mode = 'normal' | 'filter' | 'help' | 'form' | 'confirm';

export interface FormState {
  editingId?: string;
  values: FormValues;
  focus: number;
  problems: Problem[];
}

export interface UiState {
  mode: Mode;
  /** Selection follows the target, not the row, so sorting or new results do not move it. */
  selectedId?: string;
  /** Index of the selection last time it was seen, to land near it if the target goes away. */
  index: number;
  sort: SortMode;
  filter: string;
  detail: boolean;
  incidentOffset: number;
  form?: FormState;
  confirmId?: string;
  /** A one-line message in the footer (what the last action did). */
  flash?: string;
}

export const initialUiState: UiState = { mode: 'normal', index: 0, sort: 'name', filter: '', detail: false, incidentOffset: 0 };

export type UiAction =
  | { type: 'select'; id: string | undefined; index: number }
  | { type: 'toggleDetail' }
  | { type: 'cycleSort' }
  | { type: 'filterStart' }
  | { type: 'filterInput'; text: string }
  | { type: 'filterBackspace' }
  | { type: 'filterDone' }
  | { type: 'filterClear' }
  | { type: 'help'; open: boolean }
  | { type: 'formOpen'; values?: FormValues; editingId?: string }
  | { type: 'formInput'; text: string }
  | { type: 'formBackspace' }
  | { type: 'formFocus'; by: number }
  | { type: 'formProblems'; problems: Problem[] }
  | { type: 'formClose' }
  | { type: 'confirmOpen'; id: string }
  | { type: 'confirmClose' }
  /** `lines` is the log's page; `total` the incidents there are (the log never scrolls past its end). */
  | { type: 'incidentScroll'; by: number; lines: number; total: number }
  | { type: 'flash'; text: string | undefined };

export function uiReducer(s: UiState, a: UiAction): UiState {
  switch (a.type) {
    case 'select':
      return s.selectedId === a.id && s.index === a.index ? s : { ...s, selectedId: a.id, index: a.index };
    case 'toggleDetail':
      return { ...s, detail: !s.detail };
    case 'cycleSort':
      return { ...s, sort: nextSort(s.sort), flash: `sorted by ${nextSort(s.sort)}` };
    case 'filterStart':
      return { ...s, mode: 'filter' };
    case 'filterInput':
      return { ...s, filter: (s.filter + a.text).slice(0, 80) };
    case 'filterBackspace':
      return { ...s, filter: Array.from(s.filter).slice(0, -1).join('') };
    case 'filterDone':
      return { ...s, mode: 'normal' };
    case 'filterClear':
      return { ...s, mode: 'normal', filter: '' };
    case 'help':
      return { ...s, mode: a.open ? 'help' : 'normal' };
    case 'formOpen':
      return { ...s, mode: 'form', form: { values: a.values ?? emptyForm(), focus: 0, problems: [], ...(a.editingId ? { editingId: a.editingId } : {}) } };
    case 'formInput':
    case 'formBackspace': {
      if (!s.form) return s;
      const field = fieldsFor(s.form.values)[s.form.focus]?.key;
      if (!field) return s;
      const old = s.form.values[field] ?? '';
      const value = a.type === 'formInput' ? (old + a.text).slice(0, 253) : Array.from(old).slice(0, -1).join('');
      const values = { ...s.form.values, [field]: value };
      // Typing a kind changes the fields below it: the focus stays on the field being typed in.
      const focus = Math.max(0, fieldsFor(values).findIndex((f) => f.key === field));
      return { ...s, form: { ...s.form, values, focus } };
    }
    case 'formFocus': {
      if (!s.form) return s;
      const n = fieldsFor(s.form.values).length;
      return { ...s, form: { ...s.form, focus: (s.form.focus + a.by + n) % n } };
    }
    case 'formProblems':
      return s.form ? { ...s, form: { ...s.form, problems: a.problems } } : s;
    case 'formClose':
      return { ...s, mode: 'normal', form: undefined };
    case 'confirmOpen':
      return { ...s, mode: 'confirm', confirmId: a.id };
    case 'confirmClose':
      return { ...s, mode: 'normal', confirmId: undefined };
    case 'incidentScroll': {
      const last = Math.max(0, a.total - a.lines);
      return { ...s, incidentOffset: Math.max(0, Math.min(last, Math.min(last, s.incidentOffset) + a.by)) };
    }
    case 'flash':
      return { ...s, flash: a.text };
  }
}

/** Only printable text goes into inputs: a pasted escape sequence or control character never does. */
export function printable(input: string): string {
  // eslint-disable-next-line no-control-regex
  return input.replace(/[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '');
}

/** Where the selection is among the rows shown: its target's row, or near where it was if that went away. */
export function selectionIndex(s: UiState, visible: readonly TargetView[]): number {
  const found = s.selectedId ? visible.findIndex((v) => v.target.id === s.selectedId) : -1;
  return found >= 0 ? found : Math.min(s.index, Math.max(0, visible.length - 1));
}
