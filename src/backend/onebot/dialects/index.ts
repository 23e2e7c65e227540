/**
 * The dialects by name (`upstream_dialect`), and the wrapper that puts one between the backend
 * and its upstream; `auto` asks the upstream's `get_version_info` each time it connects.
 */
import type { Dialect, DialectName } from './dialect.js';
import { generic, gocq } from './generic.js';
import { lagrange } from './lagrange.js';
import { llbot } from './llbot.js';
import { napcat } from './napcat.js';

export { DIALECT_NAMES, dialectNameOf, type Dialect, type DialectName } from './dialect.js';
export { DialectUpstream } from './wrap.js';

const BY_NAME: Readonly<Record<DialectName, Dialect>> = { napcat, llbot, lagrange, gocq, generic };

export const dialectNamed = (name: DialectName): Dialect => BY_NAME[name];
