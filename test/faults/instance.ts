// One pesan instance as its own process (so a test can SIGKILL it): config from the environment.
import { loadConfig } from '../../src/config.js';
import { startApp } from '../../src/app.js';

const config = loadConfig();
const running = await startApp(config);
console.log(`ready ${running.url}`);
process.on('SIGTERM', () => {
  void running.stop().then(() => process.exit(0));
});
