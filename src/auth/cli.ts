// `npm run user -- add --merchant ID --email E --role owner|pharmacist|staff [--name N] [--password P]`
// `npm run user -- password --email E [--password P]`   (sets a new password; ends that user's sessions)
// `npm run user -- list [--merchant ID]`
// A generated password is printed when none is given.
import type { Db } from '../db/index.js';
import { generatePassword } from './password.js';
import { createUser, isRole, setPassword, userByEmail, UserError } from './users.js';
import { ROLES } from './types.js';

function flags(argv: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) continue;
    const [k, inline] = a.slice(2).split('=', 2);
    out[k] = inline ?? (argv[i + 1] && !argv[i + 1].startsWith('--') ? argv[++i] : 'true');
  }
  return out;
}

const USAGE = `usage: npm run user -- add --merchant ID --email E --role ${ROLES.join('|')} [--name N] [--password P]
       npm run user -- password --email E [--password P]
       npm run user -- list [--merchant ID]`;

/** Runs one user command against db; returns the process exit code. */
export async function runUserCli(db: Db, argv: string[], print: (line: string) => void = console.log): Promise<number> {
  const [command, ...rest] = argv;
  const f = flags(rest);
  try {
    if (command === 'add') {
      if (!f.merchant || !f.email || !f.role) throw new UserError(USAGE, 2);
      if (!isRole(f.role)) throw new UserError(`--role must be one of ${ROLES.join(', ')}`, 2);
      const password = f.password ?? generatePassword();
      const u = await createUser(db, { merchantId: f.merchant, email: f.email, name: f.name ?? null, role: f.role, password });
      print(`created ${u.role} ${u.email} (id ${u.id}) for merchant ${u.merchant_id}`);
      if (!f.password) print(`password: ${password}`);
      return 0;
    }
    if (command === 'password') {
      if (!f.email) throw new UserError(USAGE, 2);
      const u = await userByEmail(db, f.email);
      if (!u) throw new UserError(`no user ${f.email}`, 1);
      const password = f.password ?? generatePassword();
      await setPassword(db, u.id, password);
      print(`new password set for ${u.email}; their sessions have ended`);
      if (!f.password) print(`password: ${password}`);
      return 0;
    }
    if (command === 'list') {
      const rows = await db.query<{ id: number; merchant_id: string; email: string; role: string; active: boolean; totp_enabled: boolean }>(
        `SELECT id, merchant_id, email, role, active, totp_enabled FROM users ${f.merchant ? 'WHERE merchant_id = $1' : ''} ORDER BY merchant_id, id`,
        f.merchant ? [f.merchant] : [],
      );
      for (const r of rows) print(`${r.id}\t${r.merchant_id}\t${r.email}\t${r.role}${r.active ? '' : '\t(inactive)'}${r.totp_enabled ? '\t2fa' : ''}`);
      return 0;
    }
    print(USAGE);
    return 2;
  } catch (err) {
    if (err instanceof UserError) {
      print(err.message);
      return err.status === 2 ? 2 : 1;
    }
    throw err;
  }
}
