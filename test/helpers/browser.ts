// Browser tests drive Debian's Chromium through playwright-core; a browser is never downloaded.
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

/** Skip reason when Chromium is missing on a developer machine; under CI a missing browser fails. */
export const browserSkip: string | false =
  !existsSync(CHROMIUM) && !process.env.CI
    ? `Chromium not found at ${CHROMIUM} (install it with: apt-get install -y chromium); set CI=1 to make this a failure`
    : false;

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking', '--disable-dev-shm-usage'],
  });
}
