// Reads Meta's webhook envelope into pesan's channel types. Meta adds fields over time and sometimes omits
// ones it documents (wa_id, names), so every level is parsed on its own: one unreadable message or status
// is skipped without losing its neighbours, and nothing here throws.
import { z } from 'zod';
import type { IncomingContent, IncomingMessage } from './outgoing.js';
import { capContent, capText, unixSecondsOrNow } from '../../shared/sanitize.js';

export type WhatsAppStatusName = 'sent' | 'delivered' | 'read' | 'failed';

export interface WhatsAppStatusError {
  code: number;
  title?: string;
  message?: string;
  details?: string;
}

export interface WhatsAppStatus {
  waMessageId: string;
  status: WhatsAppStatusName;
  recipient: string;
  timestamp: Date;
  /** The business number the status belongs to (same source as IncomingMessage.phoneNumberId). */
  phoneNumberId?: string;
  errors?: WhatsAppStatusError[];
  /** biz_opaque_callback_data given when the message was sent. */
  callbackData?: string;
}

export interface ParsedWebhook {
  messages: IncomingMessage[];
  statuses: WhatsAppStatus[];
}

const str = z.string();
const num = z.union([z.number(), z.string().trim().regex(/^-?\d+(\.\d+)?$/).transform(Number)]).pipe(z.number().finite());
const list = z.array(z.unknown());

const envelope = z.looseObject({ entry: list });
const entrySchema = z.looseObject({ changes: list });
const changeSchema = z.looseObject({
  field: str,
  // A malformed part of the value (say, contacts) must not cost the messages beside it.
  value: z.looseObject({
    metadata: z.looseObject({ phone_number_id: str.max(64) }).optional().catch(undefined),
    contacts: list.optional().catch(undefined),
    messages: list.optional().catch(undefined),
    statuses: list.optional().catch(undefined),
  }),
});
const contactSchema = z.looseObject({
  wa_id: str.optional(),
  profile: z.looseObject({ name: str.optional() }).optional(),
});
const messageBase = z.looseObject({
  id: str.min(1).max(256),
  from: str.min(1).max(64),
  timestamp: z.union([str, z.number()]).optional().catch(undefined),
  type: str,
});

const textBody = z.looseObject({ body: str });
const replyBody = z.looseObject({ id: str.min(1), title: str.optional() });
const interactiveBody = z.looseObject({
  type: str,
  button_reply: replyBody.optional(),
  list_reply: replyBody.optional(),
});
const buttonBody = z.looseObject({ payload: str.optional(), text: str.optional() });
const locationBody = z.looseObject({ latitude: num, longitude: num, name: str.optional(), address: str.optional() });
const imageBody = z.looseObject({ id: str.min(1), mime_type: str.optional(), caption: str.optional() });
const orderBody = z.looseObject({ product_items: list });
const orderItem = z.looseObject({ product_retailer_id: str.min(1), quantity: num });

const statusSchema = z.looseObject({
  id: str.min(1).max(256),
  status: z.enum(['sent', 'delivered', 'read', 'failed']),
  recipient_id: str.max(64).optional().catch(undefined),
  timestamp: z.union([str, z.number()]).optional().catch(undefined),
  errors: list.optional().catch(undefined),
  biz_opaque_callback_data: str.max(512).optional().catch(undefined),
});
const statusError = z.looseObject({
  code: num,
  title: str.optional(),
  message: str.optional(),
  error_data: z.looseObject({ details: str.optional() }).optional(),
});

function parse<T>(schema: z.ZodType<T>, value: unknown): T | undefined {
  const r = schema.safeParse(value);
  return r.success ? r.data : undefined;
}

/** Unix seconds as Meta sends them (a string); an unreadable or absurd value falls back to the time we read it. */
const unixSeconds = unixSecondsOrNow;

