// Courier webhooks carry one shared static token (DESIGN.md): in `Authorization`, with or without
// `Bearer `, or in `X-Callback-Token`. GoSend and Grab publish no signature scheme we could verify,
// so this is the whole authentication.
import { header, safeEqual } from '../../shared/crypto.js';
import type { CourierWebhookRequest, CourierWebhookVerdict } from '../port.js';

export type Headers = Record<string, string | string[] | undefined>;

/** The token candidates a courier may have sent, in the order we look at them. */
function presentedTokens(headers: Headers): string[] {
  const out: string[] = [];
  const callback = header(headers, 'x-callback-token');
  if (callback !== undefined) out.push(callback.trim());
  const auth = header(headers, 'authorization');
  if (auth !== undefined) out.push(auth.replace(/^\s*bearer\s+/i, '').trim());
  return out;
}

/**
 * True when one of the accepted headers carries `expected`. An empty expected token refuses
 * everything: an unconfigured webhook must not become an open one.
 */
export function courierWebhookTokenOk(headers: Headers, expected: string): boolean {
  if (!expected) return false;
  let ok = false;
  // Compare every candidate (no early exit) so timing does not reveal which header matched.
  for (const t of presentedTokens(headers)) ok = safeEqual(t, expected) || ok;
  return ok;
}

/**
 * The common first steps of a courier webhook: the token, then a JSON body. Returns the parsed body,
 * or the refusal to answer with.
 */
export function readCourierWebhook(
  req: CourierWebhookRequest,
  token: string,
): { ok: true; json: unknown } | Extract<CourierWebhookVerdict, { ok: false }> {
  if (!courierWebhookTokenOk(req.headers, token)) return { ok: false, status: 401, reason: 'invalid callback token' };
  try {
    return { ok: true, json: JSON.parse(req.rawBody.toString('utf8')) };
  } catch {
    return { ok: false, status: 400, reason: 'body is not JSON' };
  }
}
