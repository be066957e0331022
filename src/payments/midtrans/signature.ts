import { sha512Hex, safeEqual } from '../../shared/crypto.js';

/** Midtrans' notification signature: SHA512(order_id + status_code + gross_amount + server key), gross_amount exactly as sent ("10000.00"). */
export function midtransSignature(orderId: string, statusCode: string, grossAmount: string, serverKey: string): string {
  return sha512Hex(orderId + statusCode + grossAmount + serverKey);
}

export function verifyMidtransSignature(n: { order_id: string; status_code: string; gross_amount: string; signature_key: string }, serverKey: string): boolean {
  return safeEqual(n.signature_key.toLowerCase(), midtransSignature(n.order_id, n.status_code, n.gross_amount, serverKey));
}
