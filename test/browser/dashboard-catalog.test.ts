// The catalog tab on the real backend: every field of a product edited from the page (category, unit,
// other names, search words, description, picture link, prescription flag), deactivated and sold
// again; low stock highlighted and counted on the tab; the chat's typo-tolerant search finds
// "paracetmol". At 1366×900 and 390×844 with no horizontal scroll.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { browserSkip, browserSuite, noHorizontalScroll, VIEWPORTS, type Viewport } from '../helpers/browser.js';

describe('dashboard catalog', { skip: browserSkip }, () => {
  const s = browserSuite();

  const product = async (sku: string) => (await s.p.api('GET', '/api/v1/products')).body.products.find((x: any) => x.sku === sku);
  async function open(viewport: Viewport) {
    const page = await s.dashboard(viewport, { tab: 'tab-catalog' });
    await page.getByTestId('product-row').first().waitFor();
    return page;
  }

  for (const vp of VIEWPORTS) {
    test(`edit every field, deactivate, low stock and typo search (${vp.width}px)`, async () => {
      const sku = 'OBT-PCT500';
      assert.equal((await s.p.api('PATCH', `/api/v1/products/${sku}`, { stock: 50, active: true, prescription: false })).status, 200);
      const page = await open(vp);
      await noHorizontalScroll(page, 'catalog');
      const row = page.locator(`[data-testid="product-row"][data-sku="${sku}"]`);

      // Typo-tolerant: the chat's search finds it; a plain substring match would not.
      await page.getByTestId('catalog-search').fill('paracetmol');
      await row.waitFor();
      await page.getByTestId('catalog-search').fill('');

      await row.getByTestId('product-edit').click();
      await page.locator('[data-testid="product-form-title"]', { hasText: sku }).waitFor();
      assert.equal(await page.getByTestId('new-sku').inputValue(), sku);
      assert.equal(await page.getByTestId('new-sku').getAttribute('readonly'), '');
      await page.getByTestId('new-name').fill(`Paracetamol 500mg Strip isi 10 (${vp.width})`);
      await page.getByTestId('new-price').fill('5.500');
      await page.getByTestId('new-stock').fill('4');
      await page.getByTestId('new-category').fill('Obat Bebas');
      await page.getByTestId('new-unit').fill('strip');
      await page.getByTestId('new-aliases').fill('paracetamol, pct, sanmol generik');
      const nl = await page.getByTestId('new-search-words').isVisible();
      if (nl) {
        await page.getByTestId('new-search-words').fill('demam, pusing');
        await page.getByTestId('new-description').fill('Pereda demam dan nyeri.');
      }
      await page.getByTestId('new-image-url').fill('https://example.com/pct.png');
      await page.getByTestId('new-prescription').check();
      await noHorizontalScroll(page, 'product form');
      await page.getByTestId('new-save').click();
      await page.locator('[data-testid="new-result"]', { hasText: 'tersimpan' }).waitFor();
      const saved = await product(sku);
      assert.deepEqual(
        [saved.name, saved.price, saved.stock, saved.category, saved.unit, saved.aliases, saved.image_url, saved.prescription],
        [`Paracetamol 500mg Strip isi 10 (${vp.width})`, 5500, 4, 'Obat Bebas', 'strip', ['paracetamol', 'pct', 'sanmol generik'], 'https://example.com/pct.png', true],
      );
      if (nl) {
        assert.deepEqual(saved.search_words, ['demam', 'pusing']);
        assert.equal(saved.description, 'Pereda demam dan nyeri.');
      }

      // 4 left: highlighted, counted on the tab, found by "low stock only".
      await row.and(page.locator('[data-low="true"]')).waitFor();
      assert.match(await row.innerText(), /stok menipis/);
      const lowCount = Number(await page.getByTestId('catalog-count').innerText());
      const lowInApi = (await s.p.api('GET', '/api/v1/products')).body.products.filter((x: any) => x.active !== false && x.stock <= 5).length;
      assert.equal(lowCount, lowInApi);
      await page.getByTestId('low-stock-only').check();
      assert.equal(await page.getByTestId('product-row').count(), lowInApi);
      await page.getByTestId('low-stock-only').uncheck();

      // Deactivate (hidden from customers, kept in the list), then sell again.
      await row.getByTestId('product-toggle-active').click();
      await page.locator(`[data-testid="product-row"][data-sku="${sku}"].inactive`).waitFor();
      assert.equal((await product(sku)).active, false);
      await page.locator(`[data-testid="product-row"][data-sku="${sku}"] [data-testid="product-toggle-active"]`).click();
      await page.locator(`[data-testid="product-row"][data-sku="${sku}"]:not(.inactive)`).waitFor();
      assert.equal((await product(sku)).active, true);

      // A wrong price is explained, nothing sent.
      await page.locator(`[data-testid="product-row"][data-sku="${sku}"] [data-testid="product-edit"]`).click();
      await page.getByTestId('new-price').fill('lima ribu');
      await page.getByTestId('new-save').click();
      await page.locator('[data-testid="new-result"]', { hasText: 'rupiah' }).waitFor();
      assert.equal((await product(sku)).price, 5500);
      await page.getByTestId('edit-cancel').click();
      await page.close();
    });
  }

  test('no page errors', () => assert.deepEqual(s.pageErrors, []));
});
