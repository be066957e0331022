// Smaller background jobs: merchant alerts, media downloads, client-catalog holds and sales, housekeeping.
import type { AppContext, MerchantRow } from '../context.js';
import type { Job } from './runner.js';
import { enqueue } from './queue.js';
import { addEvent, getItems, getOrder } from '../orders/repo.js';
import { clientHoldJob } from '../catalog/client-hold.js';

const ALERT_TEXT: Record<string, (p: any) => string> = {
  handover: (p) => `Pelanggan ${p.waId} minta bicara dengan admin. Balas dari dashboard.`,
  manual_dispatch: (p) => `Pesanan ${p.orderId} sudah dibayar dan butuh kurir. Pesan inDrive/Maxim lalu isi data driver di dashboard.`,
  late_payment: (p) => `Pembayaran terlambat untuk pesanan ${p.orderId}: perlu refund. Cek timeline pesanan.`,
  refund_required: (p) => `Pesanan ${p.orderId} dibatalkan setelah dibayar: kembalikan dana pelanggan. Cek timeline pesanan.`,
  delivery_failed: (p) => `Pengantaran pesanan ${p.orderId} gagal. Hubungi pelanggan dan atur pengembalian/refund.`,
  prescription: (p) => `Resep untuk pesanan ${p.orderId} menunggu persetujuan apoteker.`,
};

export function supportJobs(ctx: AppContext): Record<string, (job: Job) => Promise<void>> {
  return {
    'merchant.alert': async (job) => {
      const p = job.payload;
      const m = await ctx.db.one<MerchantRow>('SELECT * FROM merchants WHERE id = $1', [p.merchantId]);
      ctx.logger.info({ merchant: p.merchantId, kind: p.kind, order: p.orderId }, 'merchant alert');
      if (!m?.staff_phone) return; // the dashboard shows it; WhatsApp to staff only when a number is set
      const text = (ALERT_TEXT[p.kind] ?? ((x: any) => `Perlu tindakan: ${x.kind}`))(p);
      const row = await ctx.db.one<{ id: number }>(
        'INSERT INTO outbound_messages (merchant_id, order_id, to_wa_id, payload) VALUES ($1, $2, $3, $4) RETURNING id',
        [m.id, p.orderId ?? null, m.staff_phone, JSON.stringify({ type: 'text', text })],
      );
      await enqueue(ctx.db, 'whatsapp.send', { messageId: row!.id });
      ctx.jobs.kick();
    },
    'media.fetch': async (job) => {
      const p = job.payload;
      const media = await ctx.whatsapp.downloadMedia(p.merchantId, p.mediaId);
      await ctx.db.tx(async (tx) => {
        const row = await tx.one<{ id: number }>(
          'INSERT INTO media (merchant_id, order_id, kind, mime_type, data, wa_media_id) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id',
          [p.merchantId, p.orderId, p.kind, media.mimeType || p.mimeType, media.data, p.mediaId],
        );
        await addEvent(tx, p.orderId, `${p.kind}_stored`, { media_id: row!.id, bytes: media.data.length });
        if (p.kind === 'prescription') await enqueue(tx, 'merchant.alert', { merchantId: p.merchantId, kind: 'prescription', orderId: p.orderId });
      });
    },
    'catalog.reserve': clientHoldJob(ctx),
    'catalog.release': async (job) => clientCatalogCall(ctx, job.payload.orderId, 'release'),
    'catalog.commit': async (job) => clientCatalogCall(ctx, job.payload.orderId, 'commit'),
    'maintenance.cleanup': async () => {
      await ctx.db.query('DELETE FROM send_rate WHERE second < $1', [Math.floor(Date.now() / 1000) - 120]);
      await ctx.db.query(`DELETE FROM jobs WHERE done_at < now() - interval '7 days'`);
    },
  };
}

/** Releases or sells an order's items at the client's own system (client catalogs); holds are in client-hold. */
async function clientCatalogCall(ctx: AppContext, orderId: string, action: 'release' | 'commit'): Promise<void> {
  const order = await getOrder(ctx.db, orderId);
  if (!order) return;
  const connector = ctx.connectors.get(order.catalog_id);
  if (!connector) return;
  if (action === 'release') return connector.release(orderId);
  const lines = (await getItems(ctx.db, orderId)).map((i) => ({ sku: i.sku, quantity: i.quantity }));
  const customer = await ctx.db.one<{ name: string | null; wa_id: string }>('SELECT name, wa_id FROM customers WHERE id = $1', [order.customer_id]);
  await connector.commit(orderId, lines, { name: customer?.name ?? 'Pelanggan', phone: customer?.wa_id ?? '', address: order.delivery_address ?? undefined });
  await addEvent(ctx.db, orderId, 'client_order_committed', {});
}
