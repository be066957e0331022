#!/usr/bin/env node
// CLI entry: start | migrate | seed | doctor | nlu | catalog | user
import { randomBytes } from 'node:crypto';
import { loadConfig, loadDotEnv } from './config.js';

async function main(argv: string[]): Promise<void> {
  const [command = 'start', ...rest] = argv;
  loadDotEnv();
  switch (command) {
    case 'start': {
      const config = loadConfig();
      if (!config.adminApiKey) {
        if (!config.sandbox) {
          console.error('ADMIN_API_KEY is required outside sandbox mode.');
          process.exit(2);
        }
        config.adminApiKey = `sandbox-${randomBytes(12).toString('hex')}`;
      }
      const { startApp } = await import('./app.js');
      const running = await startApp(config);
      const url = running.url;
      console.log(`pesan is running at ${url} (${running.ctx.db.kind}${config.sandbox ? ', sandbox mode' : ''})`);
      if (config.sandbox) {
        console.log(`  Customer chat:  ${url}/sandbox/chat`);
        console.log(`  Dashboard:      ${url}/dashboard`);
        console.log(`  Admin API key:  ${config.adminApiKey}   (docs: ${url}/api/docs)`);
        const { ensureDemoOwners } = await import('./auth/demo.js');
        for (const o of await ensureDemoOwners(running.ctx.db)) console.log(`  Dashboard login (${o.merchantName}): ${o.email} / ${o.password}`);
      }
      const shutdown = async () => {
        await running.stop();
        process.exit(0);
      };
      process.on('SIGINT', shutdown);
      process.on('SIGTERM', shutdown);
      return;
    }
    case 'migrate': {
      const config = loadConfig();
      const { openDb } = await import('./db/index.js');
      const { migrate } = await import('./db/migrate.js');
      const db = await openDb({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
      const applied = await migrate(db);
      console.log(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
      await db.close();
      return;
    }
    case 'seed': {
      // Creates the default merchant and loads the demo catalog into it (sandbox or not).
      const config = loadConfig();
      const { openDb } = await import('./db/index.js');
      const { migrate } = await import('./db/migrate.js');
      const { seedDemoCatalog } = await import('./sandbox/seed.js');
      const db = await openDb({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
      await migrate(db);
      const n = await seedDemoCatalog(db, config);
      console.log(n ? `seeded ${n} demo products into the default merchant's catalog` : 'the catalog already has products; nothing seeded');
      await db.close();
      return;
    }
    case 'nlu': {
      const { runNluCli } = await import('./nlu/cli.js');
      await runNluCli(rest);
      return;
    }
    case 'catalog': {
      const { runCatalogCli } = await import('./catalog/cli.js');
      await runCatalogCli(rest, loadConfig());
      return;
    }
    case 'user': {
      // Staff logins: add | password | list (src/auth/cli.ts).
      const config = loadConfig();
      const { openDb } = await import('./db/index.js');
      const { migrate } = await import('./db/migrate.js');
      const { runUserCli } = await import('./auth/cli.js');
      const db = await openDb({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
      await migrate(db);
      const code = await runUserCli(db, rest);
      await db.close();
      process.exit(code);
    }
    case 'doctor': {
      // One harmless call per configured provider; exit 0 only when every one is ok.
      const { runDoctorCli } = await import('./doctor/cli.js');
      process.exit(await runDoctorCli());
    }
    default:
      console.error(`unknown command "${command}". Use: start | migrate | seed | doctor | nlu --catalog FILE | catalog import|export FILE | user add|password|list`);
      process.exit(2);
  }
}

main(process.argv.slice(2)).catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
