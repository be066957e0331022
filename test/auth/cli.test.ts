// `npm run user`: add prints a generated password that logs in; password sets a new one.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { freshDb, type TestDb } from '../helpers/db.js';
import { runUserCli } from '../../src/auth/cli.js';
import { userByEmail } from '../../src/auth/users.js';
import { verifyPassword } from '../../src/auth/password.js';
import { ensureDemoOwners } from '../../src/auth/demo.js';

describe('user CLI', () => {
  let t: TestDb;
  before(async () => {
    t = await freshDb('pglite');
    await t.db.query(`INSERT INTO merchants (id, name) VALUES ('default', 'Toko A'), ('warung', 'Warung B')`);
  });
  after(() => t.drop());

  it('adds an owner with a generated password, resets it, and refuses bad input', async () => {
    const out: string[] = [];
    assert.equal(await runUserCli(t.db, ['add', '--merchant', 'default', '--email', 'Owner@Toko.test', '--role', 'owner'], (l) => out.push(l)), 0);
    const pw = out.find((l) => l.startsWith('password: '))!.slice(10);
    const u = await userByEmail(t.db, 'owner@toko.test');
    assert.equal(u?.role, 'owner');
    assert.ok(await verifyPassword(pw, u!.password_hash));
    assert.equal(await runUserCli(t.db, ['add', '--merchant', 'default', '--email', 'owner@toko.test', '--role', 'owner'], () => {}), 1, 'email taken');
    assert.equal(await runUserCli(t.db, ['add', '--merchant', 'nope', '--email', 'x@toko.test', '--role', 'owner'], () => {}), 1);
    assert.equal(await runUserCli(t.db, ['add', '--merchant', 'default', '--email', 'x@toko.test', '--role', 'boss'], () => {}), 2);
    assert.equal(await runUserCli(t.db, ['add', '--merchant', 'default', '--email', 'p@toko.test', '--role', 'staff', '--password', 'given-password'], (l) => out.push(l)), 0);
    assert.ok(!out.some((l) => l.includes('given-password')), 'a given password is not echoed');
    out.length = 0;
    assert.equal(await runUserCli(t.db, ['password', '--email', 'owner@toko.test'], (l) => out.push(l)), 0);
    const pw2 = out.find((l) => l.startsWith('password: '))!.slice(10);
    const u2 = await userByEmail(t.db, 'owner@toko.test');
    assert.ok(await verifyPassword(pw2, u2!.password_hash));
    assert.ok(!(await verifyPassword(pw, u2!.password_hash)));
  });

  it('makes a demo owner per merchant', async () => {
    const owners = await ensureDemoOwners(t.db);
    assert.deepEqual(owners.map((o) => o.email), ['owner@demo.pesan', 'owner@warung.demo.pesan']);
    const again = await ensureDemoOwners(t.db);
    const u = await userByEmail(t.db, 'owner@warung.demo.pesan');
    assert.equal(u?.merchant_id, 'warung');
    assert.ok(await verifyPassword(again[1].password, u!.password_hash), 'the printed password is the current one');
  });
});
