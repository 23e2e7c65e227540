/**
 * The process's last line of defence: an exception nothing caught, or a promise rejection nothing
 * handled, is logged as the bug it is and cqhttpd keeps serving, instead of every bot losing its
 * connection. No path from client input is meant to get here (each transport answers its own
 * failures); this only keeps one missed path from becoming a denial of service. Installed by the
 * command line when it starts serving and removed when it stops, never at import time.
 */
import type { Logger } from 'pino';

/** The words every last-resort log line starts with (the fuzz test looks for them). */
export const LAST_RESORT_PREFIX = 'last-resort handler:';

function describe(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}

/**
 * Install process-level `uncaughtException` and `unhandledRejection` handlers that log through
 * `logger()` (read at each event, so a restart's new logger is used). Returns the uninstaller.
 */
export function installLastResort(logger: () => Logger): () => void {
  const onException = (err: Error): void => {
    logger().error({ err }, `${LAST_RESORT_PREFIX} uncaught exception (a bug in cqhttpd; still serving): ${describe(err)}`);
  };
  const onRejection = (reason: unknown): void => {
    logger().error({ err: reason }, `${LAST_RESORT_PREFIX} unhandled promise rejection (a bug in cqhttpd; still serving): ${describe(reason)}`);
  };
  process.on('uncaughtException', onException);
  process.on('unhandledRejection', onRejection);
  return () => {
    process.off('uncaughtException', onException);
    process.off('unhandledRejection', onRejection);
  };
}
