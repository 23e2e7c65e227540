/** Fault injection at the OneBot level (docs/testing.md "Fault injection"): the engine, its call answers, its profiles. */
export { FaultEngine, FaultInputError } from './engine.js';
export type { FaultEngineOptions, Injection } from './engine.js';
export type { Fault, FaultableConnection } from './fault.js';
export { answerFaulted, InjectedFailure } from './calls.js';
export { PROFILES, SEND_ACTIONS } from './profiles.js';
