// `npm run doctor` against the simulators: every provider ok; one wrong key and that provider fails by name.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { runDoctor } from '../src/doctor/checks.js';
import { createMidtransGateway } from '../src/payments/midtrans/gateway.js';
import { createGrabCourier } from '../src/delivery/grab/client.js';
import { startPesan, type Pesan } from './helpers/pesan.js';

function doctorCli(env: Record<string, string>): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(WHATSAPP|MIDTRANS|XENDIT|DOKU|GOSEND|GRAB|SANDBOX|PUBLIC_URL|PORT|DATABASE_URL)/.test(k)));
    execFile(process.execPath, ['--import', 'tsx', 'src/main.ts', 'doctor'], { env: { ...clean, ...env }, timeout: 90_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, out: stdout + stderr });
    });
  });
}

describe('npm run doctor', () => {
  let p: Pesan;
  before(async () => {
    p = await startPesan({ db: 'pglite' });
  });
  after(() => p.stop());

  it('passes against the simulators: one ok line per configured provider', async () => {
    const lines = await runDoctor({ config: p.ctx.config, gateways: p.ctx.gateways, couriers: p.ctx.couriers });
    assert.deepEqual(lines.map((l) => l.name).sort(), ['doku', 'gosend', 'grab', 'midtrans', 'public_url', 'whatsapp', 'xendit']);
    assert.ok(lines.every((l) => l.ok), JSON.stringify(lines));
  });

  it('fails naming the provider, with the fix, when one key is wrong', async () => {
    const gateways = new Map(p.ctx.gateways);
    gateways.set('midtrans', createMidtransGateway({ serverKey: 'SB-Mid-server-wrong', baseUrl: p.ctx.config.midtrans!.baseUrl }));
    const couriers = new Map(p.ctx.couriers);
    couriers.set('grab', createGrabCourier({ ...p.ctx.config.grab!, clientSecret: 'wrong' }));
    const lines = await runDoctor({ config: p.ctx.config, gateways, couriers });
    const failed = lines.filter((l) => !l.ok);
    assert.deepEqual(failed.map((l) => l.name).sort(), ['grab', 'midtrans']);
    assert.match(failed.find((l) => l.name === 'midtrans')!.reason!, /MIDTRANS_SERVER_KEY/);
    assert.match(failed.find((l) => l.name === 'grab')!.reason!, /GRAB_CLIENT_SECRET/);
  });

  it('the command exits 0 in sandbox mode, and 1 naming GoSend when its pass key is wrong', async () => {
    const ok = await doctorCli({ SANDBOX: '1' });
    assert.equal(ok.code, 0, ok.out);
    assert.match(ok.out, /^gosend\s+ok$/m);
    const bad = await doctorCli({
      SANDBOX: '1',
      GOSEND_CLIENT_ID: p.ctx.config.gosend!.clientId,
      GOSEND_PASS_KEY: 'not-the-pass-key',
      GOSEND_WEBHOOK_TOKEN: 'x',
      GOSEND_BASE_URL: `${p.base}/sandbox/gosend`,
    });
    assert.equal(bad.code, 1, bad.out);
    assert.match(bad.out, /^gosend\s+FAIL: .*401.*GOSEND_PASS_KEY/m);
    assert.match(bad.out, /^midtrans\s+ok$/m);
  });

  it('outside sandbox mode an http PUBLIC_URL fails', async () => {
    const lines = await runDoctor({ config: { ...p.ctx.config, sandbox: false, publicUrl: 'http://pesan.example' }, gateways: new Map(), couriers: new Map() });
    const line = lines.find((l) => l.name === 'public_url')!;
    assert.equal(line.ok, false);
    assert.match(line.reason!, /https/);
  });
});
