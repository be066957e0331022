// A WooCommerce shop in memory, speaking the REST API v3 paths pesan uses: the demo minimarket
// "Toko Makmur". Auth, pagination headers, error bodies and stock reduction on paid orders follow
// WooCommerce; like WooCommerce, a paid order reduces stock even below zero.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { safeEqual } from '../../../shared/crypto.js';
import { describeIssues } from '../common.js';
import { createPauser, SLOW_ANSWER_MS, simModeBody, simStockBody, type SimMode } from '../sim-control.js';
import { TOKO_MAKMUR_NAME, tokoMakmurProducts, type WooSeedProduct } from './seed.js';
import { createOrderRequest } from './wire.js';

export interface WooCommerceSimulatorOptions {
  consumerKey: string;
  consumerSecret: string;
  products?: WooSeedProduct[];
  latencyMs?: number;
  name?: string;
}

interface SimProduct {
  id: number;
  name: string;
  slug: string;
  type: string;
  status: string;
  sku: string;
  price: string;
  manage_stock: boolean;
  stock_quantity: number | null;
  stock_status: 'instock' | 'outofstock' | 'onbackorder';
  categories: { id: number; name: string; slug: string }[];
  images: { id: number; src: string; alt: string }[];
  date_created: string;
  date_modified: string;
}

interface SimOrder {
  id: number;
  createdAt: Date;
  body: Record<string, unknown>;
}

const BASE = '/wp-json/wc/v3';

const slugify = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
// WordPress shows dates without a zone (site time) next to a *_gmt twin; the simulated shop runs on UTC.
const wpDate = (d: Date) => d.toISOString().replace(/\.\d+Z$/, '');

const wpError = (reply: FastifyReply, status: number, code: string, message: string) => reply.status(status).send({ code, message, data: { status } });

function paginate<T>(reply: FastifyReply, items: T[], query: Record<string, unknown>) {
  const perPage = query.per_page === undefined ? 10 : Number(query.per_page);
  const page = query.page === undefined ? 1 : Number(query.page);
  if (!Number.isInteger(perPage) || perPage < 1 || perPage > 100) {
    return wpError(reply, 400, 'rest_invalid_param', 'Invalid parameter(s): per_page');
  }
  if (!Number.isInteger(page) || page < 1) return wpError(reply, 400, 'rest_invalid_param', 'Invalid parameter(s): page');
  const totalPages = Math.ceil(items.length / perPage);
  if (page > 1 && page > totalPages) {
    return wpError(reply, 400, 'rest_post_invalid_page_number', 'The page number requested is larger than the number of pages available.');
  }
  reply.header('X-WP-Total', String(items.length));
  reply.header('X-WP-TotalPages', String(totalPages));
  return reply.send(items.slice((page - 1) * perPage, page * perPage));
}

/** `include=1,2` or `include[]=1&include[]=2`, as WordPress accepts both. */
function listParam(query: Record<string, unknown>, name: string): string[] | undefined {
  const v = query[name] ?? query[`${name}[]`];
  if (v === undefined) return undefined;
  return (Array.isArray(v) ? v : [v]).flatMap((x) => String(x).split(',')).map((s) => s.trim()).filter(Boolean);
}

