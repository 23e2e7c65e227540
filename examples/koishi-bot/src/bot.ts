/**
 * The bot's behaviour, a Koishi plugin: `ping` → `pong`, `roll` → a number from 1 to 6, and a
 * welcome for every new group member.
 */
import type { Context } from './koishi.js';

export const name = 'example-bot';

export function apply(ctx: Context): void {
  ctx.on('message', (session) => {
    const text = session.content?.trim();
    if (text === 'ping') void session.send('pong');
    else if (text === 'roll') void session.send(`you rolled ${1 + Math.floor(Math.random() * 6)}`);
  });
  ctx.on('guild-member-added', (session) => {
    void session.send(`welcome, <at id="${session.userId ?? ''}"/>!`);
  });
}
