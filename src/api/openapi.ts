// The admin API's OpenAPI document, served at /api/openapi.json and as a readable page at /api/docs.
// Its list of paths comes from the routes Fastify actually registered (collectApiRoutes), so a route
// added without documentation still appears (with its path parameters); the hand-written entries below
// add summaries and schemas. Request bodies validated by zod use z.toJSONSchema of the same schema.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
const product = {
  type: 'object',
  required: ['sku', 'name', 'price', 'stock'],
  properties: {
    sku: { type: 'string' },
    name: { type: 'string' },
    price: { type: 'integer', description: 'integer rupiah' },
    stock: { type: 'integer', minimum: 0 },
    unit: { type: 'string', nullable: true },
    category: { type: 'string', nullable: true },
    aliases: { type: 'array', items: { type: 'string' } },
    description: { type: 'string', nullable: true, description: 'what the product is for; searched when a customer names a need' },
    search_words: { type: 'array', items: { type: 'string' }, description: 'extra words customers use for it (needs, symptoms, local names)' },
    prescription: { type: 'boolean' },
    image_url: { type: 'string', format: 'uri', nullable: true },
    active: { type: 'boolean' },
  },
};
const statuses = ['cart', 'awaiting_confirmation', 'awaiting_prescription', 'awaiting_payment', 'paid', 'dispatching', 'driver_assigned', 'picked_up', 'delivered', 'completed', 'cancelled', 'expired', 'delivery_failed'];
const orderRef = { $ref: '#/components/schemas/Order' };
const ok = (schema: object) => ({ '200': { description: 'OK', content: { 'application/json': { schema } } } });
const idParam = [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }];
const skuParam = { name: 'sku', in: 'path', required: true, schema: { type: 'string' } };
const waIdParam = { name: 'waId', in: 'path', required: true, schema: { type: 'string' }, description: "the customer's WhatsApp id, e.g. 6281234567890" };
const activeOrder = { type: 'object', nullable: true, properties: { id: { type: 'string' }, status: { type: 'string', enum: statuses } } };

