// Product pictures through the admin API over real HTTP, on PGlite and on the PostgreSQL server: an owner uploads a picture
// (multipart), WhatsApp and browsers fetch it byte for byte from its public URL; other types,
// oversize files, other merchants, roles without the catalog and sessions without CSRF are refused;
// replacing and deleting a picture retires its URL; the change is in the audit log.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startPesan, type Pesan } from '../helpers/pesan.js';
import { DB_KINDS } from '../helpers/db.js';
import { addUser } from '../auth/session-client.js';
import { issueApiKey } from '../../src/platform/api-keys.js';
import { MAX_PICTURE_BYTES } from '../../src/media/product-pictures.js';
import { jpegLike, pngPicture, webpLike } from '../helpers/pictures.js';

const SKU = 'OBT-PCT500';

for (const kind of DB_KINDS) describe(`product pictures (${kind})`, () => {
  let p: Pesan;
  let keyB: string;
  before(async () => {
    p = await startPesan({ db: kind });
    // The sandbox's second merchant (a food stall) with a key of its own.
    keyB = (await issueApiKey(p.ctx.db, 'warung', 'test')).api_key;
  });
  after(async () => {
    await p?.stop();
    await p?.dropDb();
  });

  const form = (data: Buffer, type = 'image/png', name = 'foto.png') => {
    const f = new FormData();
    f.append('file', new Blob([new Uint8Array(data)], { type }), name);
    return f;
  };
  async function upload(sku: string, body: FormData | string, headers: Record<string, string> = { authorization: `Bearer ${p.adminKey}` }) {
    const res = await fetch(`${p.base}/api/v1/products/${encodeURIComponent(sku)}/picture`, { method: 'POST', headers, body });
    return { status: res.status, body: (await res.json().catch(() => undefined)) as any };
  }
  const product = async (sku: string, key = p.adminKey) => {
    const res = await fetch(`${p.base}/api/v1/products`, { headers: { authorization: `Bearer ${key}` } });
    return ((await res.json()) as { products: any[] }).products.find((x) => x.sku === sku);
  };
  const publicGet = (url: string, method = 'GET') => fetch(url, { method }); // no credentials: as Meta fetches it

  it('uploads a PNG, sets image_url to a public unguessable URL that serves the same bytes', async () => {
    const png = pngPicture(40, 30);
    const r = await upload(SKU, form(png));
    assert.equal(r.status, 201, JSON.stringify(r.body));
    const url: string = r.body.product.image_url;
    assert.equal(r.body.picture.url, url);
    assert.equal(r.body.picture.content_type, 'image/png');
    assert.equal(r.body.picture.bytes, png.length);
    assert.match(url, new RegExp(`^${p.base}/media/products/[A-Za-z0-9_-]{43}\\.png$`));
    assert.equal((await product(SKU)).image_url, url, 'the catalog answers the new image_url');

    const res = await publicGet(url);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'image/png');
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    assert.match(res.headers.get('cache-control') ?? '', /max-age=31536000/);
    assert.ok(Buffer.from(await res.arrayBuffer()).equals(png), 'byte-equal to the upload');
    const head = await publicGet(url, 'HEAD');
    assert.equal(head.status, 200, 'HEAD works too (link checkers, Meta)');

    // The token is the secret: another token, or the right token with another extension, is unknown.
    const other = url.replace(/\/([A-Za-z0-9_-])([A-Za-z0-9_-]{42})\.png$/, (_m, a, rest) => `/${a === 'A' ? 'B' : 'A'}${rest}.png`);
    assert.equal((await publicGet(other)).status, 404);
    assert.equal((await publicGet(url.replace(/\.png$/, '.jpg'))).status, 404);
  });

  it('takes JPEG and WebP by their bytes whatever the declared type, up to exactly 5 MB', async () => {
    const jpeg = jpegLike(MAX_PICTURE_BYTES);
    const r = await upload(SKU, form(jpeg, 'application/octet-stream', 'foto'));
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.equal(r.body.picture.content_type, 'image/jpeg');
    assert.match(r.body.product.image_url, /\.jpg$/);
    const got = await publicGet(r.body.product.image_url);
    assert.equal(got.headers.get('content-type'), 'image/jpeg');
    assert.ok(Buffer.from(await got.arrayBuffer()).equals(jpeg));

    const webp = webpLike(200);
    const w = await upload(SKU, form(webp, 'image/png', 'x.png'));
    assert.equal(w.status, 201);
    assert.equal(w.body.picture.content_type, 'image/webp', 'the bytes decide, not the declared type');
    const gotW = await publicGet(w.body.product.image_url);
    assert.equal(gotW.headers.get('content-type'), 'image/webp');
    assert.ok(Buffer.from(await gotW.arrayBuffer()).equals(webp));
  });

  it('refuses other types, oversize files and requests without a file, keeping the current picture', async () => {
    const before = (await product(SKU)).image_url;
    const refusals: [string, FormData | string, number, RegExp][] = [
      ['GIF declared as PNG', form(Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'binary'), 'image/png', 'a.png'), 415, /JPEG, PNG or WebP/],
      ['HTML declared as JPEG', form(Buffer.from('<html><script>alert(1)</script></html>'), 'image/jpeg', 'a.jpg'), 415, /JPEG, PNG or WebP/],
      ['SVG', form(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'), 'image/svg+xml', 'a.svg'), 415, /JPEG, PNG or WebP/],
      ['one byte over 5 MB', form(jpegLike(MAX_PICTURE_BYTES + 1), 'image/jpeg', 'big.jpg'), 413, /larger than 5 MB/],
      ['empty file', form(Buffer.alloc(0)), 400, /empty/],
    ];
    for (const [what, body, status, message] of refusals) {
      const r = await upload(SKU, body);
      assert.equal(r.status, status, `${what}: ${JSON.stringify(r.body)}`);
      assert.match(r.body.error, message, what);
    }
    const big = await upload(SKU, form(jpegLike(MAX_PICTURE_BYTES * 3)));
    assert.equal(big.status, 413, 'far over the cap');
    assert.equal(big.body.max_bytes, MAX_PICTURE_BYTES);
    const json = await fetch(`${p.base}/api/v1/products/${SKU}/picture`, { method: 'POST', headers: { authorization: `Bearer ${p.adminKey}`, 'content-type': 'application/json' }, body: '{}' });
    assert.equal(json.status, 415, 'JSON is not an upload');
    const none = new FormData();
    none.append('note', 'no file here');
    assert.equal((await upload(SKU, none)).status, 400);
    assert.equal((await upload('NO-SUCH-SKU', form(pngPicture(2, 2)))).status, 404);
    assert.equal((await product(SKU)).image_url, before, 'nothing changed');
  });

  it("another merchant's key cannot see or set this merchant's pictures", async () => {
    const mine = (await product(SKU)).image_url;
    const asB = { authorization: `Bearer ${keyB}` };
    assert.equal((await upload(SKU, form(pngPicture(3, 3)), asB)).status, 404, "A's product is not in B's catalog");
    const del = await fetch(`${p.base}/api/v1/products/${SKU}/picture`, { method: 'DELETE', headers: asB });
    assert.equal(del.status, 404);
    assert.equal((await product(SKU)).image_url, mine, "A's picture is untouched");
    assert.equal((await publicGet(mine)).status, 200);

    // B's own product with the same SKU gets B's picture; A's stays.
    const put = await fetch(`${p.base}/api/v1/products`, { method: 'PUT', headers: { ...asB, 'content-type': 'application/json' }, body: JSON.stringify([{ sku: SKU, name: 'Es teh', price: 5000, stock: 10 }]) });
    assert.equal(put.status, 200);
    const pngB = pngPicture(5, 5, [0, 0, 255]);
    const b = await upload(SKU, form(pngB), asB);
    assert.equal(b.status, 201);
    assert.equal((await product(SKU, keyB)).image_url, b.body.product.image_url);
    assert.equal((await product(SKU)).image_url, mine);
    assert.equal((await publicGet(mine)).status, 200, "B's upload does not replace A's picture");
  });

  it('needs the owner role, and a session needs its CSRF header; the upload is in the audit log', async () => {
    const login = async (role: 'owner' | 'staff') => {
      const u = await addUser(p, role, role === 'owner' ? 'Ibu Sari' : undefined);
      const res = await fetch(`${p.base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: u.email, password: u.password }) });
      assert.equal(res.status, 200);
      const jar = new Map(res.headers.getSetCookie().map((l) => l.split(';')[0]!.split('=') as [string, string]));
      return { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; '), csrf: jar.get('pesan_csrf')! };
    };
    const staff = await login('staff');
    const asStaff = await upload(SKU, form(pngPicture(4, 4)), { cookie: staff.cookie, 'x-csrf-token': staff.csrf });
    assert.equal(asStaff.status, 403, 'staff may change stock, not pictures');
    const owner = await login('owner');
    assert.equal((await upload(SKU, form(pngPicture(4, 4)), { cookie: owner.cookie })).status, 403, 'no CSRF header');
    assert.equal((await upload(SKU, form(pngPicture(4, 4)), { cookie: owner.cookie, 'x-csrf-token': 'wrong' })).status, 403);
    const ok = await upload(SKU, form(pngPicture(4, 4)), { cookie: owner.cookie, 'x-csrf-token': owner.csrf });
    assert.equal(ok.status, 201, JSON.stringify(ok.body));

    const entries: any[] = (await p.api('GET', '/api/v1/audit?limit=20')).body.entries;
    const hit = entries.find((e) => e.target === `product ${SKU}` && e.actor === 'Ibu Sari');
    assert.ok(hit, `audit entry for the upload: ${JSON.stringify(entries.slice(0, 3))}`);
    assert.doesNotMatch(JSON.stringify(hit), /PNG|IHDR/, 'no picture bytes in the log');
  });

  it('replacing a picture retires the old URL; removing it clears image_url; deleting the product removes its picture', async () => {
    const first = await upload(SKU, form(pngPicture(6, 6)));
    const second = await upload(SKU, form(pngPicture(7, 7)));
    assert.equal(second.status, 201);
    assert.notEqual(first.body.product.image_url, second.body.product.image_url, 'a new picture gets a new URL (caches never show the old one)');
    assert.equal((await publicGet(first.body.product.image_url)).status, 404);
    assert.equal((await publicGet(second.body.product.image_url)).status, 200);

    const del = await p.api('DELETE', `/api/v1/products/${SKU}/picture`);
    assert.equal(del.status, 200);
    assert.equal(del.body.product.image_url ?? null, null);
    assert.equal((await product(SKU)).image_url ?? null, null);
    assert.equal((await publicGet(second.body.product.image_url)).status, 404);

    const again = await upload(SKU, form(pngPicture(8, 8)));
    assert.equal((await p.api('DELETE', `/api/v1/products/${SKU}`)).status, 200);
    assert.equal((await publicGet(again.body.product.image_url)).status, 404, "the product's picture went with it");
  });

  it('answers broken uploads and odd public paths with a 4xx, never a 5xx', async () => {
    const auth = { authorization: `Bearer ${p.adminKey}` };
    const broken: [string, Record<string, string>, string][] = [
      ['garbage after a boundary', { 'content-type': 'multipart/form-data; boundary=xyz' }, 'garbage'],
      ['no boundary', { 'content-type': 'multipart/form-data' }, '--x\r\n\r\n'],
      ['cut off mid-file', { 'content-type': 'multipart/form-data; boundary=b' }, '--b\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\nContent-Type: image/png\r\n\r\n\x89PNG'],
    ];
    for (const [what, headers, body] of broken) {
      const res = await fetch(`${p.base}/api/v1/products/${SKU}/picture`, { method: 'POST', headers: { ...auth, ...headers }, body });
      assert.ok(res.status >= 400 && res.status < 500, `${what}: ${res.status} ${await res.text()}`);
    }
    for (const file of ['..%2F..%2Fetc%2Fpasswd', 'x'.repeat(2000) + '.png', '%00.png', 'AAAA.png', '.png']) {
      const res = await fetch(`${p.base}/media/products/${file}`);
      assert.ok(res.status >= 400 && res.status < 500, `${file.slice(0, 30)}: ${res.status}`);
    }
  });

  it('is documented in the OpenAPI document', async () => {
    const doc = (await (await fetch(`${p.base}/api/openapi.json`)).json()) as any;
    const op = doc.paths['/api/v1/products/{sku}/picture'];
    assert.ok(op?.post?.requestBody?.content?.['multipart/form-data'], 'multipart upload described');
    assert.match(op.post.summary, /5 MB/);
    assert.ok(op.post.responses['413'] && op.post.responses['415']);
    assert.ok(op.delete);
    assert.ok(doc.paths['/media/products/{file}']?.get, 'the public URL is described');
  });
});
