// A stand-in for graph.facebook.com plus a phone full of customers. pesan's GraphClient talks to it exactly
// as to Meta (same paths, bearer auth, error bodies), and it delivers customer messages and delivery
// statuses as Meta-signed webhooks over real HTTP, so the whole webhook path is exercised in demos.
import { createHash, randomBytes, randomInt } from 'node:crypto';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import multipart from '@fastify/multipart';
import { z } from 'zod';
import { safeEqual } from '../../shared/crypto.js';
import { signMetaBody } from './signature.js';
import { WHATSAPP_LIMITS as L } from './wire.js';

export interface MetaSimulatorOptions {
  /** pesan's POST /webhooks/whatsapp */
  webhookUrl: string;
  appSecret: string;
  accessToken: string;
  phoneNumberId: string;
  displayPhoneNumber?: string;
  /** the WhatsApp Business Account id put in entry[].id */
  wabaId?: string;
  /** pause before each status webhook (sent, then delivered); default 300 ms */
  statusDelayMs?: number;
  /** fail free-form sends to customers silent for 24 h with a 131047 status, as Meta does; default off */
  enforceServiceWindow?: boolean;
  /** More business numbers on this simulated Meta, each with its own app secret and access token
   *  (as numbers of other Meta apps); a customer picks one with `phone_number_id` on /_sim/inbound. */
  extraNumbers?: { phoneNumberId: string; appSecret: string; accessToken: string; displayPhoneNumber?: string }[];
}

interface SimLine {
  phoneNumberId: string;
  appSecret: string;
  accessToken: string;
  displayPhoneNumber: string;
}

export type SimStatus = 'sent' | 'delivered' | 'read' | 'failed';

export interface SimMessage {
  id: string;
  direction: 'in' | 'out';
  at: string;
  type: string;
  /** the Graph body pesan sent, or the inbound message object of the webhook */
  message: object;
  status?: SimStatus;
  /** the business number the message went to or came from */
  phone_number_id?: string;
}

interface Fault {
  count: number;
  httpStatus: number;
  code: number;
  message?: string;
}

interface StoredMedia {
  data: Buffer;
  mimeType: string;
  sha256: string;
}

const FAULT_MESSAGES: Record<number, string> = {
  130429: '(#130429) Rate limit hit',
  131056: '(#131056) (Business Account, Consumer Account) pair rate limit hit',
  131000: '(#131000) Something went wrong',
  131047: '(#131047) Re-engagement message',
  131026: '(#131026) Message undeliverable',
  100: '(#100) Invalid parameter',
  190: 'Error validating access token: Session has expired',
};

const DAY_MS = 24 * 3600_000;
const HEARTBEAT_MS = 15_000;

const fbtrace = () => randomBytes(8).toString('base64url');
const newWamid = () => 'wamid.HBgN' + randomBytes(27).toString('base64');
const newMediaId = () => String(randomInt(1, 9)) + Array.from({ length: 15 }, () => randomInt(0, 10)).join('');
const unixNow = () => String(Math.floor(Date.now() / 1000));

class GraphError extends Error {
  constructor(
    readonly httpStatus: number,
    readonly code: number,
    message: string,
    readonly details?: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
  body() {
    return {
      error: {
        message: this.message,
        type: 'OAuthException',
        code: this.code,
        ...(this.details ? { error_data: { messaging_product: 'whatsapp', details: this.details } } : {}),
        ...this.extra,
        fbtrace_id: fbtrace(),
      },
    };
  }
}

const invalid = (what: string) => new GraphError(400, 100, `(#100) ${what}`, what);

// ---- validation of what pesan sends, with Meta's limits ----

type Obj = Record<string, any>;
const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);
const chars = (s: string) => Array.from(s).length;

function text(value: unknown, path: string, max: number, required = true): void {
  if (value === undefined && !required) return;
  if (typeof value !== 'string' || value.length === 0) throw invalid(`The parameter ${path} is required.`);
  if (chars(value) > max) throw invalid(`Param ${path} must be at most ${max} characters long.`);
}

