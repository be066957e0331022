// `npm run doctor`: every configured provider is asked one harmless question with the configured
// credentials, so a wrong key or URL shows up before the first customer does. One line per provider.
import type { Config } from '../config.js';
import type { Courier, CourierId, Place } from '../delivery/port.js';
import type { GatewayId, PaymentGateway } from '../payments/port.js';
import { ProviderError } from '../shared/http.js';

export interface DoctorLine {
  name: string;
  ok: boolean;
  /** why it failed, then what to do about it */
  reason?: string;
}

export interface DoctorDeps {
  config: Config;
  gateways: Map<GatewayId, PaymentGateway>;
  couriers: Map<CourierId, Courier>;
  timeoutMs?: number;
}

const FIX: Record<string, { auth: string; reach: string }> = {
  whatsapp: { auth: 'set WHATSAPP_ACCESS_TOKEN to a system-user token with whatsapp_business_messaging, and WHATSAPP_PHONE_NUMBER_ID to the number\'s id (not the phone number)', reach: 'check WHATSAPP_GRAPH_URL and outbound HTTPS' },
  midtrans: { auth: 'set MIDTRANS_SERVER_KEY to the Server Key of the Midtrans environment MIDTRANS_ENV names (Dashboard → Settings → Access Keys)', reach: 'check MIDTRANS_BASE_URL and outbound HTTPS' },
  xendit: { auth: 'set XENDIT_SECRET_KEY to a secret key of the Xendit mode XENDIT_ENV names, with Money-in read/write', reach: 'check XENDIT_BASE_URL and outbound HTTPS' },
  doku: { auth: 'check DOKU_CLIENT_ID and DOKU_PRIVATE_KEY: the private key whose public key is uploaded in DOKU Back Office for DOKU_ENV', reach: 'check DOKU_BASE_URL and outbound HTTPS' },
  gosend: { auth: 'set GOSEND_CLIENT_ID and GOSEND_PASS_KEY to the pair Gojek issued for GOSEND_ENV', reach: 'check GOSEND_BASE_URL and outbound HTTPS' },
  grab: { auth: 'set GRAB_CLIENT_ID and GRAB_CLIENT_SECRET to the GrabExpress credentials for GRAB_ENV (scope grab_express.partner_deliveries)', reach: 'check GRAB_BASE_URL, GRAB_AUTH_URL and outbound HTTPS' },
};

function explain(name: string, err: unknown): string {
  const fix = FIX[name];
  const msg = (err as Error).message ?? String(err);
  if (err instanceof ProviderError) {
    if (err.status === 401 || err.status === 403) return `${msg}. Fix: ${fix.auth}`;
    if (err.status === undefined || err.transient) return `${msg}. Fix: ${fix.reach}`;
    return `${msg}. Fix: ${fix.auth}`;
  }
  return `${msg}. Fix: ${fix?.reach ?? 'check the configuration'}`;
}

async function graphCheck(config: Config, timeoutMs: number): Promise<void> {
  const w = config.whatsapp;
  if (!w.accessToken || !w.phoneNumberId) throw new ProviderError('whatsapp', 'WHATSAPP_ACCESS_TOKEN or WHATSAPP_PHONE_NUMBER_ID is not set', 401);
  const version = w.apiVersion.startsWith('v') ? w.apiVersion : `v${w.apiVersion}`;
  let res: Response;
  try {
    res = await fetch(`${w.graphUrl}/${version}/${encodeURIComponent(w.phoneNumberId)}?fields=display_phone_number,verified_name`, {
      headers: { authorization: `Bearer ${w.accessToken}` },
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    throw new ProviderError('whatsapp', `Graph API not reachable: ${(err as Error).message}`, undefined, undefined, true);
  }
  const body = (await res.json().catch(() => undefined)) as { id?: string; error?: { message?: string; code?: number } } | undefined;
  if (!res.ok || body?.id !== w.phoneNumberId) {
    throw new ProviderError('whatsapp', `phone number ${w.phoneNumberId}: HTTP ${res.status} ${body?.error?.message ?? ''}`.trim(), res.status === 400 ? 401 : res.status);
  }
}

/** A point about a kilometre from the pickup point: a route every courier serves, for a price estimate. */
function nearby(config: Config): { origin: Place; destination: Place } {
  const m = config.merchant;
  const origin: Place = { lat: m.lat, lng: m.lng, address: m.address, contactName: m.name, contactPhone: m.phone };
  return { origin, destination: { ...origin, lat: m.lat + 0.009, address: `${m.address} (doctor)`, contactName: 'pesan doctor' } };
}

async function run(name: string, fn: () => Promise<void>): Promise<DoctorLine> {
  try {
    await fn();
    return { name, ok: true };
  } catch (err) {
    return { name, ok: false, reason: explain(name, err) };
  }
}

export async function runDoctor(deps: DoctorDeps): Promise<DoctorLine[]> {
  const { config } = deps;
  const timeoutMs = deps.timeoutMs ?? 10_000;
  const lines: Promise<DoctorLine>[] = [];

  lines.push(
    Promise.resolve(
      config.sandbox || config.publicUrl.startsWith('https://')
        ? { name: 'public_url', ok: true }
        : { name: 'public_url', ok: false, reason: `PUBLIC_URL ${config.publicUrl} is not https; providers call back only to https URLs. Fix: set PUBLIC_URL to the https address this instance is reached at` },
    ),
  );
  lines.push(run('whatsapp', () => graphCheck(config, timeoutMs)));
  for (const [id, gw] of deps.gateways) {
    lines.push(
      run(id, async () => {
        if (id === 'xendit' && !config.xendit?.callbackToken) throw new ProviderError('xendit', 'XENDIT_CALLBACK_TOKEN is not set, so every callback would be refused', 401);
        if (id === 'doku' && !config.sandbox && !config.doku?.dokuPublicKey) throw new ProviderError('doku', "DOKU_PUBLIC_KEY (DOKU's public key) is not set, so DOKU's notifications would be refused", 401);
        if (!gw.check) throw new Error(`${id} has no check`);
        await gw.check();
      }),
    );
  }
  const route = nearby(config);
  for (const [id, courier] of deps.couriers) {
    lines.push(
      run(id, async () => {
        const token = id === 'gosend' ? config.gosend?.webhookToken : config.grab?.webhookToken;
        if (!token) throw new ProviderError(id, `${id.toUpperCase()}_WEBHOOK_TOKEN is not set, so every courier webhook would be refused`, 401);
        // Grab: the OAuth token, then a quote. GoSend: a price estimate.
        await courier.quote({ ...route, items: [{ name: 'Doctor check', quantity: 1, price: 10_000 }] });
      }),
    );
  }
  return Promise.all(lines);
}

export function formatDoctor(lines: DoctorLine[]): string {
  const width = Math.max(...lines.map((l) => l.name.length));
  return lines.map((l) => `${l.name.padEnd(width)}  ${l.ok ? 'ok' : `FAIL: ${l.reason}`}`).join('\n');
}
