/**
 * The control API's routing: a table of `METHOD /api/path/:param` entries, matched segment by
 * segment. A path that matches with another method is 405 (with `Allow`), no match at all is 404.
 */
import type { Segment } from '../../message/index.js';
import type { Action } from '../../core/action.js';
import type { ConnectionSnapshot } from '../../core/connections.js';
import type { FaultEngine } from '../../core/faults/index.js';
import type { Dispatch } from '../../core/result.js';
import type { PlayableRecord } from '../../media/index.js';
import type { Fields } from './fields.js';
import type { CallJournal } from './journal.js';
import type { SandboxBackend } from './surface.js';

export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** What every handler works on. */
export interface ControlApi {
  sb: SandboxBackend;
  calls: CallJournal;
  /** Stores the media of a message a user posts (`base64://`, URLs, names) as the bot's sends are; absent = as given. */
  resolveMedia?: ((message: Segment[]) => Promise<Segment[]>) | undefined;
  /** The bot's connections right now (`GET /api/connections`); absent = none known. */
  connections?: (() => readonly ConnectionSnapshot[]) | undefined;
  /** Where the bot's HTTP API listens (`http://host:port`), for `GET /api/info`; absent when it is off. */
  apiBase?: string | undefined;
  /** The sandbox's virtual clock (`/api/clock`); absent = the real clock, which cannot be moved. */
  clock?: SandboxClock | undefined;
  /** The bot's API (`POST /api/call`); absent = the control server was made without one. */
  bot?: BotApi | undefined;
  /** A stored voice record as a browser plays it (`GET /api/records/:file`); absent = not served. */
  playableRecord?: ((name: string) => Promise<PlayableRecord>) | undefined;
  /** The OpenAPI document of the bot's API, made on first use (`GET /openapi.json`). */
  openApi?: (() => Promise<unknown>) | undefined;
  /** Injected faults (`/api/faults`); absent = not available. */
  faults?: FaultEngine | undefined;
}

/** The bot's API as the control server sees it: the actions (for the document), the build's version, the one dispatch(). */
export interface BotApi {
  actions: readonly Action[];
  version: string;
  dispatch: Dispatch;
}

/** A clock the control API can read and move ahead. */
export interface SandboxClock {
  now(): number;
  readonly offset: number;
  /** Jump ahead; returns how many timers (heartbeats) fell due and fired. */
  advance(ms: number): number;
}

/** A request as handlers see it: path parameters (decoded), the query string and the JSON body. */
export interface RouteInput {
  params: Readonly<Record<string, string>>;
  query: Fields;
  body: Fields;
}

/**
 * Answers 200 with the returned value (or what its promise resolves to) as JSON — or, for a
 * `FileAnswer` (file-answer.ts), with that file's bytes (or the range asked); fails by throwing (ApiError → its status).
 */
export type Handler = (api: ControlApi, input: RouteInput) => unknown;

/** One entry of the table; `'stream'` (SSE) and `'metrics'` (Prometheus text) the server serves itself. */
export interface Route {
  method: Method;
  path: string;
  /** One line for the index (`GET /api/`): what the endpoint does. */
  summary: string;
  handler: Handler | 'stream' | 'metrics';
  /**
   * `false` on a non-GET route whose success is not an edit of the world that only a `world` frame
   * would tell (`GET /api/stream?all=1`): a message (it has its own frames), a call as the bot.
   */
  world?: false;
}

/** One line of the index `GET /api/` answers. */
export interface IndexEntry {
  method: Method;
  path: string;
  summary: string;
}

/** The index of a route table, in table order (what `GET /api/` answers). */
export function routeIndex(routes: readonly Route[]): IndexEntry[] {
  return routes.map(({ method, path, summary }) => ({ method, path, summary }));
}

/** The outcome of matching a request. */
export type Match =
  | { kind: 'found'; route: Route; params: Record<string, string> }
  | { kind: 'method_not_allowed'; allow: string }
  | { kind: 'not_found' };

function segments(path: string): string[] {
  const trimmed = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
  return trimmed.split('/').slice(1);
}

function matchPath(pattern: readonly string[], actual: readonly string[]): Record<string, string> | null {
  if (pattern.length !== actual.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i] as string;
    const a = actual[i] as string;
    if (p.startsWith(':')) {
      if (a === '') return null;
      try {
        params[p.slice(1)] = decodeURIComponent(a);
      } catch {
        return null;
      }
    } else if (p !== a) {
      return null;
    }
  }
  return params;
}

/** A compiled route table. */
export class Router {
  readonly #routes: { route: Route; pattern: string[] }[];

  constructor(routes: readonly Route[]) {
    this.#routes = routes.map((route) => ({ route, pattern: segments(route.path) }));
  }

  /** Match a method and a path (no query). */
  match(method: string, path: string): Match {
    const actual = segments(path);
    const allowed: string[] = [];
    for (const { route, pattern } of this.#routes) {
      const params = matchPath(pattern, actual);
      if (params === null) continue;
      if (route.method === method) return { kind: 'found', route, params };
      allowed.push(route.method);
    }
    return allowed.length > 0 ? { kind: 'method_not_allowed', allow: [...new Set(allowed)].join(', ') } : { kind: 'not_found' };
  }
}
