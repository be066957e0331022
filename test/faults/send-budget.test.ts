// The per-number sending budget (WHATSAPP_MPS) shared through the database: concurrent sends of one
// instance share the slots it claimed, so a burst is sent at the budget instead of a few dozen a
// second; and no second ever grants more sends than the budget.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { freshDb, type TestDb } from '../helpers/db.js';
import { takeSendSlot } from '../../src/channel/whatsapp/sender.js';
import type { AppContext } from '../../src/context.js';

const ctxWith = (t: TestDb, mps: number) => ({ db: t.db, config: { whatsapp: { mps } } }) as unknown as Pick<AppContext, 'db' | 'config'>;

describe('send budget per number', () => {
  let t: TestDb;
  before(async () => {
    t = await freshDb('pglite');
  });
  after(() => t.drop());

  it('200 concurrent sends claim one batch of slots a time, not one batch each', async () => {
    const ctx = ctxWith(t, 1000);
    await Promise.all(Array.from({ length: 200 }, () => takeSendSlot(ctx, 'num-a')));
    const rows = await t.db.query<{ count: number }>(`SELECT count FROM send_rate WHERE phone_number_id = 'num-a'`);
    const claimed = rows.reduce((a, r) => a + r.count, 0);
    // Batches of 50: 200 sends need 4 (5 when a second boundary falls inside the burst), where
    // claiming per sender would have taken 200 × 50 and refused most sends until the next second.
    assert.ok(claimed <= 200 + 50 * rows.length, `claimed ${claimed} slots over ${rows.length} second(s) for 200 sends`);
  });

  it('never grants more sends in a second than the budget', { timeout: 30_000 }, async () => {
    const ctx = ctxWith(t, 8);
    const grantedAt: number[] = [];
    await Promise.all(
      Array.from({ length: 20 }, async () => {
        await takeSendSlot(ctx, 'num-b');
        grantedAt.push(Math.floor(Date.now() / 1000));
      }),
    );
    const perSecond = new Map<number, number>();
    for (const s of grantedAt) perSecond.set(s, (perSecond.get(s) ?? 0) + 1);
    assert.equal(grantedAt.length, 20);
    for (const [s, n] of perSecond) assert.ok(n <= 8, `${n} sends granted in second ${s}`);
  });
});
