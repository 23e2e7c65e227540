/**
 * A Milky message is named by its scene, peer and sequence number; cqhttpd keeps that triple as
 * the "upstream id" text of its message-id store (`friend:<user>:<seq>`, `group:<group>:<seq>`,
 * `temp:<user>:<seq>`), so Milky messages get stable int32 ids like OneBot upstream ones.
 */
export type Scene = 'friend' | 'group' | 'temp';

export const messageKey = (scene: Scene, peer: number, seq: number): string => `${scene}:${peer}:${seq}`;

export function parseMessageKey(key: string): { scene: Scene; peer: number; seq: number } | undefined {
  const m = /^(friend|group|temp):(\d+):(\d+)$/.exec(key);
  if (m === null) return undefined;
  return { scene: m[1] as Scene, peer: Number(m[2]), seq: Number(m[3]) };
}
