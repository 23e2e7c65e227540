/**
 * The API tab: every action of the bot's API (from GET /openapi.json), a form generated from the
 * chosen action's parameter schema (or raw JSON), and "Call", which calls it as the bot through
 * POST /api/call (journalled with channel "console"); the answer is shown as it came.
 */
import { useEffect, useState } from 'preact/hooks';
import { api } from './api';
import { t } from './i18n';

interface Param { type?: string; default?: unknown }
interface ActionDoc { name: string; summary: string; origin: string; properties: Record<string, Param>; required: string[] }
interface OpenApi { paths: Record<string, { post: { summary: string; 'x-origin': string; requestBody: { content: { 'application/json': { schema: { properties?: Record<string, Param>; required?: string[] } } } } } }> }

function actionsOf(doc: OpenApi): ActionDoc[] {
  return Object.entries(doc.paths).map(([path, item]) => {
    const schema = item.post.requestBody.content['application/json'].schema;
    return { name: path.slice(1), summary: item.post.summary, origin: item.post['x-origin'], properties: schema.properties ?? {}, required: schema.required ?? [] };
  });
}

/** A form value as the parameter: numbers for integer inputs, JSON for untyped ones when it parses as an object or array. */
function valueOf(param: Param, text: string): unknown {
  if (param.type === 'integer' || param.type === 'number') return Number(text);
  if (param.type === undefined && /^\s*[[{]/.test(text)) {
    try { return JSON.parse(text) as unknown; } catch { return text; }
  }
  return text;
}

function ParamField({ name, param, required, value, onInput }: { name: string; param: Param; required: boolean; value: unknown; onInput: (v: unknown) => void }) {
  const label = <span>{name}{required ? ' *' : ''}</span>;
  if (param.type === 'boolean') {
    const checked = typeof value === 'boolean' ? value : param.default === true;
    return <label class="api-field">{label}<input type="checkbox" checked={checked} onChange={(e) => onInput((e.currentTarget as HTMLInputElement).checked)} /></label>;
  }
  const common = {
    required, value: typeof value === 'string' ? value : '', placeholder: param.default === undefined || param.default === '' ? '' : String(param.default),
    onInput: (e: Event) => onInput((e.currentTarget as HTMLInputElement).value),
  };
  return <label class="api-field">{label}{param.type === 'integer' || param.type === 'number' ? <input type="number" {...common} /> : <input type="text" {...common} />}</label>;
}

export function ApiPanel() {
  const [actions, setActions] = useState<ActionDoc[]>([]);
  const [failure, setFailure] = useState('');
  const [filter, setFilter] = useState('');
  const [chosen, setChosen] = useState<ActionDoc | undefined>(undefined);
  const [values, setValues] = useState<Record<string, unknown>>({});
  const [raw, setRaw] = useState<string | undefined>(undefined);
  const [answer, setAnswer] = useState('');

  useEffect(() => {
    void api<OpenApi>('GET', '/openapi.json').then((doc) => setActions(actionsOf(doc)), (err: Error) => setFailure(err.message));
  }, []);

  const pick = (a: ActionDoc): void => { setChosen(a); setValues({}); setRaw(undefined); setAnswer(''); };
  /** The parameters the form holds: the fields given (empty text is left out, so the default applies). */
  const params = (): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    if (chosen === undefined) return out;
    for (const [name, value] of Object.entries(values)) {
      const param = chosen.properties[name] ?? {};
      if (value === '') continue;
      out[name] = typeof value === 'string' ? valueOf(param, value) : value;
    }
    return out;
  };
  const call = async (): Promise<void> => {
    if (chosen === undefined) return;
    let body: unknown;
    try { body = raw === undefined ? params() : JSON.parse(raw); } catch (err) { setAnswer(`${t('apiBadJson')}: ${(err as Error).message}`); return; }
    try {
      setAnswer(JSON.stringify(await api('POST', '/api/call', { action: chosen.name, params: body }), null, 2));
    } catch (err) {
      setAnswer(String((err as Error).message));
    }
  };
  const shown = actions.filter((a) => a.name.includes(filter.trim()));
  return (
    <section class="api-panel" aria-label={t('tabApi')}>
      <nav class="api-list" aria-label={t('apiActions')}>
        <input type="search" aria-label={t('apiFilter')} placeholder={t('apiFilter')} value={filter} onInput={(e) => setFilter((e.currentTarget as HTMLInputElement).value)} />
        {failure !== '' && <p role="alert">{failure}</p>}
        <ul>{shown.map((a) => <li key={a.name}><button type="button" aria-pressed={chosen?.name === a.name} title={a.summary} onClick={() => pick(a)}>{a.name}</button></li>)}</ul>
      </nav>
      {chosen === undefined ? <p class="api-hint">{t('apiPick')}</p> : (
        <form class="api-form" aria-label={chosen.name} onSubmit={(e) => { e.preventDefault(); void call(); }}>
          <h2>{chosen.name}</h2>
          <p>{chosen.summary} <small>({chosen.origin})</small></p>
          <label class="api-field"><span>{t('apiRawJson')}</span>
            <input type="checkbox" checked={raw !== undefined} onChange={(e) => setRaw((e.currentTarget as HTMLInputElement).checked ? JSON.stringify(params(), null, 2) : undefined)} />
          </label>
          {raw !== undefined
            ? <textarea aria-label={t('apiParamsJson')} rows={8} value={raw} onInput={(e) => setRaw((e.currentTarget as HTMLTextAreaElement).value)} />
            : Object.keys(chosen.properties).length === 0 ? <p>{t('apiNoParams')}</p>
              : Object.entries(chosen.properties).map(([name, param]) => (
                <ParamField key={name} name={name} param={param} required={chosen.required.includes(name)} value={values[name]} onInput={(v) => setValues({ ...values, [name]: v })} />
              ))}
          <button type="submit">{t('apiCall')}</button>
          {answer !== '' && <pre class="api-answer" role="region" aria-label={t('apiAnswer')}>{answer}</pre>}
        </form>
      )}
    </section>
  );
}
