/**
 * Bounded background work queues behind the `_async` and `_rate_limited` suffixes (§6.8).
 * Both refuse new work when full instead of growing without limit.
 */

type Job = () => Promise<unknown>;

/** Runs jobs with at most `concurrency` in flight; `push` answers false when `capacity` is reached. */
export class WorkerPool {
  readonly #jobs: Job[] = [];
  #active = 0;
  #closed = false;
  readonly #idle: (() => void)[] = [];

  constructor(private readonly concurrency: number, private readonly capacity: number) {}

  push(job: Job): boolean {
    if (this.#closed || this.#jobs.length + this.#active >= this.capacity) return false;
    this.#jobs.push(job);
    this.#pump();
    return true;
  }

  get pending(): number {
    return this.#jobs.length + this.#active;
  }

  get running(): boolean {
    return !this.#closed;
  }

  #pump(): void {
    while (this.#active < this.concurrency && this.#jobs.length > 0) {
      const job = this.#jobs.shift() as Job;
      this.#active++;
      void job().catch(() => undefined).finally(() => {
        this.#active--;
        this.#pump();
        if (this.pending === 0) this.#idle.splice(0).forEach((resolve) => resolve());
      });
    }
  }

  /** Stop accepting work and wait (bounded) for what is queued to finish. */
  async close(timeoutMs = 5000): Promise<void> {
    this.#closed = true;
    if (this.pending === 0) return;
    await Promise.race([new Promise<void>((resolve) => this.#idle.push(resolve)), delay(timeoutMs, true)]);
  }
}

/** One FIFO worker that pauses `intervalMs` after each job (the `_rate_limited` queue). */
export class RateLimitedQueue {
  readonly #jobs: Job[] = [];
  #working = false;
  #closed = false;
  #drained: (() => void)[] = [];

  constructor(private readonly intervalMs: number, private readonly capacity: number) {}

  push(job: Job): boolean {
    if (this.#closed || this.#jobs.length >= this.capacity) return false;
    this.#jobs.push(job);
    if (!this.#working) void this.#work();
    return true;
  }

  get pending(): number {
    return this.#jobs.length;
  }

  get running(): boolean {
    return !this.#closed;
  }

  async #work(): Promise<void> {
    this.#working = true;
    while (this.#jobs.length > 0) {
      const job = this.#jobs.shift() as Job;
      await job().catch(() => undefined);
      if (this.#jobs.length > 0 || !this.#closed) await delay(this.intervalMs);
    }
    this.#working = false;
    this.#drained.splice(0).forEach((resolve) => resolve());
  }

  /**
   * Stop accepting calls and let the queued ones run at their pace for up to `timeoutMs`;
   * answers how many had to be dropped (they were already answered "async").
   */
  async close(timeoutMs = 5000): Promise<number> {
    this.#closed = true;
    if (this.#working) await Promise.race([new Promise<void>((resolve) => this.#drained.push(resolve)), delay(timeoutMs, true)]);
    const dropped = this.#jobs.length;
    this.#jobs.length = 0;
    return dropped;
  }
}

function delay(ms: number, unref = false): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    if (unref) t.unref();
  });
}
