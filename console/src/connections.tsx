/** The Connections tab: every bot connection as GET /api/connections reports it, refreshed every 2 s. */
import { useEffect, useState } from 'preact/hooks';
import { api } from './api';
import { t } from './i18n';

type Connection = Record<string, unknown> & { id: string | number };

const COLUMNS = ['transport', 'role', 'path', 'remote', 'state', 'auth', 'connected_since', 'reconnects', 'last_heartbeat', 'last_error', 'last_status', 'last_latency_ms', 'events'] as const;

function cell(key: string, value: unknown): string {
  if (value === null || value === undefined) return '—';
  if ((key === 'connected_since' || key === 'last_heartbeat') && typeof value === 'number') return new Date(value).toLocaleTimeString();
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

export function Connections() {
  const [list, setList] = useState<Connection[]>([]);
  useEffect(() => {
    let alive = true;
    const load = (): void => {
      void api<{ connections: Connection[] }>('GET', '/api/connections').then((r) => { if (alive) setList(r.connections); }, () => undefined);
    };
    load();
    const timer = setInterval(load, 2000);
    return () => { alive = false; clearInterval(timer); };
  }, []);
  return (
    <section class="connections" aria-label={t('tabConnections')}>
      {list.length === 0 ? <p>{t('noConnections')}</p> : (
        <table>
          <thead><tr>{COLUMNS.map((c) => <th key={c} scope="col">{c}</th>)}</tr></thead>
          <tbody>{list.map((c) => <tr key={String(c.id)}>{COLUMNS.map((k) => <td key={k}>{cell(k, c[k])}</td>)}</tr>)}</tbody>
        </table>
      )}
    </section>
  );
}
