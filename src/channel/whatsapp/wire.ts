// Turns what the conversation wants to say into the exact Graph API body. Meta rejects a whole message
// when one label is too long, so labels are shortened here (ending in "…") and surplus rows/buttons dropped:
// a slightly clipped menu beats a customer who gets no answer.
import type { OutgoingMessage } from './outgoing.js';

export const WHATSAPP_LIMITS = {
  textBody: 4096,
  interactiveBody: 1024,
  header: 60,
  footer: 60,
  listButton: 20,
  listSections: 10,
  listRowsTotal: 10,
  sectionTitle: 24,
  rowId: 200,
  rowTitle: 24,
  rowDescription: 72,
  replyButtons: 3,
  replyButtonTitle: 20,
  replyButtonId: 256,
  caption: 1024,
} as const;

const ELLIPSIS = '…';

/** Shortens to at most `max` characters (code points, so emoji are not split), marking the cut with "…". */
export function truncate(text: string, max: number): string {
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  return chars.slice(0, Math.max(0, max - 1)).join('') + ELLIPSIS;
}

const L = WHATSAPP_LIMITS;

function envelope(to: string, type: string, payload: object): Record<string, unknown> {
  return { messaging_product: 'whatsapp', recipient_type: 'individual', to, type, [type]: payload };
}

function footer(text: string | undefined) {
  return text ? { footer: { text: truncate(text, L.footer) } } : {};
}

function listPayload(msg: Extract<OutgoingMessage, { type: 'list' }>) {
  let remaining: number = L.listRowsTotal;
  const kept = msg.sections.slice(0, L.listSections).map((section) => {
    const rows = section.rows.slice(0, Math.max(0, remaining));
    remaining -= rows.length;
    return { ...section, rows };
  });
  const sections = kept.filter((s) => s.rows.length > 0);
  // Meta requires a title on every section once there is more than one.
  const needTitles = sections.length > 1;
  return {
    type: 'list',
    ...(msg.header ? { header: { type: 'text', text: truncate(msg.header, L.header) } } : {}),
    body: { text: truncate(msg.body, L.interactiveBody) },
    ...footer(msg.footer),
    action: {
      button: truncate(msg.button, L.listButton),
      sections: sections.map((s, i) => {
        const title = s.title ?? (needTitles ? `Menu ${i + 1}` : undefined);
        return {
          ...(title ? { title: truncate(title, L.sectionTitle) } : {}),
          rows: s.rows.map((r) => ({
            id: r.id,
            title: truncate(r.title, L.rowTitle),
            ...(r.description ? { description: truncate(r.description, L.rowDescription) } : {}),
          })),
        };
      }),
    },
  };
}

function buttonsPayload(msg: Extract<OutgoingMessage, { type: 'buttons' }>) {
  return {
    type: 'button',
    body: { text: truncate(msg.body, L.interactiveBody) },
    ...footer(msg.footer),
    action: {
      buttons: msg.buttons.slice(0, L.replyButtons).map((b) => ({ type: 'reply', reply: { id: b.id, title: truncate(b.title, L.replyButtonTitle) } })),
    },
  };
}

function caption(text: string | undefined) {
  return text ? { caption: truncate(text, L.caption) } : {};
}

/**
 * The POST /{phone-number-id}/messages body for `msg` to `to`. A `qr_image` is sent as already-uploaded
 * media, so its `mediaId` must be given.
 */
export function toGraphMessage(to: string, msg: OutgoingMessage, mediaId?: string): Record<string, unknown> {
  switch (msg.type) {
    case 'text':
      return envelope(to, 'text', { body: truncate(msg.text, L.textBody), preview_url: msg.previewUrl ?? false });
    case 'list':
      return envelope(to, 'interactive', listPayload(msg));
    case 'buttons':
      return envelope(to, 'interactive', buttonsPayload(msg));
    case 'location_request':
      return envelope(to, 'interactive', {
        type: 'location_request_message',
        body: { text: truncate(msg.body, L.interactiveBody) },
        action: { name: 'send_location' },
      });
    case 'qr_image':
      if (!mediaId) throw new Error('qr_image needs the media id of the uploaded QR picture');
      return envelope(to, 'image', { id: mediaId, ...caption(msg.caption) });
    case 'image':
      return envelope(to, 'image', mediaId ? { id: mediaId, ...caption(msg.caption) } : { link: msg.link, ...caption(msg.caption) });
  }
}
