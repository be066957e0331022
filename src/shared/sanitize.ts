// Everything that enters pesan from outside (webhook bodies, admin API bodies, query strings, path
// parameters) passes through here first, so that no hostile or merely odd input can reach PostgreSQL or
// the conversation engine in a shape that makes them fail or stall:
//
// - NUL characters (U+0000) are removed: PostgreSQL refuses them in text and jsonb.
// - Lone UTF-16 surrogates are replaced by U+FFFD: jsonb refuses them, and they are not text anyway.
// - JSON nested deeper than MAX_JSON_DEPTH is refused before JSON.parse (no stack overflow later in
//   JSON.stringify, zod or the gateways' own parsing).
// - A repeated query parameter counts with its first value.
// - Customer texts are capped at MAX_TEXT_CHARS (WhatsApp's own limit for a text message), so a huge
//   message is stored and processed truncated and can never stall the server, not even when a stored
//   one is processed again after a restart.
// - Numbers that PostgreSQL integer columns cannot hold are refused with a clear 400.
import { parse as parseQueryString } from 'node:querystring';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** Deepest nesting of objects/arrays accepted in a JSON body. Real webhooks and admin bodies use < 10. */
export const MAX_JSON_DEPTH = 64;
/** Longest customer text kept (characters). WhatsApp itself does not send longer texts. */
export const MAX_TEXT_CHARS = 4096;
/** Longest short field from a customer (button titles, captions, place names and addresses). */
export const MAX_FIELD_CHARS = 1024;
/** Largest value of a PostgreSQL integer column (prices, stock, quantities). */
export const MAX_INT4 = 2_147_483_647;
/** Highest price accepted (rupiah; the columns are bigint, the CSV import has the same bound). */
export const MAX_PRICE = 1_000_000_000_000;

const SUSPECT = /[\u0000\ud800-\udfff]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** The string without NUL characters and with lone surrogates replaced by U+FFFD. */
export function cleanString(s: string): string {
  if (!SUSPECT.test(s)) return s;
  let out = s.includes('\u0000') ? s.replace(/\u0000/g, '') : s;
  out = out.replace(LONE_SURROGATE, '\ufffd');
  return out;
}

/** A deep copy-on-write cleaning of every string (keys too) in a parsed JSON value or form body. */
export function cleanDeep<T>(value: T, depth = 0): T {
  if (typeof value === 'string') return cleanString(value) as T;
  if (value === null || typeof value !== 'object' || depth > MAX_JSON_DEPTH * 2) return value;
  if (Buffer.isBuffer(value)) return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const v = cleanDeep(value[i], depth + 1);
      if (v !== value[i]) (copy ??= value.slice())[i] = v;
    }
    return (copy ?? value) as T;
  }
  let changed = false;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    const ck = cleanString(k);
    const cv = cleanDeep(v, depth + 1);
    if (ck !== k || cv !== v) changed = true;
    out[ck] = cv;
  }
  return (changed ? out : value) as T;
}

/** True when the JSON text nests objects/arrays deeper than `max` (strings are skipped correctly). */
export function jsonTooDeep(buf: Buffer, max = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < buf.length; i++) {
    const c = buf[i];
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped byte
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}

export class BadInput extends Error {
  statusCode = 400;
}

/** Parses a JSON body: refuses deep nesting and invalid JSON (BadInput), cleans every string. */
export function parseJsonBody(buf: Buffer): unknown {
  if (buf.length === 0) return {};
  if (jsonTooDeep(buf)) throw new BadInput(`JSON body nested deeper than ${MAX_JSON_DEPTH} levels`);
  let value: unknown;
  try {
    value = JSON.parse(buf.toString('utf8'));
  } catch {
    throw new BadInput('invalid JSON body');
  }
  return cleanDeep(value);
}

/** JSON.parse for a body already accepted by parseJsonBody (gateways re-read the raw bytes), cleaned. */
export function parseJsonClean(text: string): unknown {
  return cleanDeep(JSON.parse(text));
}

/** Query strings: a repeated parameter counts with its first value; every value is cleaned. */
export function parseQuery(qs: string): Record<string, string> {
  const parsed = parseQueryString(qs);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(parsed)) {
    const first = Array.isArray(v) ? v[0] : v;
    if (first !== undefined) out[cleanString(k)] = cleanString(first);
  }
  return out;
}

/** Caps text at `max` characters (code points), never splitting a surrogate pair. */
export function capText(text: string, max = MAX_TEXT_CHARS): string {
  if (text.length <= max) return text;
  // Cheap on megabytes: only the head is split into code points.
  return Array.from(text.slice(0, max * 2)).slice(0, max).join('');
}

