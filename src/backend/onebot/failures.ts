/**
 * An upstream's failed answer as cqhttpd's failure: the catalogue code the upstream named in `msg`
 * when it is ours with the same retcode (another cqhttpd upstream), else the first code with that
 * retcode, else UPSTREAM_FAILED (103); the upstream's own sentence (`wording`, else `msg`) is kept.
 */
import { ApiError, ERRORS, type ErrorCode } from '../../protocol/errors.js';

const BY_RETCODE = new Map<number, ErrorCode>();
for (const [code, { retcode }] of Object.entries(ERRORS) as [ErrorCode, { retcode: number }][]) {
  if (!BY_RETCODE.has(retcode) && !/^(BACKEND_|UPSTREAM_|UNSUPPORTED)/.test(code)) BY_RETCODE.set(retcode, code);
}

export function upstreamFailure(action: string, frame: Record<string, unknown>): ApiError {
  const retcode = Number(frame['retcode']);
  const msg = typeof frame['msg'] === 'string' ? frame['msg'] : '';
  const wording = typeof frame['wording'] === 'string' && frame['wording'] !== '' ? frame['wording'] : msg;
  const named = Object.hasOwn(ERRORS, msg) && ERRORS[msg as ErrorCode].retcode === retcode ? msg as ErrorCode : undefined;
  if (retcode === 1404) return new ApiError('UNSUPPORTED', `${action}: the upstream does not know this action${wording !== '' ? ` (${wording})` : ''}`);
  const code = named ?? BY_RETCODE.get(retcode);
  if (code !== undefined) return new ApiError(code, wording !== '' ? wording : undefined);
  return new ApiError('UPSTREAM_FAILED', `${action}: the upstream answered retcode ${Number.isFinite(retcode) ? retcode : String(frame['retcode'])}${wording !== '' ? `: ${wording}` : ''}`);
}
