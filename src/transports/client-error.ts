/**
 * node:http's `clientError` for our listeners: a request node's parser refused (a malformed request
 * line or header, a head over the limit, a timeout) is answered with a bare status and the
 * connection closed — but only after the answers to the requests pipelined before it. Writing the
 * status at once would put it on the wire ahead of an earlier request's pending answer: the client
 * would read the 400 as the answer to its valid request (say a `send_group_msg` that is stored all
 * the same) and might send it again.
 */
import { STATUS_CODES, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';

type HttpSocket = Duplex & { _httpMessage?: ServerResponse | null };

/** The status for a parser error code: 431 head too large, 408 timeout, else 400. */
export function clientErrorStatus(code: string | undefined): number {
  return code === 'HPE_HEADER_OVERFLOW' ? 431 : code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
}

/**
 * A `clientError` listener. `onError` sees each refused request once (for a log line). A socket
 * already broken is destroyed; otherwise the status goes out once every response in front of it
 * (node assigns pipelined responses to the socket one after the other) has finished.
 */
export function clientErrorHandler(onError?: (err: NodeJS.ErrnoException, status: number) => void): (err: NodeJS.ErrnoException, socket: Duplex) => void {
  // Sockets whose status is already on its way: node may report the same broken stream again.
  const answering = new WeakSet<Duplex>();
  return (err, socket) => {
    const code = err.code;
    if (code === 'ECONNRESET' || code === 'EPIPE' || !socket.writable) {
      socket.destroy();
      return;
    }
    if (answering.has(socket)) return;
    answering.add(socket);
    const status = clientErrorStatus(code);
    onError?.(err, status);
    const text = `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`;
    const flush = (): void => {
      if (!socket.writable) return;
      const current = (socket as HttpSocket)._httpMessage;
      if (current == null) {
        socket.end(text);
      } else if (current.req.complete) {
        // An earlier request, fully read, still being answered: the error is about a later one.
        // node moves the next pipelined response onto the socket in its own 'finish' listener.
        current.once('finish', () => setImmediate(flush));
      } else if (current.headersSent) {
        socket.destroy(); // the error is about this request (a body cut short, too slow) and its answer began
      } else {
        socket.end(text); // the error is about this request, not answered yet
      }
    };
    flush();
  };
}