type Content = { type: string; [k: string]: unknown };

/** A customer message's content with its text fields capped (used when storing and when processing). */
export function capContent<T extends { type: string }>(content: T): T {
  const c = content as unknown as Content;
  const out: Content = { ...c };
  let changed = false;
  for (const [k, max] of [['text', MAX_TEXT_CHARS], ['title', MAX_FIELD_CHARS], ['caption', MAX_FIELD_CHARS], ['name', MAX_FIELD_CHARS], ['address', MAX_FIELD_CHARS], ['replyId', MAX_FIELD_CHARS], ['original', 64]] as const) {
    const v = c[k];
    if (typeof v === 'string' && v.length > max) {
      out[k] = capText(v, max);
      changed = true;
    }
  }
  if (Array.isArray(c.items) && c.items.length > 100) {
    out.items = c.items.slice(0, 100);
    changed = true;
  }
  return (changed ? out : content) as unknown as T;
}

/** WhatsApp's Unix-seconds timestamps; unreadable or absurd values (before 2000, or after next year) are now. */
export function unixSecondsOrNow(value: string | number | undefined, now = Date.now()): Date {
  const n = typeof value === 'number' ? value : value === undefined || value === '' ? NaN : Number(value);
  const ms = n * 1000;
  if (!Number.isFinite(ms) || ms < 946_684_800_000 || ms > now + 366 * 86_400_000) return new Date(now);
  return new Date(ms);
}

/** An integer query parameter (limit=…): absent gives `dflt`; anything but an integer in [min, max] is a 400. */
export function intParam(value: unknown, dflt: number, min: number, max: number, name = 'limit'): number {
  if (value === undefined || value === '') return dflt;
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new BadInput(`${name} must be a whole number from ${min} to ${max}`);
  return n;
}

// PostgreSQL data exceptions (class 22) come from values, i.e. from the request: a 400, not a 500.
const PG_DATA_ERRORS: Record<string, string> = {
  '22003': 'a number is out of range',
  '22P02': 'a value has the wrong form',
  '2201W': 'limit must not be negative',
  '2201X': 'offset must not be negative',
  '22008': 'a date or time is out of range',
  '22007': 'a date or time has the wrong form',
  '22021': 'text contains a character that cannot be stored',
  '22P05': 'text contains a character that cannot be stored',
  '22001': 'a text value is too long',
  '22023': 'a value is not valid',
};

/**
 * Installs the edge: the JSON body parser (raw bytes kept on req.rawBody for signature checks), the
 * query-string parser is given to Fastify's constructor (see `fastifyEdgeOptions`), path parameters and
 * form bodies are cleaned before validation, and data errors from PostgreSQL answer 400.
 */
export function installEdge(app: FastifyInstance, opts: { lenientJsonPaths?: string[] } = {}): void {
  const lenient = opts.lenientJsonPaths ?? [];
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (req, body, done) => {
    const buf = body as Buffer;
    (req as { rawBody?: Buffer }).rawBody = buf;
    try {
      done(null, parseJsonBody(buf));
    } catch (err) {
      // A webhook whose sender retries anything but 200 (Meta) gets an empty body here; its route still
      // checks the signature over the raw bytes and acknowledges a signed one without storing anything.
      const path = (req.url ?? '').split('?')[0];
      if (lenient.includes(path)) {
        (req as { bodyRefused?: string }).bodyRefused = (err as Error).message;
        return done(null, {});
      }
      done(err as Error, undefined);
    }
  });
  app.addHook('preValidation', async (req) => {
    if (req.params && typeof req.params === 'object') req.params = cleanDeep(req.params);
    if (typeof req.body === 'string') req.body = cleanString(req.body);
    else if (req.body && typeof req.body === 'object' && !req.rawBody) req.body = cleanDeep(req.body);
  });
  app.setErrorHandler((err: FastifyError & { code?: string }, req: FastifyRequest, reply: FastifyReply) => {
    const pg = typeof err.code === 'string' ? PG_DATA_ERRORS[err.code] : undefined;
    if (pg) {
      req.log?.warn?.({ err: err.message, code: err.code }, 'request refused: bad value');
      return reply.code(400).send({ error: `invalid request: ${pg}` });
    }
    throw err; // everything else: Fastify's own answer, as before
  });
}

/** Fastify constructor options for the edge (query strings). */
export const fastifyEdgeOptions = {
  routerOptions: { querystringParser: parseQuery },
} as const;
