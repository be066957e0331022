// Product pictures from the catalog tab on the real backend, in Chromium at 1366×900 (admin key,
// Indonesian) and 390×844 (owner's staff login, so the upload carries the session's CSRF header;
// English): a photo that is not JPG/PNG/WebP or is over 5 MB is explained before anything is sent,
// one the server refuses is explained after the product is saved, a real photo is previewed,
// uploaded on save with its progress shown (a camera-sized one over 5 MB is first made smaller in the
// page) and then shows in the product list from its public URL (naturalWidth > 0), and
// removing it clears the product's image. No horizontal scroll at any step.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Locator, Page } from 'playwright-core';
import { browserSkip, browserSuite, DESKTOP, noHorizontalScroll, PHONE, type Viewport } from '../helpers/browser.js';
import { noisyPngPicture, pngPicture } from '../helpers/pictures.js';

describe('dashboard product pictures', { skip: browserSkip }, () => {
  const s = browserSuite();
  const owner = { email: 'pemilik.foto@toko.id', password: 'rahasia-foto-123' };

  const product = async (sku: string) => (await s.p.api('GET', '/api/v1/products')).body.products.find((x: any) => x.sku === sku);
  const loaded = (img: Locator) => img.evaluate((n: HTMLImageElement) => n.complete && n.naturalWidth > 0);
  async function waitLoaded(page: Page, img: Locator, what: string) {
    await img.waitFor();
    const handle = await img.elementHandle();
    await page.waitForFunction((n) => (n as HTMLImageElement).complete && (n as HTMLImageElement).naturalWidth > 0, handle, { timeout: 20_000 }).catch(() => {});
    assert.ok(await loaded(img), `${what}: the picture loads`);
  }

  const runs: { vp: Viewport; english: boolean; login: boolean }[] = [
    { vp: DESKTOP, english: false, login: false },
    { vp: PHONE, english: true, login: true },
  ];
  for (const { vp, english, login } of runs) {
    test(`upload, show and remove a product picture (${vp.width}px, ${english ? 'English' : 'Indonesian'}, ${login ? 'staff login' : 'admin key'})`, async () => {
      if (login && (await s.p.api('GET', '/api/v1/staff')).body.staff.every((u: any) => u.email !== owner.email)) {
        assert.equal((await s.p.api('POST', '/api/v1/staff', { ...owner, name: 'Bu Rina', role: 'owner' })).status, 201);
      }
      const sku = vp === DESKTOP ? 'OBT-PCT500' : (await s.p.api('GET', '/api/v1/products')).body.products.find((x: any) => !x.image_url && x.sku !== 'OBT-PCT500').sku;
      assert.equal((await s.p.api('PATCH', `/api/v1/products/${sku}`, { image_url: null })).status, 200);
      const t = (id: string, en: string) => (english ? en : id);

      const page = await s.dashboard(vp, login ? { login: owner } : {});
      if (english) {
        await page.getByTestId('lang-switch').click();
        await page.locator('html[lang="en"]').waitFor();
      }
      await page.getByTestId('tab-catalog').click();
      const row = page.locator(`[data-testid="product-row"][data-sku="${sku}"]`);
      await row.waitFor();
      assert.equal(await row.getByTestId('product-thumb').count(), 0, 'no picture yet');
      await row.getByTestId('product-edit').click();
      const file = page.getByTestId('picture-file');
      const status = page.getByTestId('picture-status');

      // Refused in the page, before any upload.
      await file.setInputFiles({ name: 'catatan.txt', mimeType: 'text/plain', buffer: Buffer.from('bukan foto') });
      await status.filter({ hasText: t('bukan foto JPG, PNG atau WebP', 'not a JPG, PNG or WebP photo') }).waitFor();
      await file.setInputFiles({ name: 'besar.jpg', mimeType: 'image/jpeg', buffer: Buffer.alloc(6 * 1024 * 1024, 0xff) });
      await status.filter({ hasText: t('terlalu besar (6 MB). Maksimal 5 MB', 'too big (6 MB). At most 5 MB') }).waitFor();
      assert.equal(await page.getByTestId('picture-preview').isVisible(), false);

      // Looks like a PNG to the browser, but its bytes are a GIF: the server refuses, the page says why.
      await file.setInputFiles({ name: 'animasi.png', mimeType: 'image/png', buffer: Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'binary') });
      await page.getByTestId('new-save').click();
      await page.getByTestId('new-result').filter({ hasText: t('fotonya belum', 'its photo is not') }).waitFor();
      await status.filter({ hasText: t('bukan foto JPG, PNG atau WebP', 'not a JPG, PNG or WebP photo') }).waitFor();
      assert.equal((await product(sku)).image_url ?? null, null);

      // A real photo: previewed at once, uploaded on save. On the phone it is a camera-sized photo over
      // 5 MB, which the page makes smaller (a JPEG) before uploading.
      const big = vp === PHONE;
      const png = big ? noisyPngPicture(1400, 1300) : pngPicture(120, 90, [200, 30, 50]);
      if (big) assert.ok(png.length > 5 * 1024 * 1024, `the camera-sized photo is over the cap (${png.length} bytes)`);
      await file.setInputFiles({ name: 'foto-produk.png', mimeType: 'image/png', buffer: png });
      await status.filter({ hasText: t('Diunggah saat Anda menekan Simpan produk', 'uploaded when you press Save product') }).waitFor();
      if (big) assert.match(await status.innerText(), /made smaller, from 5[,.]\d MB to \d[,.]?\d* MB/);
      await waitLoaded(page, page.getByTestId('picture-preview'), 'preview');
      await noHorizontalScroll(page, 'product form with a preview');
      // Hold the upload's answer a moment: meanwhile the page shows its progress.
      let release = () => {};
      const held = new Promise<void>((r) => { release = r; });
      await page.route('**/picture', async (route) => { await held; await route.continue(); });
      await page.getByTestId('new-save').click();
      await page.getByTestId('picture-progress').waitFor();
      await status.filter({ hasText: t('Mengunggah foto…', 'Uploading the photo…') }).waitFor();
      release();
      await page.getByTestId('new-result').filter({ hasText: t('tersimpan dengan fotonya', 'saved with its photo') }).waitFor();
      await page.unroute('**/picture');
      assert.equal(await page.getByTestId('picture-progress').isVisible(), false);
      const saved = await product(sku);
      assert.match(saved.image_url, new RegExp(`^${s.p.base}/media/products/[A-Za-z0-9_-]{43}\\.${big ? 'jpg' : 'png'}$`));
      const served = await fetch(saved.image_url);
      const bytes = Buffer.from(await served.arrayBuffer());
      assert.equal(served.headers.get('content-type'), big ? 'image/jpeg' : 'image/png');
      if (big) assert.ok(bytes.length < 5 * 1024 * 1024 && bytes[0] === 0xff && bytes[1] === 0xd8, 'a JPEG under the cap');
      else assert.ok(bytes.equals(png), 'the public URL serves the uploaded bytes');

      // In the product list, loaded from its public URL.
      const thumb = page.locator(`[data-testid="product-row"][data-sku="${sku}"] [data-testid="product-thumb"]`);
      await waitLoaded(page, thumb, 'product list');
      assert.equal(await thumb.getAttribute('src'), saved.image_url);
      await noHorizontalScroll(page, 'product list with a picture');

      // Editing shows the current picture; removing it clears the product's image and retires the URL.
      await page.locator(`[data-testid="product-row"][data-sku="${sku}"] [data-testid="product-edit"]`).click();
      await waitLoaded(page, page.getByTestId('picture-preview'), 'current picture in the form');
      await page.getByTestId('picture-remove').click();
      await page.getByTestId('new-save').click();
      await page.getByTestId('new-result').filter({ hasText: t('tersimpan', 'saved') }).waitFor();
      await page.locator(`[data-testid="product-row"][data-sku="${sku}"]`).waitFor();
      assert.equal((await product(sku)).image_url ?? null, null);
      assert.equal((await fetch(saved.image_url)).status, 404);
      assert.equal(await page.locator(`[data-testid="product-row"][data-sku="${sku}"] [data-testid="product-thumb"]`).count(), 0);
      await page.close();
    });
  }

  test('no page errors', () => assert.deepEqual(s.pageErrors, []));
});