function validateList(i: Obj): void {
  const action = i.action;
  if (!isObj(action)) throw invalid('The parameter interactive[action] is required.');
  text(action.button, 'interactive[action][button]', L.listButton);
  const sections = action.sections;
  if (!Array.isArray(sections) || sections.length === 0) throw invalid('The parameter interactive[action][sections] is required.');
  if (sections.length > L.listSections) throw invalid(`Too many sections. Max allowed: ${L.listSections}.`);
  let rows = 0;
  const ids = new Set<string>();
  sections.forEach((s: unknown, si) => {
    if (!isObj(s)) throw invalid(`Param interactive[action][sections][${si}] must be an object.`);
    text(s.title, `interactive[action][sections][${si}][title]`, L.sectionTitle, sections.length > 1);
    if (!Array.isArray(s.rows) || s.rows.length === 0) throw invalid(`The parameter interactive[action][sections][${si}][rows] is required.`);
    s.rows.forEach((r: unknown, ri: number) => {
      const p = `interactive[action][sections][${si}][rows][${ri}]`;
      if (!isObj(r)) throw invalid(`Param ${p} must be an object.`);
      text(r.id, `${p}[id]`, L.rowId);
      text(r.title, `${p}[title]`, L.rowTitle);
      text(r.description, `${p}[description]`, L.rowDescription, false);
      if (ids.has(r.id)) throw invalid(`Row ids must be unique: duplicate ${r.id}.`);
      ids.add(r.id);
      rows++;
    });
  });
  if (rows > L.listRowsTotal) throw invalid(`Total row count exceed max allowed count: ${L.listRowsTotal}.`);
}

function validateButtons(i: Obj): void {
  const buttons = isObj(i.action) ? i.action.buttons : undefined;
  if (!Array.isArray(buttons) || buttons.length === 0) throw invalid('The parameter interactive[action][buttons] is required.');
  if (buttons.length > L.replyButtons) throw invalid(`Param interactive[action][buttons] must contain at most ${L.replyButtons} elements.`);
  const titles = new Set<string>();
  const ids = new Set<string>();
  buttons.forEach((b: unknown, bi) => {
    const p = `interactive[action][buttons][${bi}]`;
    if (!isObj(b) || b.type !== 'reply' || !isObj(b.reply)) throw invalid(`Param ${p} must be a reply button.`);
    text(b.reply.id, `${p}[reply][id]`, L.replyButtonId);
    text(b.reply.title, `${p}[reply][title]`, L.replyButtonTitle);
    if (titles.has(b.reply.title)) throw invalid('Button titles must be unique.');
    if (ids.has(b.reply.id)) throw invalid('Button ids must be unique.');
    titles.add(b.reply.title);
    ids.add(b.reply.id);
  });
}

function validateInteractive(i: unknown): void {
  if (!isObj(i)) throw invalid('The parameter interactive is required.');
  if (i.header !== undefined) {
    if (!isObj(i.header) || i.header.type !== 'text') throw invalid('Param interactive[header][type] must be one of {TEXT, IMAGE, VIDEO, DOCUMENT}.');
    text(i.header.text, 'interactive[header][text]', L.header);
  }
  if (i.footer !== undefined) text(isObj(i.footer) ? i.footer.text : undefined, 'interactive[footer][text]', L.footer);
  const needsBody = !['product', 'product_list'].includes(i.type);
  if (needsBody || i.body !== undefined) text(isObj(i.body) ? i.body.text : undefined, 'interactive[body][text]', L.interactiveBody);
  switch (i.type) {
    case 'list':
      return validateList(i);
    case 'button':
      return validateButtons(i);
    case 'location_request_message':
      if (!isObj(i.action) || i.action.name !== 'send_location') throw invalid('Param interactive[action][name] must be send_location.');
      return;
    case 'cta_url':
    case 'flow':
    case 'catalog_message':
    case 'product':
    case 'product_list':
      if (!isObj(i.action)) throw invalid('The parameter interactive[action] is required.');
      return;
    default:
      throw invalid(`Param interactive[type] must be one of {BUTTON, LIST, PRODUCT, PRODUCT_LIST, CATALOG_MESSAGE, LOCATION_REQUEST_MESSAGE, CTA_URL, FLOW}.`);
  }
}

