/**
 * A message segment as it travels on the wire (CQHTTP 4.15 §8.4, OneBot v11 "消息段").
 * Every `data` value is a string once a message has been decoded (§5).
 */
export interface Segment {
  type: string;
  data: Record<string, string>;
}

/** A decoded message: an ordered list of segments. */
export type Message = Segment[];
