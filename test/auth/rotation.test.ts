// TOTP secrets follow a PESAN_SECRET_KEY rotation: resealed at start under the new key.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { freshDb, type TestDb } from '../helpers/db.js';
import { Secrets } from '../../src/secrets/index.js';
import { resealTotpSecrets } from '../../src/auth/secret-box.js';
import { createUser } from '../../src/auth/users.js';

describe('TOTP secrets and key rotation', () => {
  let t: TestDb;
  before(async () => {
    t = await freshDb('pglite');
    await t.db.query(`INSERT INTO merchants (id, name) VALUES ('default', 'Toko A')`);
  });
  after(() => t.drop());

  it('reseals secrets under the new key, after which the old key is no longer needed', async () => {
    const u = await createUser(t.db, { merchantId: 'default', email: 'o@toko.test', role: 'owner', password: 'owner-password' });
    const old = new Secrets({ key: 'the-old-key' });
    await t.db.query('UPDATE users SET totp_secret = $2, totp_enabled = true WHERE id = $1', [u.id, old.seal(`totp:${u.id}:JBSWY3DPEHPK3PXP`)]);
    const rotated = new Secrets({ key: 'the-new-key', previous: ['the-old-key'] });
    assert.equal(await resealTotpSecrets(t.db, rotated), 1);
    assert.equal(await resealTotpSecrets(t.db, rotated), 0, 'done once');
    const row = await t.db.one<{ totp_secret: string }>('SELECT totp_secret FROM users WHERE id = $1', [u.id]);
    assert.equal(new Secrets({ key: 'the-new-key' }).open(row!.totp_secret), `totp:${u.id}:JBSWY3DPEHPK3PXP`);
  });
});
