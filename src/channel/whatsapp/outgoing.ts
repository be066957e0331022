// What the conversation asks the channel to send. The sender turns these into Graph API bodies.

export interface ListRow {
  id: string;
  title: string; // ≤ 24 chars
  description?: string; // ≤ 72 chars
}

export type OutgoingMessage =
  | { type: 'text'; text: string; previewUrl?: boolean }
  | { type: 'list'; header?: string; body: string; footer?: string; button: string; sections: { title?: string; rows: ListRow[] }[] }
  | { type: 'buttons'; body: string; footer?: string; buttons: { id: string; title: string }[] }
  | { type: 'location_request'; body: string }
  /** An image pesan makes itself (a QRIS code from its string), uploaded as media at send time. */
  | { type: 'qr_image'; qrString: string; caption?: string }
  | { type: 'image'; link: string; caption?: string };

/** An incoming customer message after parsing the webhook, independent of Graph's JSON. */
export type IncomingContent =
  | { type: 'text'; text: string }
  | { type: 'interactive'; replyId: string; title: string }
  | { type: 'location'; latitude: number; longitude: number; name?: string; address?: string }
  | { type: 'image'; mediaId: string; mimeType?: string; caption?: string }
  | { type: 'order'; items: { sku: string; quantity: number }[] }
  | { type: 'unsupported'; original: string };

export interface IncomingMessage {
  waMessageId: string;
  phoneNumberId: string;
  fromWaId: string;
  profileName?: string;
  timestamp: Date;
  content: IncomingContent;
}
