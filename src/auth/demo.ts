// Sandbox mode: a demo owner for every merchant, with a new random password printed at each start
// (owner@demo.pesan for the default merchant, owner@<merchant id>.demo.pesan for the others).
import type { Db } from '../db/index.js';
import { DEFAULT_MERCHANT_ID } from '../merchants.js';
import { generatePassword } from './password.js';
import { createUser, setPassword, userByEmail } from './users.js';

export const demoOwnerEmail = (merchantId: string) => (merchantId === DEFAULT_MERCHANT_ID ? 'owner@demo.pesan' : `owner@${merchantId.toLowerCase().replace(/[^a-z0-9-]/g, '-')}.demo.pesan`);

export async function ensureDemoOwners(db: Db): Promise<{ merchantId: string; merchantName: string; email: string; password: string }[]> {
  const merchants = await db.query<{ id: string; name: string }>(`SELECT id, name FROM merchants WHERE active ORDER BY id = $1 DESC, id`, [DEFAULT_MERCHANT_ID]);
  const out = [];
  for (const m of merchants) {
    const email = demoOwnerEmail(m.id);
    const password = generatePassword();
    const existing = await userByEmail(db, email);
    if (existing && existing.merchant_id !== m.id) continue;
    if (existing) {
      await setPassword(db, existing.id, password);
      await db.query(`UPDATE users SET active = true, role = 'owner' WHERE id = $1`, [existing.id]);
    } else {
      await createUser(db, { merchantId: m.id, email, name: 'Demo owner', role: 'owner', password });
    }
    out.push({ merchantId: m.id, merchantName: m.name, email, password });
  }
  return out;
}
