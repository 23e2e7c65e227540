/**
 * The fault profiles the Faults panel offers (docs/testing.md "Profiles"). The console imports none
 * of the server's code: test/console/faults.test.ts holds this list to src/protocol/fault-spec.ts.
 */
export const FAULT_PROFILES = ['gocq-risk-control', 'napcat-send-timeout', 'kicked-offline', 'stall-then-burst', 'flaky-network'] as const;

export type FaultProfile = (typeof FAULT_PROFILES)[number];

/** The string key of each profile's one-line description. */
export const PROFILE_ABOUT = {
  'gocq-risk-control': 'profileGocqRiskControl',
  'napcat-send-timeout': 'profileNapcatSendTimeout',
  'kicked-offline': 'profileKickedOffline',
  'stall-then-burst': 'profileStallThenBurst',
  'flaky-network': 'profileFlakyNetwork',
} as const satisfies Record<FaultProfile, string>;