function contentOf(msg: z.infer<typeof messageBase>): IncomingContent {
  const raw = msg as Record<string, unknown>;
  const unsupported: IncomingContent = { type: 'unsupported', original: msg.type };
  switch (msg.type) {
    case 'text': {
      const t = parse(textBody, raw.text);
      return t ? { type: 'text', text: t.body } : unsupported;
    }
    case 'interactive': {
      const i = parse(interactiveBody, raw.interactive);
      const reply = i?.type === 'button_reply' ? i.button_reply : i?.type === 'list_reply' ? i.list_reply : undefined;
      if (!reply) return { type: 'unsupported', original: i ? `interactive.${i.type}` : msg.type };
      return { type: 'interactive', replyId: reply.id, title: reply.title ?? '' };
    }
    case 'button': {
      // A quick-reply tap on a template: the payload is what pesan put there, the text is the label.
      const b = parse(buttonBody, raw.button);
      const replyId = b?.payload || b?.text;
      return replyId ? { type: 'interactive', replyId, title: b?.text ?? replyId } : unsupported;
    }
    case 'location': {
      const l = parse(locationBody, raw.location);
      if (!l) return unsupported;
      const out: IncomingContent = { type: 'location', latitude: l.latitude, longitude: l.longitude };
      if (l.name) out.name = l.name;
      if (l.address) out.address = l.address;
      return out;
    }
    case 'image': {
      const img = parse(imageBody, raw.image);
      if (!img) return unsupported;
      const out: IncomingContent = { type: 'image', mediaId: img.id };
      if (img.mime_type) out.mimeType = img.mime_type;
      if (img.caption) out.caption = img.caption;
      return out;
    }
    case 'order': {
      const o = parse(orderBody, raw.order);
      if (!o) return unsupported;
      const items = o.product_items
        .map((it) => parse(orderItem, it))
        .filter((it): it is z.infer<typeof orderItem> => !!it && Number.isInteger(it.quantity) && it.quantity > 0)
        .map((it) => ({ sku: it.product_retailer_id, quantity: it.quantity }));
      return { type: 'order', items };
    }
    default:
      return unsupported;
  }
}

function statusOf(value: unknown, phoneNumberId: string | undefined): WhatsAppStatus | undefined {
  const s = parse(statusSchema, value);
  if (!s) return undefined;
  const out: WhatsAppStatus = { waMessageId: s.id, status: s.status, recipient: s.recipient_id ?? '', timestamp: unixSeconds(s.timestamp) };
  if (phoneNumberId) out.phoneNumberId = phoneNumberId;
  if (s.biz_opaque_callback_data) out.callbackData = s.biz_opaque_callback_data;
  const errors = (s.errors ?? []).flatMap((e) => {
    const p = parse(statusError, e);
    if (!p) return [];
    const err: WhatsAppStatusError = { code: p.code };
    if (p.title !== undefined) err.title = p.title;
    if (p.message !== undefined) err.message = p.message;
    if (p.error_data?.details !== undefined) err.details = p.error_data.details;
    return [err];
  });
  if (errors.length) out.errors = errors;
  return out;
}

/** Every message and status of every entry and every "messages" change of one webhook POST body. */
export function parseWhatsAppWebhook(body: unknown): ParsedWebhook {
  const result: ParsedWebhook = { messages: [], statuses: [] };
  const env = parse(envelope, body);
  if (!env) return result;
  for (const rawEntry of env.entry) {
    const entry = parse(entrySchema, rawEntry);
    if (!entry) continue;
    for (const rawChange of entry.changes) {
      const change = parse(changeSchema, rawChange);
      if (!change || change.field !== 'messages') continue;
      const value = change.value;
      const phoneNumberId = value.metadata?.phone_number_id ?? '';
      const contacts = (value.contacts ?? []).map((c) => parse(contactSchema, c)).filter((c) => !!c);
      for (const rawMsg of value.messages ?? []) {
        const msg = parse(messageBase, rawMsg);
        if (!msg) continue;
        // wa_id may be missing on newer payloads; a single contact then still names the sender.
        const contact = contacts.find((c) => c.wa_id === msg.from) ?? (contacts.length === 1 && !contacts[0].wa_id ? contacts[0] : undefined);
        const incoming: IncomingMessage = {
          waMessageId: msg.id,
          phoneNumberId,
          fromWaId: msg.from,
          timestamp: unixSeconds(msg.timestamp),
          content: capContent(contentOf(msg)),
        };
        if (contact?.profile?.name) incoming.profileName = capText(contact.profile.name, 256);
        result.messages.push(incoming);
      }
      for (const rawStatus of value.statuses ?? []) {
        const status = statusOf(rawStatus, phoneNumberId || undefined);
        if (status) result.statuses.push(status);
      }
    }
  }
  return result;
}
