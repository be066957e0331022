// Password hashes and TOTP against the RFC 6238 test vectors.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { hashPassword, verifyPassword } from '../../src/auth/password.js';
import { base32Decode, base32Encode, checkTotp, hotp, totpCode } from '../../src/auth/totp.js';

describe('auth crypto', () => {
  it('hashes passwords with scrypt and a per-user salt', async () => {
    const a = await hashPassword('correct horse');
    const b = await hashPassword('correct horse');
    assert.match(a, /^scrypt\$15\$8\$1\$/);
    assert.notEqual(a, b, 'salted');
    assert.equal(await verifyPassword('correct horse', a), true);
    assert.equal(await verifyPassword('correct hors', a), false);
    assert.equal(await verifyPassword('correct horse', 'garbage'), false);
  });

  it('computes RFC 6238 SHA-1 codes (6 digits of the published 8-digit vectors)', () => {
    const secret = base32Encode(Buffer.from('12345678901234567890'));
    assert.deepEqual(base32Decode(secret), Buffer.from('12345678901234567890'));
    const vectors: [number, string][] = [
      [59, '94287082'],
      [1111111109, '07081804'],
      [1111111111, '14050471'],
      [1234567890, '89005924'],
      [2000000000, '69279037'],
    ];
    for (const [t, code] of vectors) {
      assert.equal(totpCode(secret, t * 1000), code.slice(2));
      assert.equal(hotp(Buffer.from('12345678901234567890'), Math.floor(t / 30), 8), code);
    }
    const now = 1_700_000_000_000;
    assert.ok(checkTotp(secret, totpCode(secret, now - 30_000), now) !== undefined, 'one step behind');
    assert.ok(checkTotp(secret, totpCode(secret, now + 30_000), now) !== undefined, 'one step ahead');
    assert.equal(checkTotp(secret, totpCode(secret, now - 90_000), now), undefined, 'three steps off');
    assert.equal(checkTotp(secret, 'abcdef', now), undefined);
  });
});