function describedDocument() {
  return {
    openapi: '3.1.0',
    info: { title: 'pesan admin API', version: '1.0.0', description: 'Catalog, orders and manual dispatch for a pesan merchant. Money is integer rupiah; times are UTC (ISO 8601).' },
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'ADMIN_API_KEY' } },
      schemas: {
        Product: product,
        InboxConversation: {
          type: 'object',
          properties: {
            wa_id: { type: 'string' },
            name: { type: 'string', nullable: true },
            human_handover: { type: 'boolean', description: 'a person is answering; the bot stays quiet' },
            last_message: { type: 'object', nullable: true, properties: { direction: { enum: ['in', 'out'] }, text: { type: 'string' }, at: { type: 'string', format: 'date-time' } } },
            unread: { type: 'integer', description: 'customer messages since the last message sent to them' },
            active_order: activeOrder,
            pending_question: { type: 'object', nullable: true, description: "the customer's latest question the bot could not answer, until staff reply", properties: { text: { type: 'string' }, at: { type: 'string', format: 'date-time' } } },
            updated_at: { type: 'string', format: 'date-time' },
          },
        },
        InboxMessage: {
          type: 'object',
          properties: {
            direction: { enum: ['in', 'out'] },
            at: { type: 'string', format: 'date-time' },
            type: { type: 'string', description: 'in: text, interactive, location, image, order; out: text, list, buttons, location_request, qr_image, image' },
            text: { type: 'string', description: 'readable text for every type (list/button bodies, "📍 lat,lng address", "[foto]")' },
            status: { enum: ['queued', 'sent', 'unconfirmed', 'delivered', 'read', 'failed'], description: 'outbound only; unconfirmed: the send got no answer, it is never resent and Meta\'s status webhook moves it on' },
            by: { enum: ['staff', 'bot'], description: 'outbound only' },
            options: { type: 'array', items: { type: 'string' }, description: 'buttons or list rows offered' },
            media_id: { type: 'string', description: 'inbound photos' },
          },
        },
        Order: {
          type: 'object',
          properties: {
            id: { type: 'string' },
            status: { type: 'string', enum: statuses },
            customer: { type: 'object', properties: { wa_id: { type: 'string' }, name: { type: 'string', nullable: true } } },
            items: { type: 'array', items: { type: 'object', properties: { sku: { type: 'string' }, name: { type: 'string' }, quantity: { type: 'integer' }, unit_price: { type: 'integer' }, line_total: { type: 'integer' } } } },
            subtotal: { type: 'integer' },
            delivery_fee: { type: 'integer' },
            total: { type: 'integer' },
            payment: { type: 'object', nullable: true },
            delivery: { type: 'object', nullable: true },
            timeline: { type: 'array', items: { type: 'object', properties: { type: { type: 'string' }, from_status: { type: 'string', nullable: true }, to_status: { type: 'string', nullable: true }, data: { type: 'object' }, created_at: { type: 'string', format: 'date-time' } } } },
          },
        },
      },
    },
    security: [{ bearer: [] }],
    paths: {
      '/api/v1/products': {
        get: { summary: 'List products of the internal catalog', responses: ok({ type: 'object', properties: { products: { type: 'array', items: product } } }) },
        put: { summary: 'Upsert products by sku', requestBody: { content: { 'application/json': { schema: { type: 'array', items: product } } } }, responses: ok({ type: 'object', properties: { upserted: { type: 'integer' } } }) },
      },
      '/api/v1/products/{sku}': { patch: { summary: 'Change some fields of one product (e.g. stock)', parameters: [{ name: 'sku', in: 'path', required: true, schema: { type: 'string' } }], responses: ok({ type: 'object' }) } },
      '/api/v1/orders': { get: { summary: 'Recent orders', parameters: [{ name: 'status', in: 'query', schema: { type: 'string', enum: statuses } }], responses: ok({ type: 'object', properties: { orders: { type: 'array', items: orderRef } } }) } },
      '/api/v1/orders/{id}': { get: { summary: 'One order with items, payment, delivery and timeline', parameters: idParam, responses: ok(orderRef) } },
      '/api/v1/orders/{id}/cancel': { post: { summary: 'Cancel before pickup (releases stock, cancels charge and booking)', parameters: idParam, responses: ok(orderRef) } },
      '/api/v1/orders/{id}/dispatch': {
        post: {
          summary: 'Record a driver booked by hand (inDrive, Maxim, other)',
          parameters: idParam,
          requestBody: { content: { 'application/json': { schema: { type: 'object', required: ['provider', 'driver_name', 'driver_phone'], properties: { provider: { enum: ['indrive', 'maxim', 'other'] }, driver_name: { type: 'string' }, driver_phone: { type: 'string' }, vehicle_plate: { type: 'string' }, tracking_url: { type: 'string' } } } } } },
          responses: ok(orderRef),
        },
      },
      '/api/v1/orders/{id}/delivery-status': {
        post: { summary: 'Status of a manually dispatched delivery', parameters: idParam, requestBody: { content: { 'application/json': { schema: { type: 'object', required: ['status'], properties: { status: { enum: ['picked_up', 'delivered', 'failed'] }, note: { type: 'string' } } } } } }, responses: ok(orderRef) },
      },
      '/api/v1/orders/{id}/prescription': {
        post: { summary: "Pharmacist's decision on a prescription", parameters: idParam, requestBody: { content: { 'application/json': { schema: { type: 'object', required: ['decision'], properties: { decision: { enum: ['approve', 'reject'] }, note: { type: 'string' } } } } } }, responses: ok(orderRef) },
      },
      '/api/v1/orders/{id}/refund': {
        post: {
          summary: 'Refund through the gateway where its API can (QRIS), else record a bank transfer made by hand (bank_reference)',
          parameters: idParam,
          requestBody: { content: { 'application/json': { schema: { type: 'object', required: ['reason'], properties: { amount: { type: 'integer' }, reason: { type: 'string' }, bank_reference: { type: 'string' } } } } } },
          responses: { '201': { description: 'refunded', content: { 'application/json': { schema: { type: 'object' } } } } },
        },
      },
      '/api/v1/refunds': { get: { summary: 'Orders owed a refund (pending) or refunds made (done)', parameters: [{ name: 'status', in: 'query', schema: { type: 'string', enum: ['pending', 'done'] } }], responses: ok({ type: 'object' }) } },
      '/api/v1/inbox': {
        get: {
          summary: 'Chat inbox: conversations with their last message, newest first (100); handover=true lists those waiting for a person',
          parameters: [{ name: 'handover', in: 'query', schema: { type: 'string', enum: ['true', 'false'] } }],
          responses: ok({ type: 'object', properties: { conversations: { type: 'array', items: { $ref: '#/components/schemas/InboxConversation' } } } }),
        },
      },
      '/api/v1/inbox/{waId}/messages': {
        get: {
          summary: "A customer's thread, inbound and outbound merged, oldest first (the latest `limit`, default 100, at most 500)",
          parameters: [waIdParam, { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 500 } }],
          responses: { ...ok({ type: 'object', properties: { wa_id: { type: 'string' }, human_handover: { type: 'boolean' }, active_order: activeOrder, messages: { type: 'array', items: { $ref: '#/components/schemas/InboxMessage' } } } }), '404': { description: 'unknown customer' } },
        },
        post: {
          summary: 'Staff reply, sent through the ordered outbox. The bot steps back (human_handover = true) until handed back',
          parameters: [waIdParam],
          requestBody: { content: { 'application/json': { schema: { type: 'object', required: ['text'], properties: { text: { type: 'string', minLength: 1, maxLength: 4096, description: 'trimmed; 1..4096 characters' } } } } } },
          responses: {
            '201': { description: 'queued', content: { 'application/json': { schema: { type: 'object', properties: { wa_id: { type: 'string' }, human_handover: { type: 'boolean' }, message: { $ref: '#/components/schemas/InboxMessage' } } } } } },
            '400': { description: 'empty or longer than 4096 characters' },
            '404': { description: 'unknown customer' },
          },
        },
      },
      '/api/v1/inbox/{waId}/handover': {
        post: {
          summary: 'Take the conversation over (active: true, the bot goes quiet) or hand it back to the bot (active: false; the customer is told, in their language, that they can type "menu")',
          parameters: [waIdParam],
          requestBody: { content: { 'application/json': { schema: { type: 'object', required: ['active'], properties: { active: { type: 'boolean' } } } } } },
          responses: { ...ok({ type: 'object', properties: { wa_id: { type: 'string' }, human_handover: { type: 'boolean' }, changed: { type: 'boolean' } } }), '404': { description: 'unknown customer' } },
        },
      },
      '/api/v1/catalogs': {
        get: { summary: "The number's catalogs: internal and client (the token is never returned)", responses: ok({ type: 'object', properties: { catalogs: { type: 'array', items: { type: 'object' } } } }) },
        post: {
          summary: 'Add or change a catalog (upsert by id); customers are routed by its products, name and keywords',
          requestBody: { content: { 'application/json': { schema: { type: 'object', required: ['kind', 'name'], properties: { id: { type: 'string' }, kind: { enum: ['internal', 'rest', 'woocommerce'] }, name: { type: 'string' }, keywords: { type: 'array', items: { type: 'string' } }, url: { type: 'string' }, token: { type: 'string', description: 'rest: bearer token; woocommerce: ck_…:cs_…' }, timeout_ms: { type: 'integer' }, active: { type: 'boolean' } } } } } },
          responses: ok({ type: 'object' }),
        },
      },
      '/api/v1/conversations/{waId}': {
        get: { summary: 'Which catalog serves a customer and why (catalog_id, catalog_reason), and the active order', parameters: [{ name: 'waId', in: 'path', required: true, schema: { type: 'string' } }], responses: ok({ type: 'object' }) },
      },
      '/api/v1/products/import': {
        post: {
          summary: 'Import a CSV into the internal catalog: every row or none, with an error per bad row (400)',
          parameters: [{ name: 'catalog', in: 'query', schema: { type: 'string' } }],
          requestBody: { content: { 'text/csv': { schema: { type: 'string' } }, 'application/json': { schema: { type: 'object', properties: { csv: { type: 'string' } } } } } },
          responses: ok({ type: 'object', properties: { imported: { type: 'integer' } } }),
        },
      },
      '/api/v1/products/export': {
        get: { summary: 'The internal catalog as CSV (delimiter=; and bom=1 for Excel with Indonesian settings)', parameters: [{ name: 'catalog', in: 'query', schema: { type: 'string' } }, { name: 'delimiter', in: 'query', schema: { type: 'string' } }, { name: 'bom', in: 'query', schema: { type: 'string' } }], responses: { '200': { description: 'CSV', content: { 'text/csv': { schema: { type: 'string' } } } } } },
      },
      '/api/v1/products/search': {
        get: { summary: 'Typo-tolerant search by name, alias and category', parameters: [{ name: 'q', in: 'query', required: true, schema: { type: 'string' } }, { name: 'catalog', in: 'query', schema: { type: 'string' } }, { name: 'limit', in: 'query', schema: { type: 'integer' } }], responses: ok({ type: 'object', properties: { products: { type: 'array', items: product } } }) },
      },
    },
  };
}

