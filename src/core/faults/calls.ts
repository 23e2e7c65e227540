/**
 * How an action fault answers a call: `fail` (after an optional wait, the action run or not),
 * `delay` (then the real call), `timeout` (no answer at all: {@link NO_ANSWER} once given up),
 * `shadow_drop` (an ok with a plausible message id; the world never gets the message).
 */
import { ApiError } from '../../protocol/errors.js';
import { NO_ANSWER, type CallResult, type DispatchOutcome } from '../result.js';
import type { FaultEngine } from './engine.js';
import type { Fault } from './fault.js';
import { SEND_ACTIONS } from './profiles.js';

const SENDS = new Set<string>(SEND_ACTIONS);

/** A failure with any retcode, `msg` and wording — what real implementations answer — not one of the catalogue's. */
export class InjectedFailure extends ApiError {
  readonly #retcode: number;
  readonly #status: 'ok' | 'async' | 'failed' | undefined;

  constructor(retcode: number, msg: string, wording: string, status?: 'ok' | 'async' | 'failed') {
    super('OPERATION_FAILED', wording);
    // `msg` is free text here (go-cqhttp's SEND_MSG_API_ERROR, NapCat's kernel timeout).
    (this as unknown as { code: string }).code = msg;
    this.#retcode = retcode;
    this.#status = status;
  }

  override get retcode(): number {
    return this.#retcode;
  }

  override get status(): 'ok' | 'async' | 'failed' | undefined {
    return this.#status;
  }
}

/** What the dispatcher lends a faulted call. */
export interface FaultedCall {
  /** The call as if no fault were set (answered and reported as usual). */
  run(): DispatchOutcome | Promise<DispatchOutcome>;
  /** The action's handler alone: nothing answered, nothing reported. */
  runQuietly(): Promise<unknown>;
  /** Report `result` to the call observers (the journal) and answer it. */
  settle(result: CallResult): CallResult;
}

/** Answer a call that met `fault`. */
export async function answerFaulted(engine: FaultEngine, fault: Fault, action: string, call: FaultedCall): Promise<DispatchOutcome> {
  switch (fault.effect) {
    case 'delay':
      await engine.wait(fault.ms);
      return call.run();
    case 'timeout':
      // Journalled now (the bot made the call); nothing is ever sent back.
      call.settle({ retcode: -1, data: null, error: new InjectedFailure(-1, 'NO_ANSWER', `fault ${fault.id}: this call is never answered`) });
      await engine.hang(fault.ms);
      return NO_ANSWER;
    case 'shadow_drop':
      return call.settle({ retcode: 0, data: SENDS.has(action) ? { message_id: engine.messageId() } : null });
    default: {
      await engine.wait(fault.ms);
      if (fault.input.execute === true) await call.runQuietly().catch(() => undefined);
      const { retcode = 100, msg = 'INJECTED_FAULT', wording = `fault ${fault.id}: injected failure`, status } = fault.input;
      return call.settle({ retcode, data: null, error: new InjectedFailure(retcode, msg, wording, status) });
    }
  }
}
