/**
 * An upstream seen through a dialect: calls renamed and given the dialect's deadlines, answers
 * read its way, events renamed and cleaned (`undefined` drops one). With `auto`, the dialect is
 * learnt from `get_version_info`'s `app_name` whenever the upstream (re)connects — until then the
 * generic one applies — and logged when it changes.
 */
import type { Logger } from 'pino';
import { waitOnline, type CallOptions, type Frame, type UpstreamConnection } from '../connection.js';
import { dialectNameOf, type Dialect, type DialectName } from './dialect.js';

export class DialectUpstream implements UpstreamConnection {
  private current: Dialect;
  private detecting: Promise<void> | undefined;
  private readonly stopState: () => void;

  /**
   * `inner` must read failures through {@link failure} (its `failure` option), so that the dialect
   * in force reads them. `fixed` undefined = auto.
   */
  constructor(
    private readonly inner: UpstreamConnection,
    private readonly pick: (name: DialectName) => Dialect,
    private readonly fixed: DialectName | undefined,
    private readonly logger: Logger,
    /** The link's own deadline: a dialect's deadline never exceeds it. */
    private readonly callTimeoutMs = 30_000,
  ) {
    this.current = pick(fixed ?? 'generic');
    this.stopState = inner.onState((online) => {
      if (online && fixed === undefined) void this.detect();
    });
  }

  get shownUrl(): string {
    return this.inner.shownUrl;
  }

  /** The dialect in force. */
  get dialect(): Dialect {
    return this.current;
  }

  /** A failed answer read by the dialect in force (for the inner link's `failure` option). */
  readonly failure = (frame: Frame): Frame => this.current.failure(frame);

  /** Ask the upstream what it is (auto only); resolves when known or when asking failed. */
  detect(): Promise<void> {
    if (this.fixed !== undefined) return Promise.resolve();
    this.detecting ??= (async () => {
      try {
        const info = await this.inner.call('get_version_info', {}, { timeoutMs: Math.min(2000, this.callTimeoutMs) });
        const appName = typeof info === 'object' && info !== null ? (info as Frame)['app_name'] : undefined;
        const name = dialectNameOf(appName);
        if (name !== this.current.name) this.logger.info(`upstream ${this.inner.shownUrl} is ${typeof appName === 'string' ? appName : 'an unnamed implementation'}: ${name} dialect`);
        this.current = this.pick(name);
      } catch (err) {
        this.logger.warn(`upstream ${this.inner.shownUrl}: get_version_info failed (${(err as Error).message}); keeping the ${this.current.name} dialect`);
      } finally {
        this.detecting = undefined;
      }
    })();
    return this.detecting;
  }

  start(): void | Promise<void> {
    return this.inner.start();
  }

  isOnline(): boolean {
    return this.inner.isOnline();
  }

  release(): number {
    return this.inner.release();
  }

  onEvent(listener: (event: Frame) => void): () => void {
    return this.inner.onEvent((frame) => {
      const event = this.current.event(frame);
      if (event !== undefined) listener(event);
    });
  }

  onState(listener: (online: boolean) => void): () => void {
    return this.inner.onState(listener);
  }

  waitOnline(timeoutMs: number): Promise<boolean> {
    return waitOnline(this, timeoutMs);
  }

  async call(action: string, params: Record<string, unknown>, options: CallOptions = {}): Promise<unknown> {
    const dialect = this.current;
    const request = dialect.request(action, params);
    const short = dialect.timeoutOf(request.action);
    const timeoutMs = options.timeoutMs ?? (short === undefined ? undefined : Math.min(short, this.callTimeoutMs));
    const data = await this.inner.call(request.action, request.params, timeoutMs === undefined ? {} : { timeoutMs });
    return dialect.result(action, data);
  }

  async close(): Promise<void> {
    this.stopState();
    await this.inner.close();
  }
}