export interface RegisteredRoute {
  method: string;
  path: string;
}

/** Records every /api/v1 route as it is registered; call before registering them. */
export function collectApiRoutes(app: FastifyInstance): RegisteredRoute[] {
  const routes: RegisteredRoute[] = [];
  app.addHook('onRoute', (r) => {
    if (!r.url.startsWith('/api/v1/')) return;
    for (const m of [r.method].flat()) {
      if (m === 'HEAD' || m === 'OPTIONS') continue;
      routes.push({ method: m.toLowerCase(), path: r.url.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, '{$1}') });
    }
  });
  return routes;
}

const describedExtra: Record<string, Record<string, object>> = {
  '/api/v1/dashboard/today': {
    get: {
      summary: "Today's and yesterday's figures (Asia/Jakarta days): orders, paid revenue, average basket, orders waiting; a 14-day series; best sellers",
      responses: ok({ type: 'object', properties: { today: { type: 'object' }, yesterday: { type: 'object' }, days: { type: 'array', items: { type: 'object' } }, best_sellers: { type: 'array', items: { type: 'object' } } } }),
    },
  },
  '/api/v1/dashboard/attention': {
    get: {
      summary: 'Work waiting for a person: prescriptions to check, manual dispatches, refunds, conversations handed over, failed or late deliveries, payments after expiry',
      responses: ok({ type: 'object', properties: { total: { type: 'integer' }, counts: { type: 'object' }, items: { type: 'array', items: { type: 'object', properties: { kind: { type: 'string', enum: ['prescription', 'manual_dispatch', 'refund', 'handover', 'delivery_problem', 'late_payment'] }, order_id: { type: 'string' }, wa_id: { type: 'string' }, since: { type: 'string', format: 'date-time' } } } } } }),
    },
  },
  '/api/v1/products/{sku}/picture': {
    post: {
      summary: "Upload the product's picture (owner). One file as multipart/form-data (any field name); JPEG, PNG or WebP as read from its bytes (the declared type is ignored), at most 5 MB. Stored in the database and served at a public, unguessable URL that becomes the product's image_url; a previous uploaded picture is deleted",
      parameters: [skuParam],
      requestBody: { required: true, content: { 'multipart/form-data': { schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary', description: 'image/jpeg, image/png or image/webp, at most 5,242,880 bytes' } } } } } },
      responses: {
        '201': { description: 'stored', content: { 'application/json': { schema: { type: 'object', properties: { product: { $ref: '#/components/schemas/Product' }, picture: { type: 'object', properties: { url: { type: 'string', description: 'public URL, also the product image_url' }, content_type: { type: 'string', enum: ['image/jpeg', 'image/png', 'image/webp'] }, bytes: { type: 'integer' } } } } } } } },
        '400': { description: 'no file, an empty file or more than one' },
        '403': { description: 'the role may not change the catalog, or a session without its x-csrf-token' },
        '404': { description: "no such product in this merchant's catalog" },
        '413': { description: 'larger than 5 MB: `{"error","max_bytes"}`' },
        '415': { description: 'not multipart, or the file is not a JPEG, PNG or WebP picture' },
      },
    },
    delete: { summary: "Remove the product's picture: image_url becomes null and an uploaded picture is deleted (its URL answers 404)", parameters: [skuParam], responses: { ...ok({ type: 'object', properties: { product: { $ref: '#/components/schemas/Product' } } }), '404': { description: "no such product in this merchant's catalog" } } },
  },
  '/media/products/{file}': {
    get: {
      summary: 'An uploaded product picture, public (no login), for WhatsApp and browsers: `<token>.<jpg|png|webp>` as in the image_url. Answers with its content type, `x-content-type-options: nosniff` and `cache-control: public, max-age=31536000, immutable`',
      security: [],
      parameters: [{ name: 'file', in: 'path', required: true, schema: { type: 'string' } }],
      responses: { '200': { description: 'the picture bytes', content: { 'image/jpeg': {}, 'image/png': {}, 'image/webp': {} } }, '404': { description: 'unknown, removed or replaced picture' } },
    },
  },
  '/api/v1/media/{id}': { get: { summary: 'A stored picture (prescription photo) by the media_id on its `*_stored` timeline event', responses: { '200': { description: 'the image bytes' }, '404': { description: 'no such media for this merchant' } } } },
};

/**
 * The document: every registered route (when given) plus the described ones. `bodies` are zod schemas
 * of request bodies by "method path", converted here so the docs cannot drift from validation.
 */
export function openApiDocument(registered: RegisteredRoute[] = [], bodies: Record<string, z.ZodType> = {}) {
  const doc = describedDocument() as ReturnType<typeof describedDocument> & { paths: Record<string, Record<string, any>> };
  for (const [path, ops] of Object.entries(describedExtra)) doc.paths[path] = { ...ops, ...(doc.paths[path] ?? {}) };
  for (const r of registered) {
    const ops = (doc.paths[r.path] ??= {});
    if (!ops[r.method]) {
      const params = [...r.path.matchAll(/\{([^}]+)\}/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
      ops[r.method] = { summary: `${r.method.toUpperCase()} ${r.path}`, ...(params.length ? { parameters: params } : {}), responses: ok({ type: 'object' }) };
    }
  }
  for (const [key, schema] of Object.entries(bodies)) {
    const [method, path] = key.split(' ') as [string, string];
    const op = doc.paths[path]?.[method];
    if (op) op.requestBody = { required: true, content: { 'application/json': { schema: z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) } } };
  }
  return doc;
}