function validateSend(body: Obj, media: Map<string, StoredMedia>): { to: string; type: string } {
  if (body.messaging_product !== 'whatsapp') throw invalid('The parameter messaging_product is required.');
  if (typeof body.to !== 'string' || !/^\+?[\d\s-]{5,24}$/.test(body.to)) throw invalid('The parameter to is required.');
  if (body.recipient_type !== undefined && body.recipient_type !== 'individual') throw invalid('Param recipient_type must be individual.');
  const type = body.type ?? 'text';
  const payload = body[type];
  switch (type) {
    case 'text':
      if (!isObj(payload)) throw invalid('The parameter text is required.');
      text(payload.body, 'text[body]', L.textBody);
      break;
    case 'interactive':
      validateInteractive(payload);
      break;
    case 'image': {
      if (!isObj(payload)) throw invalid('The parameter image is required.');
      const hasId = typeof payload.id === 'string' && payload.id !== '';
      const hasLink = typeof payload.link === 'string' && payload.link !== '';
      if (hasId === hasLink) throw invalid('Param image must contain exactly one of id or link.');
      if (hasId && !media.has(payload.id)) throw invalid(`Invalid media id ${payload.id}.`);
      if (hasLink && !/^https?:\/\//.test(payload.link)) throw invalid('Param image[link] must be a valid URL.');
      text(payload.caption, 'image[caption]', L.caption, false);
      break;
    }
    case 'template':
      if (!isObj(payload)) throw invalid('The parameter template is required.');
      text(payload.name, 'template[name]', 512);
      text(isObj(payload.language) ? payload.language.code : undefined, 'template[language][code]', 16);
      break;
    case 'location':
      if (!isObj(payload) || typeof payload.latitude !== 'number' || typeof payload.longitude !== 'number') throw invalid('The parameters location[latitude] and location[longitude] are required.');
      break;
    case 'audio':
    case 'video':
    case 'document':
    case 'sticker':
    case 'contacts':
    case 'reaction':
      if (!isObj(payload) && !Array.isArray(payload)) throw invalid(`The parameter ${type} is required.`);
      break;
    default:
      throw invalid(`Param type must be one of {AUDIO, CONTACTS, DOCUMENT, IMAGE, INTERACTIVE, LOCATION, REACTION, STICKER, TEMPLATE, TEXT, VIDEO}.`);
  }
  return { to: body.to, type };
}

// ---- control API schemas ----

const inboundSchema = z.object({
  from: z.string().trim().regex(/^\+?\d{5,20}$/, 'from must be a phone number in international form (digits)'),
  name: z.string().optional(),
  /** which business number the customer writes to (default: the first) */
  phone_number_id: z.string().optional(),
  message: z.discriminatedUnion('type', [
    z.object({ type: z.literal('text'), text: z.string().min(1) }),
    z.object({ type: z.literal('interactive'), kind: z.enum(['list_reply', 'button_reply']), replyId: z.string().min(1), title: z.string() }),
    z.object({ type: z.literal('location'), latitude: z.number(), longitude: z.number(), name: z.string().optional(), address: z.string().optional() }),
    z.object({ type: z.literal('image'), dataBase64: z.string().min(1), mimeType: z.string().min(1), caption: z.string().optional() }),
  ]),
});
const numberSchema = z.object({ phone_number_id: z.string().min(1), app_secret: z.string().min(1), access_token: z.string().min(1), display_phone_number: z.string().optional() });
const replaySchema = z.object({ wa_message_id: z.string().min(1) });
const faultSchema = z.object({ count: z.number().int().min(0), httpStatus: z.number().int().min(400).max(599), code: z.number().int(), message: z.string().optional() });
const readSchema = z.object({ wa_id: z.string().min(1) });

function badControl(reply: FastifyReply, error: z.ZodError) {
  return reply.status(400).send({ error: 'invalid request', issues: error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) });
}

