// Browser tests drive Debian's Chromium through playwright-core; a browser is never downloaded.
// `browserSuite` is the setup every test/browser file shares: inside a describe block it starts pesan
// (unless the file serves its own pages) and Chromium before the tests and stops both after them;
// every page it opens records uncaught page errors, and `dashboard()` opens the dashboard at a
// viewport, with the sandbox's admin key or through the staff login.
import { existsSync } from 'node:fs';
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';
import { startPesan, type Pesan } from './pesan.js';

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

export interface Viewport {
  width: number;
  height: number;
}
/** The two screens every dashboard page must fit: a laptop and a phone. */
export const DESKTOP: Viewport = { width: 1366, height: 900 };
export const PHONE: Viewport = { width: 390, height: 844 };
export const VIEWPORTS: readonly Viewport[] = [DESKTOP, PHONE];

export interface OpenOptions extends BrowserContextOptions {
  /** Playwright's default wait for each step (ms); 20 s by default, since the machine is shared. */
  timeoutMs?: number;
  /** Accept every confirm()/alert() (default true). */
  acceptDialogs?: boolean;
  /** Script run in the page before its own (e.g. to record notifications), as a string. */
  initScript?: string;
}

export interface DashboardOptions extends OpenOptions {
  /** Log in through the staff login screen (`?login=1`) instead of the sandbox's embedded key. */
  login?: { email: string; password: string };
  /** Click this tab (its data-testid, e.g. 'tab-catalog') once the page is up. */
  tab?: string;
}

export interface BrowserSuite {
  /** The pesan instance (throws when the suite was started with `pesan: false`). */
  readonly p: Pesan;
  readonly browser: Browser;
  /** Uncaught errors of every page opened through the suite. */
  readonly pageErrors: string[];
  /** A new page (own cookies and storage) at `url`, absolute or a path on pesan. */
  open(url: string, opts?: OpenOptions): Promise<Page>;
  /** The dashboard at a viewport, logged in by key or as a staff member, on `tab` when given. */
  dashboard(viewport: Viewport, opts?: DashboardOptions): Promise<Page>;
}

/**
 * Registers the before/after hooks of a browser test file; call it inside `describe`. Hooks run in
 * the order they are registered, so a file's own `before` placed after this call sees p and browser.
 */
export function browserSuite(opts: { pesan?: Parameters<typeof startPesan>[0] | false } = {}): BrowserSuite {
  let pesan: Pesan | undefined;
  let browser: Browser | undefined;
  const pageErrors: string[] = [];
  before(async () => {
    if (opts.pesan !== false) pesan = await startPesan(opts.pesan ?? { db: 'pglite' });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await pesan?.stop();
  });

  const suite: BrowserSuite = {
    get p() {
      if (!pesan) throw new Error('this browser suite runs without pesan');
      return pesan;
    },
    get browser() {
      if (!browser) throw new Error('the browser starts in before()');
      return browser;
    },
    pageErrors,
    async open(url, { timeoutMs = 20_000, acceptDialogs = true, initScript, ...context } = {}) {
      const page = await (await suite.browser.newContext(context)).newPage();
      if (initScript) await page.addInitScript(initScript);
      page.setDefaultTimeout(timeoutMs);
      page.on('pageerror', (e) => pageErrors.push(String(e)));
      if (acceptDialogs) page.on('dialog', (d) => void d.accept());
      // Closing the page closes its context too, so a test only closes what it opened.
      page.on('close', () => void page.context().close().catch(() => {}));
      await page.goto(/^[a-z][a-z0-9+.-]*:/i.test(url) ? url : `${suite.p.base}${url}`);
      return page;
    },
    async dashboard(viewport, { login, tab, ...rest } = {}) {
      const page = await suite.open(login ? '/dashboard?login=1' : '/dashboard', { viewport, ...rest });
      if (login) {
        await logIn(page, login.email, login.password);
        await page.getByTestId('who').waitFor(); // the header names who is logged in once the session is up
      }
      if (tab) await page.getByTestId(tab).click();
      return page;
    },
  };
  return suite;
}

/** Fills and sends the dashboard's staff login form (the page must show it). */
export async function logIn(page: Page, email: string, password: string): Promise<void> {
  await page.getByTestId('staff-login').waitFor();
  await page.getByTestId('login-email').fill(email);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
}

/** Fails when the page is wider than its window (something would need a sideways scroll). */
export async function noHorizontalScroll(page: Page, what: string): Promise<void> {
  const { scroll, width } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, width: window.innerWidth }));
  assert.ok(scroll <= width, `${what}: page is ${scroll}px wide in a ${width}px window`);
}