export const wooCommerceSimulator: FastifyPluginAsync<WooCommerceSimulatorOptions> = async (app, opts) => {
  const shopName = opts.name ?? TOKO_MAKMUR_NAME;
  const products = new Map<number, SimProduct>();
  const orders: SimOrder[] = [];
  const categoryIds = new Map<string, number>();
  let nextOrderId = 1001;
  let mode: SimMode = 'normal';
  const pause = createPauser(app);
  const started = new Date();

  let nextId = 101;
  for (const seed of opts.products ?? tokoMakmurProducts) {
    const id = nextId++;
    const category = seed.category ?? 'Uncategorized';
    if (!categoryIds.has(category)) categoryIds.set(category, 15 + categoryIds.size);
    products.set(id, {
      id,
      name: seed.name,
      slug: slugify(seed.name),
      type: seed.type ?? 'simple',
      status: seed.status ?? 'publish',
      sku: seed.sku ?? '',
      price: String(seed.price),
      manage_stock: seed.stock !== null,
      stock_quantity: seed.stock,
      stock_status: seed.stock === null || seed.stock > 0 ? 'instock' : 'outofstock',
      categories: [{ id: categoryIds.get(category)!, name: category, slug: slugify(category) }],
      images: seed.image ? [{ id: id * 10, src: seed.image, alt: seed.name }] : [],
      date_created: wpDate(started),
      date_modified: wpDate(started),
    });
  }

  const productJson = (p: SimProduct) => ({
    ...p,
    permalink: `https://toko-makmur.example/produk/${p.slug}/`,
    date_created_gmt: p.date_created,
    date_modified_gmt: p.date_modified,
    regular_price: p.price,
    sale_price: '',
    on_sale: false,
    purchasable: p.price !== '' && p.status === 'publish',
    backorders: 'no',
    tags: [],
  });

  function setStock(p: SimProduct, quantity: number) {
    p.manage_stock = true;
    p.stock_quantity = quantity;
    p.stock_status = quantity > 0 ? 'instock' : 'outofstock';
    p.date_modified = wpDate(new Date());
  }

  const findBySku = (sku: string) => {
    const byId = /^wc-(\d+)$/.exec(sku);
    return byId ? products.get(Number(byId[1])) : [...products.values()].find((p) => p.sku === sku);
  };

  await app.register(async (api) => {
    api.addHook('onRequest', async (_req: FastifyRequest, reply: FastifyReply) => {
      if (mode === 'down') return wpError(reply, 503, 'service_unavailable', `${shopName} is temporarily unavailable.`);
      if (!(await pause(mode === 'slow' ? SLOW_ANSWER_MS : (opts.latencyMs ?? 0), reply))) {
        return wpError(reply.header('connection', 'close'), 503, 'service_unavailable', `${shopName} is shutting down.`);
      }
    });
    // WooCommerce's key/secret check: Basic auth, or the consumer_key/consumer_secret query pair.
    api.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
      let key: string | undefined;
      let secret: string | undefined;
      const basic = /^Basic\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1];
      if (basic) {
        const decoded = Buffer.from(basic, 'base64').toString('utf8');
        const colon = decoded.indexOf(':');
        key = colon >= 0 ? decoded.slice(0, colon) : decoded;
        secret = colon >= 0 ? decoded.slice(colon + 1) : '';
      } else {
        const q = req.query as Record<string, string | undefined>;
        key = q.consumer_key;
        secret = q.consumer_secret;
      }
      if (!key) {
        const creating = req.method === 'POST';
        return wpError(
          reply,
          401,
          creating ? 'woocommerce_rest_cannot_create' : 'woocommerce_rest_cannot_view',
          creating ? 'Sorry, you are not allowed to create resources.' : 'Sorry, you cannot list resources.',
        );
      }
      if (!safeEqual(key, opts.consumerKey)) return wpError(reply, 401, 'woocommerce_rest_authentication_error', 'Consumer key is invalid.');
      if (!safeEqual(secret ?? '', opts.consumerSecret)) return wpError(reply, 401, 'woocommerce_rest_authentication_error', 'Consumer secret is invalid.');
    });

    api.get(`${BASE}/products`, async (req, reply) => {
      const q = req.query as Record<string, unknown>;
      const status = String(q.status ?? 'any');
      const search = typeof q.search === 'string' ? q.search.toLowerCase().trim() : '';
      const skus = typeof q.sku === 'string' ? q.sku.split(',').map((s) => s.trim()) : undefined;
      const include = listParam(q, 'include')?.map(Number);
      const type = typeof q.type === 'string' ? q.type : undefined;
      const matches = [...products.values()].filter(
        (p) =>
          (status === 'any' ? p.status !== 'trash' : p.status === status) &&
          (!search || p.name.toLowerCase().includes(search)) &&
          (!skus || skus.includes(p.sku)) &&
          (!include || include.includes(p.id)) &&
          (!type || p.type === type),
      );
      return paginate(reply, matches.map(productJson), q);
    });

    api.get<{ Params: { id: string } }>(`${BASE}/products/:id`, async (req, reply) => {
      const p = products.get(Number(req.params.id));
      if (!p) return wpError(reply, 404, 'woocommerce_rest_product_invalid_id', 'Invalid ID.');
      return productJson(p);
    });

    api.post(`${BASE}/orders`, async (req, reply) => {
      const b = createOrderRequest.safeParse(req.body);
      if (!b.success) return wpError(reply, 400, 'rest_invalid_param', `Invalid parameter(s): ${describeIssues(b.error)}`);
      for (const li of b.data.line_items) {
        if (!products.has(li.product_id)) return wpError(reply, 400, 'woocommerce_rest_invalid_product_id', `Product ID ${li.product_id} is invalid.`);
      }
      const now = new Date();
      const paid = b.data.set_paid === true;
      let total = 0;
      const lineItems = b.data.line_items.map((li, i) => {
        const p = products.get(li.product_id)!;
        const price = Number(p.price);
        total += price * li.quantity;
        return { id: i + 1, name: p.name, product_id: p.id, variation_id: 0, quantity: li.quantity, sku: p.sku, price, subtotal: String(price * li.quantity), total: String(price * li.quantity) };
      });
      if (paid) {
        for (const li of b.data.line_items) {
          const p = products.get(li.product_id)!;
          if (p.manage_stock && p.stock_quantity !== null) setStock(p, p.stock_quantity - li.quantity);
        }
      }
      const id = nextOrderId++;
      const body = {
        id,
        number: String(id),
        status: paid ? 'processing' : (b.data.status ?? 'pending'),
        currency: 'IDR',
        date_created: wpDate(now),
        date_created_gmt: wpDate(now),
        date_paid: paid ? wpDate(now) : null,
        date_paid_gmt: paid ? wpDate(now) : null,
        total: String(total),
        payment_method: b.data.payment_method ?? '',
        payment_method_title: b.data.payment_method_title ?? '',
        customer_note: b.data.customer_note ?? '',
        billing: b.data.billing ?? {},
        shipping: b.data.shipping ?? {},
        line_items: lineItems,
        meta_data: (b.data.meta_data ?? []).map((m, i) => ({ id: 9000 + id * 10 + i, key: m.key, value: m.value })),
      };
      orders.push({ id, createdAt: now, body });
      return reply.status(201).send(body);
    });

    api.get(`${BASE}/orders`, async (req, reply) => {
      const q = req.query as Record<string, unknown>;
      const after = typeof q.after === 'string' ? new Date(q.after.endsWith('Z') || /[+-]\d\d:\d\d$/.test(q.after) ? q.after : `${q.after}Z`) : undefined;
      const before = typeof q.before === 'string' ? new Date(q.before.endsWith('Z') || /[+-]\d\d:\d\d$/.test(q.before) ? q.before : `${q.before}Z`) : undefined;
      let list = orders.filter((o) => (!after || o.createdAt > after) && (!before || o.createdAt < before));
      list = q.order === 'asc' ? list : [...list].reverse();
      return paginate(reply, list.map((o) => o.body), q);
    });

    api.get<{ Params: { id: string } }>(`${BASE}/orders/:id`, async (req, reply) => {
      const o = orders.find((x) => x.id === Number(req.params.id));
      if (!o) return wpError(reply, 404, 'woocommerce_rest_shop_order_invalid_id', 'Invalid ID.');
      return o.body;
    });
  });

  app.post('/_sim/mode', async (req, reply) => {
    const b = simModeBody.safeParse(req.body);
    if (!b.success) return wpError(reply, 400, 'invalid_request', describeIssues(b.error));
    mode = b.data.mode;
    return { mode };
  });

  app.post('/_sim/stock', async (req, reply) => {
    const b = simStockBody.safeParse(req.body);
    if (!b.success) return wpError(reply, 400, 'invalid_request', describeIssues(b.error));
    const p = findBySku(b.data.sku);
    if (!p) return wpError(reply, 404, 'not_found', `no product with sku ${b.data.sku}`);
    setStock(p, b.data.stock);
    return productJson(p);
  });

  app.get('/_sim/state', async () => ({
    name: shopName,
    mode,
    latency_ms: opts.latencyMs ?? 0,
    products: [...products.values()].map(productJson),
    orders: orders.map((o) => o.body),
  }));
};