export const metaSimulator: FastifyPluginAsync<MetaSimulatorOptions> = async (app, opts) => {
  const statusDelayMs = opts.statusDelayMs ?? 300;
  const displayPhoneNumber = opts.displayPhoneNumber ?? opts.phoneNumberId;
  const wabaId = opts.wabaId ?? '1' + opts.phoneNumberId.slice(-14).padStart(14, '0');
  const lines: SimLine[] = [
    { phoneNumberId: opts.phoneNumberId, appSecret: opts.appSecret, accessToken: opts.accessToken, displayPhoneNumber },
    ...(opts.extraNumbers ?? []).map((n) => ({ ...n, displayPhoneNumber: n.displayPhoneNumber ?? n.phoneNumberId })),
  ];
  const lineOf = (phoneNumberId: string | undefined) => lines.find((l) => l.phoneNumberId === phoneNumberId) ?? lines[0];
  const prefix = app.prefix;

  // Everything lives in memory: the simulator is a demo phone, not a record of truth.
  let messages: (SimMessage & { waId: string })[] = [];
  const byId = new Map<string, SimMessage & { waId: string }>();
  const envelopes = new Map<string, Buffer>();
  const envelopeLines = new Map<string, SimLine>();
  const media = new Map<string, StoredMedia>();
  const lastInboundAt = new Map<string, number>();
  let fault: Fault | undefined;
  const timers = new Set<NodeJS.Timeout>();
  const listeners = new Map<string, Set<(m: SimMessage) => void>>();
  const streams = new Set<FastifyReply>();

  await app.register(multipart, { limits: { fileSize: 100 * 1024 * 1024, files: 1 } });

  const publicView = ({ waId: _w, ...m }: SimMessage & { waId: string }): SimMessage => m;

  function emit(m: SimMessage & { waId: string }) {
    for (const l of listeners.get(m.waId) ?? []) l(publicView(m));
  }

  function record(m: SimMessage & { waId: string }) {
    messages.push(m);
    byId.set(m.id, m);
    emit(m);
  }

  function storeMedia(data: Buffer, mimeType: string): string {
    const id = newMediaId();
    media.set(id, { data, mimeType, sha256: createHash('sha256').update(data).digest('hex') });
    return id;
  }

  function later(ms: number, fn: () => Promise<void>) {
    const t = setTimeout(() => {
      timers.delete(t);
      fn().catch((err) => app.log.warn({ err }, 'whatsapp simulator: delayed task failed'));
    }, ms);
    timers.add(t);
  }

  function envelope(value: Obj, line: SimLine = lines[0]) {
    return {
      object: 'whatsapp_business_account',
      entry: [
        {
          id: wabaId,
          changes: [
            { value: { messaging_product: 'whatsapp', metadata: { display_phone_number: line.displayPhoneNumber, phone_number_id: line.phoneNumberId }, ...value }, field: 'messages' },
          ],
        },
      ],
    };
  }

  /** POSTs the exact bytes with Meta's signature; answers the HTTP status, 0 when pesan was unreachable. */
  async function deliver(raw: Buffer, line: SimLine = lines[0]): Promise<number> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), 10_000);
    try {
      const res = await fetch(opts.webhookUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-hub-signature-256': signMetaBody(raw, line.appSecret), 'user-agent': 'facebookexternalua' },
        body: new Uint8Array(raw),
        signal: controller.signal,
      });
      await res.arrayBuffer().catch(() => undefined);
      return res.status;
    } catch (err) {
      app.log.warn({ err: (err as Error).message, url: opts.webhookUrl }, 'whatsapp simulator: webhook not delivered');
      return 0;
    } finally {
      clearTimeout(timer);
    }
  }

  async function postStatus(m: SimMessage & { waId: string }, status: SimStatus, errors?: Obj[]) {
    if (!byId.has(m.id)) return; // reset in the meantime
    m.status = status;
    emit(m);
    const entry: Obj = { id: m.id, status, timestamp: unixNow(), recipient_id: m.waId };
    if (status !== 'failed') {
      entry.conversation = { id: createHash('md5').update(m.waId).digest('hex'), origin: { type: 'service' } };
      entry.pricing = { billable: false, pricing_model: 'PMP', category: 'service', type: 'free_customer_service' };
    }
    if (errors) entry.errors = errors;
    const callbackData = (m.message as { biz_opaque_callback_data?: unknown }).biz_opaque_callback_data;
    if (typeof callbackData === 'string') entry.biz_opaque_callback_data = callbackData;
    const line = lineOf(m.phone_number_id);
    await deliver(Buffer.from(JSON.stringify(envelope({ statuses: [entry] }, line))), line);
  }

  /** A number's own token for its paths; for objects of no number (media), any number's token. */
  function authorized(req: FastifyRequest, phoneNumberId?: string): boolean {
    const h = req.headers.authorization;
    const token = typeof h === 'string' && /^bearer /i.test(h) ? h.slice(7).trim() : undefined;
    const line = phoneNumberId === undefined ? undefined : lines.find((l) => l.phoneNumberId === phoneNumberId);
    if (line) return safeEqual(token, line.accessToken);
    return lines.some((l) => safeEqual(token, l.accessToken));
  }

  function checkAuth(req: FastifyRequest, phoneNumberId?: string) {
    if (!authorized(req, phoneNumberId)) {
      throw new GraphError(401, 190, 'Invalid OAuth access token - Cannot parse access token');
    }
  }

  function checkPhone(phoneNumberId: string, method: string) {
    if (!lines.some((l) => l.phoneNumberId === phoneNumberId)) {
      throw new GraphError(
        400,
        100,
        `Unsupported ${method} request. Object with ID '${phoneNumberId}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`,
        undefined,
        { error_subcode: 33 },
      );
    }
  }

  function checkVersion(version: string) {
    if (!/^v\d+(\.\d+)?$/.test(version)) throw new GraphError(400, 2500, `Unknown path components: /${version}`);
  }

  app.setErrorHandler((err, _req, reply) => {
    if (err instanceof GraphError) return reply.status(err.httpStatus).send(err.body());
    const status = (err as { statusCode?: number }).statusCode ?? 500;
    return reply.status(status).send(new GraphError(status, status >= 500 ? 1 : 100, (err as Error).message).body());
  });

  // ---- Graph API ----

  app.post<{ Params: { version: string; phoneNumberId: string } }>('/:version/:phoneNumberId/messages', async (req, reply) => {
    checkVersion(req.params.version);
    checkAuth(req, req.params.phoneNumberId);
    checkPhone(req.params.phoneNumberId, 'post');
    const body = req.body;
    if (!isObj(body)) throw invalid('The parameter messaging_product is required.');

    if (body.status === 'read') {
      if (body.messaging_product !== 'whatsapp') throw invalid('The parameter messaging_product is required.');
      if (typeof body.message_id !== 'string') throw invalid('The parameter message_id is required.');
      const m = byId.get(body.message_id);
      if (m && m.direction === 'in') {
        m.status = 'read';
        emit(m);
      }
      return { success: true };
    }

    const { to, type } = validateSend(body, media);
    if (fault && fault.count > 0) {
      const f = fault;
      f.count--;
      if (f.count === 0) fault = undefined;
      throw new GraphError(f.httpStatus, f.code, f.message ?? FAULT_MESSAGES[f.code] ?? `(#${f.code}) Simulated failure`, 'Injected by the simulator (/_sim/faults).');
    }

    const waId = to.replace(/\D/g, '');
    const m = { id: newWamid(), direction: 'out' as const, at: new Date().toISOString(), type, message: body, waId, phone_number_id: req.params.phoneNumberId };
    record(m);

    const last = lastInboundAt.get(waId);
    const outsideWindow = opts.enforceServiceWindow && type !== 'template' && (last === undefined || Date.now() - last > DAY_MS);
    later(statusDelayMs, async () => {
      if (outsideWindow) {
        await postStatus(m, 'failed', [
          {
            code: 131047,
            title: 'Re-engagement message',
            message: 'Re-engagement message',
            error_data: { details: 'Message failed to send because more than 24 hours have passed since the customer last replied to this number.' },
            href: 'https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/',
          },
        ]);
        return;
      }
      await postStatus(m, 'sent');
      later(statusDelayMs, () => postStatus(m, 'delivered'));
    });

    return reply.send({ messaging_product: 'whatsapp', contacts: [{ input: to, wa_id: waId }], messages: [{ id: m.id }] });
  });

  app.post<{ Params: { version: string; phoneNumberId: string } }>('/:version/:phoneNumberId/media', async (req) => {
    checkVersion(req.params.version);
    checkAuth(req, req.params.phoneNumberId);
    checkPhone(req.params.phoneNumberId, 'post');
    if (!req.isMultipart()) throw invalid('The parameter file is required.');
    const fields: Record<string, string> = {};
    let file: { data: Buffer; mimeType: string } | undefined;
    for await (const part of req.parts()) {
      if (part.type === 'file') {
        const data = await part.toBuffer();
        if (part.fieldname === 'file') file = { data, mimeType: part.mimetype };
      } else {
        fields[part.fieldname] = String(part.value);
      }
    }
    if (fields.messaging_product !== 'whatsapp') throw invalid('The parameter messaging_product is required.');
    if (!file || file.data.length === 0) throw invalid('The parameter file is required.');
    const mimeType = fields.type || file.mimeType;
    if (!mimeType || !mimeType.includes('/')) throw invalid('The parameter type is required.');
    return { id: storeMedia(file.data, mimeType) };
  });

  app.get<{ Params: { version: string; mediaId: string } }>('/:version/:mediaId', async (req) => {
    checkVersion(req.params.version);
    checkAuth(req);
    // The phone number object, as `npm run doctor` reads it.
    const number = lines.find((l) => l.phoneNumberId === req.params.mediaId);
    if (number) return { id: number.phoneNumberId, display_phone_number: number.displayPhoneNumber, verified_name: 'Sandbox', quality_rating: 'GREEN' };
    const m = media.get(req.params.mediaId);
    if (!m) {
      throw new GraphError(
        400,
        100,
        `Unsupported get request. Object with ID '${req.params.mediaId}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`,
        undefined,
        { error_subcode: 33 },
      );
    }
    // Meta answers an absolute URL on another host; GraphClient must follow it as given.
    const url = `${req.protocol}://${req.host}${prefix}/_sim/download/${req.params.mediaId}`;
    return { url, mime_type: m.mimeType, sha256: m.sha256, file_size: m.data.length, id: req.params.mediaId, messaging_product: 'whatsapp' };
  });

  app.get<{ Params: { mediaId: string } }>('/_sim/download/:mediaId', async (req, reply) => {
    checkAuth(req);
    const m = media.get(req.params.mediaId);
    if (!m) return reply.status(404).send({ error: { message: 'Media not found', code: 100 } });
    return reply.type(m.mimeType).send(m.data);
  });

  // ---- control API (sandbox chat page, tests) ----

  app.post('/_sim/inbound', { bodyLimit: 25 * 1024 * 1024 }, async (req, reply) => {
    const parsed = inboundSchema.safeParse(req.body);
    if (!parsed.success) return badControl(reply, parsed.error);
    const { name, message: input } = parsed.data;
    const line = lineOf(parsed.data.phone_number_id);
    if (parsed.data.phone_number_id && line.phoneNumberId !== parsed.data.phone_number_id) {
      return reply.status(400).send({ error: 'invalid request', issues: [`phone_number_id: no business number ${parsed.data.phone_number_id} on this simulator`] });
    }
    const from = parsed.data.from.replace(/^\+/, '');
    const id = newWamid();
    const msg: Obj = { from, id, timestamp: unixNow(), type: input.type };
    switch (input.type) {
      case 'text':
        msg.text = { body: input.text };
        break;
      case 'interactive': {
        msg.interactive = { type: input.kind, [input.kind]: { id: input.replyId, title: input.title } };
        // A tap answers a message pesan sent; Meta points back at it.
        const lastOut = [...messages].reverse().find((m) => m.waId === from && m.direction === 'out' && (m.phone_number_id ?? lines[0].phoneNumberId) === line.phoneNumberId);
        if (lastOut) msg.context = { from: line.displayPhoneNumber, id: lastOut.id };
        break;
      }
      case 'location':
        msg.location = {
          latitude: input.latitude,
          longitude: input.longitude,
          ...(input.name ? { name: input.name } : {}),
          ...(input.address ? { address: input.address } : {}),
        };
        break;
      case 'image': {
        const data = Buffer.from(input.dataBase64, 'base64');
        if (data.length === 0) return reply.status(400).send({ error: 'invalid request', issues: ['message.dataBase64: empty image'] });
        const mediaId = storeMedia(data, input.mimeType);
        msg.image = { mime_type: input.mimeType, sha256: media.get(mediaId)!.sha256, id: mediaId, ...(input.caption ? { caption: input.caption } : {}) };
        break;
      }
    }
    const raw = Buffer.from(JSON.stringify(envelope({ contacts: [{ profile: { name: name ?? from }, wa_id: from }], messages: [msg] }, line)));
    envelopes.set(id, raw);
    envelopeLines.set(id, line);
    lastInboundAt.set(from, Date.now());
    record({ id, direction: 'in', at: new Date().toISOString(), type: input.type, message: msg, waId: from, phone_number_id: line.phoneNumberId });
    const webhook_status = await deliver(raw, line);
    return { wa_message_id: id, webhook_status };
  });

  app.post('/_sim/replay', async (req, reply) => {
    const parsed = replaySchema.safeParse(req.body);
    if (!parsed.success) return badControl(reply, parsed.error);
    const raw = envelopes.get(parsed.data.wa_message_id);
    if (!raw) return reply.status(404).send({ error: `no inbound message ${parsed.data.wa_message_id}` });
    return { wa_message_id: parsed.data.wa_message_id, webhook_status: await deliver(raw, envelopeLines.get(parsed.data.wa_message_id)) };
  });

  /** The customer opens the chat: every delivered message of theirs turns "read" (blue ticks, read webhook). */
  app.post('/_sim/read', async (req, reply) => {
    const parsed = readSchema.safeParse(req.body);
    if (!parsed.success) return badControl(reply, parsed.error);
    const unread = messages.filter((m) => m.waId === parsed.data.wa_id && m.direction === 'out' && (m.status === 'sent' || m.status === 'delivered'));
    for (const m of unread) await postStatus(m, 'read');
    return { read: unread.map((m) => m.id) };
  });

  /** ?phone_number_id= keeps only the thread with that business number. */
  const onNumber = (m: SimMessage, n: string | undefined) => !n || (m.phone_number_id ?? lines[0].phoneNumberId) === n;

  app.get<{ Params: { waId: string }; Querystring: { phone_number_id?: string } }>('/_sim/conversations/:waId', async (req) => ({
    messages: messages.filter((m) => m.waId === req.params.waId.replace(/^\+/, '') && onNumber(m, req.query.phone_number_id)).map(publicView),
  }));

  app.get<{ Querystring: { to?: string; phone_number_id?: string } }>('/_sim/outbox', async (req) => {
    const to = req.query.to?.replace(/\D/g, '');
    return { messages: messages.filter((m) => m.direction === 'out' && (!to || m.waId === to) && onNumber(m, req.query.phone_number_id)).map(publicView) };
  });

  app.get('/_sim/numbers', async () => ({ numbers: lines.map((l) => ({ phone_number_id: l.phoneNumberId, display_phone_number: l.displayPhoneNumber })) }));

  /** Adds (or re-keys) a business number, as when a merchant connects another Meta app's number. */
  app.post('/_sim/numbers', async (req, reply) => {
    const parsed = numberSchema.safeParse(req.body);
    if (!parsed.success) return badControl(reply, parsed.error);
    const n = parsed.data;
    const line = { phoneNumberId: n.phone_number_id, appSecret: n.app_secret, accessToken: n.access_token, displayPhoneNumber: n.display_phone_number ?? n.phone_number_id };
    const i = lines.findIndex((l) => l.phoneNumberId === n.phone_number_id);
    if (i >= 0) lines[i] = line;
    else lines.push(line);
    return { ok: true };
  });

  app.get<{ Params: { mediaId: string } }>('/_sim/media/:mediaId', async (req, reply) => {
    const m = media.get(req.params.mediaId);
    if (!m) return reply.status(404).send({ error: 'media not found' });
    return reply.type(m.mimeType).header('cache-control', 'private, max-age=3600').send(m.data);
  });

  app.get<{ Querystring: { wa_id?: string } }>('/_sim/events', (req, reply) => {
    const waId = req.query.wa_id?.replace(/^\+/, '');
    if (!waId) {
      reply.status(400).send({ error: 'wa_id is required' });
      return;
    }
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    res.write(': connected\n\n');
    const send = (m: SimMessage) => res.write(`event: message\ndata: ${JSON.stringify(m)}\n\n`);
    const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), HEARTBEAT_MS);
    let set = listeners.get(waId);
    if (!set) listeners.set(waId, (set = new Set()));
    set.add(send);
    streams.add(reply);
    req.raw.on('close', () => {
      clearInterval(heartbeat);
      set!.delete(send);
      if (set!.size === 0) listeners.delete(waId);
      streams.delete(reply);
    });
  });

  app.post('/_sim/faults', async (req, reply) => {
    const parsed = faultSchema.safeParse(req.body);
    if (!parsed.success) return badControl(reply, parsed.error);
    fault = parsed.data.count > 0 ? { ...parsed.data } : undefined;
    return { ok: true, pending: fault?.count ?? 0 };
  });

  app.post('/_sim/reset', async () => {
    for (const t of timers) clearTimeout(t);
    timers.clear();
    messages = [];
    byId.clear();
    envelopes.clear();
    envelopeLines.clear();
    media.clear();
    lastInboundAt.clear();
    fault = undefined;
    return { ok: true };
  });

  // Open event streams would keep the server from closing; pending status webhooks would outlive it.
  app.addHook('preClose', async () => {
    for (const t of timers) clearTimeout(t);
    timers.clear();
    for (const r of streams) r.raw.end();
    streams.clear();
  });
};
