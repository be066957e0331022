// `npm run doctor`. Outside sandbox mode the adapters are built from the configuration, exactly as the
// service builds them. In sandbox mode the simulators live inside pesan, so an instance is started on a
// free loopback port with an in-memory database, checked, and stopped.
import { createServer } from 'node:net';
import { loadConfig, type Config } from '../config.js';
import { createGoSendCourier } from '../delivery/gosend/client.js';
import { createGrabCourier } from '../delivery/grab/client.js';
import type { Courier, CourierId } from '../delivery/port.js';
import { createMidtransGateway } from '../payments/midtrans/gateway.js';
import { createLogger } from '../shared/log.js';
import { formatDoctor, runDoctor, type DoctorLine } from './checks.js';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      if (!addr || typeof addr === 'string') return reject(new Error('no port'));
      srv.close(() => resolve(addr.port));
    });
  });
}

async function liveLines(config: Config): Promise<DoctorLine[]> {
  const { optionalProviders } = await import('../providers.js');
  const extra = await optionalProviders(config, createLogger('silent'));
  const gateways = extra.gateways;
  if (config.midtrans) gateways.set('midtrans', createMidtransGateway(config.midtrans));
  const couriers = new Map<CourierId, Courier>();
  if (config.gosend) couriers.set('gosend', createGoSendCourier(config.gosend));
  if (config.grab) couriers.set('grab', createGrabCourier(config.grab));
  return runDoctor({ config, gateways, couriers });
}

async function sandboxLines(env: NodeJS.ProcessEnv): Promise<DoctorLine[]> {
  const port = await freePort();
  const config = loadConfig({ ...env, PORT: String(port), HOST: '127.0.0.1', PUBLIC_URL: `http://127.0.0.1:${port}`, LOG_LEVEL: 'silent' });
  config.adminApiKey ??= 'doctor';
  const { startApp } = await import('../app.js');
  const { openPglite } = await import('../db/index.js');
  const db = await openPglite();
  const running = await startApp(config, { db, logger: createLogger('silent') });
  try {
    return await runDoctor({ config, gateways: running.ctx.gateways, couriers: running.ctx.couriers });
  } finally {
    await running.stop();
    await db.close();
  }
}

export async function runDoctorCli(env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let config: Config;
  try {
    config = loadConfig(env);
  } catch (err) {
    console.log(`config  FAIL: ${(err as Error).message}`);
    return 1;
  }
  const lines = config.sandbox ? await sandboxLines(env) : await liveLines(config);
  console.log(formatDoctor(lines));
  return lines.every((l) => l.ok) ? 0 : 1;
}
