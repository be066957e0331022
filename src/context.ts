// Everything a handler needs, built once at start (app.ts) and passed explicitly.
import type { Config } from './config.js';
import type { Db } from './db/index.js';
import type { JobRunner } from './jobs/runner.js';
import type { Logger } from './shared/log.js';
import type { GatewayId, PaymentGateway } from './payments/port.js';
import type { Courier, CourierId } from './delivery/port.js';
import type { CatalogConnector } from './catalog/types.js';

export interface AppContext {
  config: Config;
  db: Db;
  logger: Logger;
  jobs: JobRunner;
  gateways: Map<GatewayId, PaymentGateway>;
  couriers: Map<CourierId, Courier>;
  /** Client catalogs by catalog id. */
  connectors: Map<string, CatalogConnector>;
  /** Sends one WhatsApp message for a merchant (wired to the Graph client in app.ts). */
  whatsapp: WhatsAppPort;
  /** Processes conversations right after their messages commit (conversation/dispatcher.ts). */
  conversations: { submit(conversationId: number): void; stop(): Promise<void>; depth?(): { waiting: number; running: number } };
}

export interface WhatsAppPort {
  /** `callbackData` is Meta's biz_opaque_callback_data: echoed in this message's status webhooks. */
  send(merchantId: string, to: string, payload: import('./channel/whatsapp/outgoing.js').OutgoingMessage, opts?: { callbackData?: string }): Promise<{ waMessageId: string }>;
  downloadMedia(merchantId: string, mediaId: string): Promise<{ data: Buffer; mimeType: string }>;
}

export interface MerchantRow {
  id: string;
  name: string;
  address: string;
  lat: number | null;
  lng: number | null;
  phone: string;
  staff_phone: string | null;
  wa_phone_number_id: string | null;
  settings: MerchantSettings;
}

export interface MerchantSettings {
  qris_gateway?: GatewayId;
  va_gateway?: GatewayId;
  couriers?: CourierId[];
  preferred_courier?: CourierId;
  /** Fee charged when no courier can quote (the merchant then dispatches by hand). */
  manual_delivery_fee?: number;
}
