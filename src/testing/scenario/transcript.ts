/** A trace line as one human line for reports (`→ say …`, `← reply …`, `call …`), or undefined to leave it out. */

const cut = (text: string, max = 300): string => (text.length > max ? `${text.slice(0, max)}…` : text);
const json = (value: unknown): string => cut(JSON.stringify(value) ?? '');

export function transcriptLine(line: Record<string, unknown>): string | undefined {
  const data = (line['data'] ?? {}) as Record<string, unknown>;
  const at = `${(Number(line['t']) / 1000).toFixed(3)}s`;
  switch (line['type']) {
    case 'step':
      return `${at} step ${String(line['step'])}: ${String(line['label'])}`;
    case 'act': {
      const request = (line['request'] ?? {}) as Record<string, unknown>;
      const outcome = line['error'] !== undefined ? `refused: ${String(line['error'])}` : json(line['answer']);
      return `${at} → ${String(line['act'])} ${json(request['body'])} ⇒ ${outcome}`;
    }
    case 'message': {
      const where = data['group_id'] !== undefined ? `group ${String(data['group_id'])}` : data['discuss_id'] !== undefined ? `discuss ${String(data['discuss_id'])}` : `private to ${String(data['target_id'])}`;
      return `${at} message #${String(data['message_id'])} from ${String(data['user_id'])} in ${where}: ${cut(String(data['raw_message']))}`;
    }
    case 'event': {
      const kind = [data['post_type'], data['message_type'] ?? data['notice_type'] ?? data['request_type'] ?? data['meta_event_type'], data['sub_type']].filter((x) => x !== undefined).join('.');
      if (data['post_type'] === 'message') return undefined;
      // A heartbeat's status is get_status's whole answer: its time says what matters here.
      if (data['meta_event_type'] === 'heartbeat') return `${at} event ${kind} time ${String(data['time'])}`;
      return `${at} event ${kind} ${json(data)}`;
    }
    case 'call':
      return `${at} call ${String(data['action'])} ${json(data['params'])} ⇒ retcode ${String(data['retcode'])}`;
    case 'bot':
      return `${at} bot| ${cut(String(line['line']), 500)}`;
    case 'save':
      return `${at} saved ${String(line['name'])} = ${json(line['value'])}`;
    case 'error':
      return `${at} error: ${String(line['error'])}`;
    default:
      return undefined;
  }
}
