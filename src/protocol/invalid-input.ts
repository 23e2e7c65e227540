/**
 * How a value of the wrong type is worded, the same in every file cqhttpd reads (the configuration,
 * the sandbox's world file): `Invalid input: expected string, received number`.
 */

/** A value's type as the messages name it: `string`, `null`, `array`, `NaN`, `Infinity`, a class name… */
function typeName(input: unknown): string {
  if (typeof input === 'number') return Number.isFinite(input) ? 'number' : String(input);
  if (input === null) return 'null';
  if (Array.isArray(input)) return 'array';
  if (typeof input === 'object' && Object.getPrototypeOf(input) !== Object.prototype && typeof input.constructor === 'function') return input.constructor.name;
  return typeof input;
}

/** `Invalid input: expected <type>, received <the input's type>`. */
export function expectedMessage(type: string, input: unknown): string {
  return `Invalid input: expected ${type}, received ${typeName(input)}`;
}
