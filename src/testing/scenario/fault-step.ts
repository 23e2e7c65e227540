/**
 * A scenario step's `fault:` — a profile's name, a fault object, or a list of them — checked with
 * the same schema as the control API's `POST /api/faults`, each problem reported at its own key
 * (a plain union would only say "not a profile nor a fault"). `faultStepShape` is the same shape
 * for the JSON Schema editors read.
 */
import * as v from 'valibot';
import { FAULT_PROFILES, faultProblems, faultSchema } from '../../protocol/fault-spec.js';

const NOT_A_FAULT = `expected a profile (${FAULT_PROFILES.join(', ')}) or a fault object`;

type PathItem = { type: 'array'; origin: 'value'; input: unknown[]; key: number; value: unknown };

/** The problems of one item, each with its path inside the item. */
function problemsOf(item: unknown): { message: string; path?: v.IssuePathItem[] }[] {
  if (typeof item === 'string') return (FAULT_PROFILES as readonly string[]).includes(item) ? [] : [{ message: NOT_A_FAULT }];
  if (typeof item !== 'object' || item === null || Array.isArray(item)) return [{ message: NOT_A_FAULT }];
  return faultProblems(item).problems.map(({ message, keys }) => ({ message, ...(keys.length > 0 ? { path: pathItems(item, keys) } : {}) }));
}

/** Valibot path items for `keys` inside `value` (what the loader turns into a line number). */
function pathItems(value: unknown, keys: readonly (string | number)[]): v.IssuePathItem[] {
  const out: v.IssuePathItem[] = [];
  let at = value as Record<string | number, unknown>;
  for (const key of keys) {
    const next = at?.[key];
    out.push(typeof key === 'number'
      ? { type: 'array', origin: 'value', input: at as unknown as unknown[], key, value: next }
      : { type: 'object', origin: 'value', input: at, key, value: next });
    at = next as Record<string | number, unknown>;
  }
  return out;
}

/** The input of {@link faultStep} (the JSON Schema generator replaces it by {@link faultStepShape}). */
export const faultStepInput = v.unknown();

/** The loader's check of `fault:`. */
export const faultStep = v.pipe(
  faultStepInput,
  v.rawCheck(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    const value = dataset.value;
    if (Array.isArray(value) && value.length === 0) addIssue({ message: 'a list of faults needs at least one' });
    const items = Array.isArray(value) ? value : [value];
    items.forEach((item, i) => {
      for (const problem of problemsOf(item)) {
        const head: PathItem[] = Array.isArray(value) ? [{ type: 'array', origin: 'value', input: value, key: i, value: item }] : [];
        const path = [...head, ...(problem.path ?? [])] as v.IssuePathItem[];
        addIssue({ message: problem.message, ...(path.length > 0 ? { path: path as [v.IssuePathItem, ...v.IssuePathItem[]] } : {}) });
      }
    });
  }),
);

/** The same, as a shape for the JSON Schema. */
const item = v.union([v.picklist(FAULT_PROFILES), faultSchema]);
export const faultStepShape = v.union([item, v.pipe(v.array(item), v.minLength(1))]);
