/**
 * The message module (CQHTTP 4.15 §5, §8): CQ-code parsing, escaping and serialisation, decoding
 * of the `message` parameter, the merge step, and nlohmann-compatible value dumps. Pure: no I/O,
 * no imports from outside `src/message` but lossless-json's number type.
 */
export type { Message, Segment } from './segment.js';
export { escapeText, escapeValue, parseCQ, serialiseCQ, unescape } from './cqcode.js';
export { decodeMessage, decodeSendMessage, mergeSegments } from './normalise.js';
export {
  dumpNlohmann,
  formatDouble,
  formatNumber,
  formatNumberLexeme,
  isLosslessNumber,
} from './nlohmann.js';
export { compareCodePoints, sortedKeys } from './order.js';
export { summariseMessage, SUMMARY_LENGTH } from './summary.js';
