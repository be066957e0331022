// The only module that reads process.env: everything else receives a typed Config.
import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';

const optional = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

const gatewayName = z.enum(['midtrans', 'xendit', 'doku']);
export type GatewayName = z.infer<typeof gatewayName>;
export const COURIER_NAMES = ['gosend', 'grab', 'manual'] as const;
export type CourierName = (typeof COURIER_NAMES)[number];

const envSchema = z.object({
  PORT: optional,
  HOST: optional,
  DATABASE_URL: optional,
  PESAN_DATA_DIR: optional,
  PUBLIC_URL: optional,
  ADMIN_API_KEY: optional,
  PLATFORM_API_KEY: optional,
  PESAN_SECRET_KEY: optional,
  PESAN_SECRET_KEYS: optional,
  LOG_LEVEL: optional,
  WHATSAPP_PHONE_NUMBER_ID: optional,
  WHATSAPP_ACCESS_TOKEN: optional,
  WHATSAPP_APP_SECRET: optional,
  WHATSAPP_VERIFY_TOKEN: optional,
  WHATSAPP_GRAPH_URL: optional,
  WHATSAPP_API_VERSION: optional,
  WHATSAPP_MPS: optional,
  MIDTRANS_SERVER_KEY: optional,
  MIDTRANS_BASE_URL: optional,
  MIDTRANS_ENV: optional,
  XENDIT_SECRET_KEY: optional,
  XENDIT_CALLBACK_TOKEN: optional,
  XENDIT_BASE_URL: optional,
  XENDIT_ENV: optional,
  DOKU_CLIENT_ID: optional,
  DOKU_SECRET_KEY: optional,
  DOKU_PRIVATE_KEY: optional,
  DOKU_PUBLIC_KEY: optional,
  DOKU_BASE_URL: optional,
  DOKU_ENV: optional,
  DOKU_QRIS_MERCHANT_ID: optional,
  DOKU_VA_PARTNER_SERVICE_ID: optional,
  DOKU_QRIS_TERMINAL_ID: optional,
  DOKU_QRIS_POSTAL_CODE: optional,
  DOKU_VA_EMAIL: optional,
  PAYMENT_QRIS_GATEWAY: optional,
  PAYMENT_VA_GATEWAY: optional,
  PAYMENT_EXPIRY_MINUTES: optional,
  GOSEND_CLIENT_ID: optional,
  GOSEND_PASS_KEY: optional,
  GOSEND_BASE_URL: optional,
  GOSEND_WEBHOOK_TOKEN: optional,
  GOSEND_ENV: optional,
  GRAB_CLIENT_ID: optional,
  GRAB_CLIENT_SECRET: optional,
  GRAB_BASE_URL: optional,
  GRAB_AUTH_URL: optional,
  GRAB_WEBHOOK_TOKEN: optional,
  GRAB_ENV: optional,
  GRAB_SENDER_EMAIL: optional,
  COURIERS: optional,
  COURIER_ALLOCATION_TIMEOUT_SECONDS: optional,
  COURIER_POLL_SECONDS: optional,
  MERCHANT_NAME: optional,
  MERCHANT_ADDRESS: optional,
  MERCHANT_LAT: optional,
  MERCHANT_LNG: optional,
  MERCHANT_PHONE: optional,
  MERCHANT_STAFF_PHONE: optional,
  CLIENT_CATALOG_URL: optional,
  CLIENT_CATALOG_TOKEN: optional,
  CLIENT_CATALOG_KIND: optional,
  CLIENT_CATALOG_NAME: optional,
  LLM_BASE_URL: optional,
  LLM_API_KEY: optional,
  LLM_MODEL: optional,
  SANDBOX: optional,
  SANDBOX_COURIER_STEP_MS: optional,
  JOB_POLL_MS: optional,
});

function int(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n)) throw new Error(`${name} must be a number, got "${value}"`);
  return Math.trunc(n);
}

function float(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n)) throw new Error(`${name} must be a number, got "${value}"`);
  return n;
}

/** Keys may be given inline as PEM text or as a path to a PEM file. */
function pem(value: string | undefined): string | undefined {
  if (!value) return undefined;
  if (value.includes('-----BEGIN')) return value.replace(/\\n/g, '\n');
  if (existsSync(value)) return readFileSync(value, 'utf8');
  return value;
}

export function loadDotEnv(path = '.env', env: NodeJS.ProcessEnv = process.env): void {
  if (!existsSync(path)) return;
  for (const line of readFileSync(path, 'utf8').split(/\r?\n/)) {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)\s*$/.exec(line);
    if (!m || line.trimStart().startsWith('#')) continue;
    let v = m[2];
    if ((v.startsWith('"') && v.endsWith('"')) || (v.startsWith("'") && v.endsWith("'"))) v = v.slice(1, -1);
    if (env[m[1]] === undefined) env[m[1]] = v;
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env) {
  const e = envSchema.parse(env);
  const port = int(e.PORT, 3000, 'PORT');
  const host = e.HOST ?? '127.0.0.1';
  const publicUrl = (e.PUBLIC_URL ?? `http://${host}:${port}`).replace(/\/$/, '');
  const sandbox = e.SANDBOX !== undefined ? e.SANDBOX === '1' || e.SANDBOX === 'true' : !e.WHATSAPP_ACCESS_TOKEN;
  // In sandbox mode every provider without credentials is pointed at its simulator under /sandbox.
  const sim = (path: string) => `${publicUrl}/sandbox/${path}`;

  // Sandbox or production is an explicit setting per provider, never guessed from a key. Outside
  // sandbox mode a provider with credentials must say which; a key or URL of the other kind is an error.
  const simulated = (url: string) => url.startsWith(`${publicUrl}/sandbox/`);
  const envOf = (name: string, value: string | undefined, credentialsGiven: boolean): ProviderEnv => {
    if (value !== undefined) {
      if (value !== 'sandbox' && value !== 'production') throw new Error(`${name} must be sandbox or production, got "${value}"`);
      return value;
    }
    if (sandbox || !credentialsGiven) return 'sandbox';
    throw new Error(`${name} is required outside sandbox mode: set ${name}=sandbox or ${name}=production`);
  };
  const checkUrl = (provider: string, envName: string, env: ProviderEnv, urlName: string, url: string, hosts: Record<string, ProviderEnv>) => {
    const kind = simulated(url) ? 'sandbox' : urlKind(url, hosts);
    if (kind && kind !== env) throw new Error(`${provider}: ${urlName} ${url} is a ${kind} URL but ${envName} is ${env}; use the ${env} URL or set ${envName}=${kind}`);
  };
  const checkKey = (provider: string, envName: string, env: ProviderEnv, keyName: string, keyKind: ProviderEnv | undefined) => {
    if (keyKind && keyKind !== env) throw new Error(`${provider}: ${keyName} is a ${keyKind} key but ${envName} is ${env}; use a ${env} key or set ${envName}=${keyKind}`);
  };

  const midtransEnv = envOf('MIDTRANS_ENV', e.MIDTRANS_ENV, !!e.MIDTRANS_SERVER_KEY);
  const xenditEnv = envOf('XENDIT_ENV', e.XENDIT_ENV, !!e.XENDIT_SECRET_KEY);
  const dokuEnv = envOf('DOKU_ENV', e.DOKU_ENV, !!e.DOKU_SECRET_KEY);
  const gosendEnv = envOf('GOSEND_ENV', e.GOSEND_ENV, !!e.GOSEND_CLIENT_ID);
  const grabEnv = envOf('GRAB_ENV', e.GRAB_ENV, !!e.GRAB_CLIENT_ID);
  const midtransUrl = (e.MIDTRANS_BASE_URL ?? (e.MIDTRANS_SERVER_KEY ? PROVIDER_URLS.midtrans[midtransEnv] : sim('midtrans'))).replace(/\/$/, '');
  const xenditUrl = (e.XENDIT_BASE_URL ?? (e.XENDIT_SECRET_KEY ? PROVIDER_URLS.xendit[xenditEnv] : sim('xendit'))).replace(/\/$/, '');
  const dokuUrl = (e.DOKU_BASE_URL ?? (e.DOKU_SECRET_KEY ? PROVIDER_URLS.doku[dokuEnv] : sim('doku'))).replace(/\/$/, '');
  const gosendUrl = (e.GOSEND_BASE_URL ?? (e.GOSEND_CLIENT_ID ? PROVIDER_URLS.gosend[gosendEnv] : sim('gosend'))).replace(/\/$/, '');
  const grabUrl = (e.GRAB_BASE_URL ?? (e.GRAB_CLIENT_ID ? PROVIDER_URLS.grab[grabEnv] : sim('grab'))).replace(/\/$/, '');
  const grabAuthUrl = (e.GRAB_AUTH_URL ?? (e.GRAB_CLIENT_ID ? PROVIDER_URLS.grabAuth[grabEnv] : sim('grab'))).replace(/\/$/, '');
  if (e.MIDTRANS_SERVER_KEY) {
    checkUrl('Midtrans', 'MIDTRANS_ENV', midtransEnv, 'MIDTRANS_BASE_URL', midtransUrl, KNOWN_HOSTS.midtrans);
    checkKey('Midtrans', 'MIDTRANS_ENV', midtransEnv, 'MIDTRANS_SERVER_KEY', e.MIDTRANS_SERVER_KEY.startsWith('SB-') ? 'sandbox' : 'production');
  }
  if (e.XENDIT_SECRET_KEY) {
    const k = e.XENDIT_SECRET_KEY;
    checkKey('Xendit', 'XENDIT_ENV', xenditEnv, 'XENDIT_SECRET_KEY', k.startsWith('xnd_development_') ? 'sandbox' : k.startsWith('xnd_production_') ? 'production' : undefined);
    checkUrl('Xendit', 'XENDIT_ENV', xenditEnv, 'XENDIT_BASE_URL', xenditUrl, {});
  }
  if (e.DOKU_SECRET_KEY) checkUrl('DOKU', 'DOKU_ENV', dokuEnv, 'DOKU_BASE_URL', dokuUrl, KNOWN_HOSTS.doku);
  if (e.GOSEND_CLIENT_ID) checkUrl('GoSend', 'GOSEND_ENV', gosendEnv, 'GOSEND_BASE_URL', gosendUrl, KNOWN_HOSTS.gosend);
  if (e.GRAB_CLIENT_ID) checkUrl('GrabExpress', 'GRAB_ENV', grabEnv, 'GRAB_BASE_URL', grabUrl, KNOWN_HOSTS.grab);

  const midtransKey = e.MIDTRANS_SERVER_KEY ?? (sandbox ? 'SB-Mid-server-sandbox-key' : undefined);
  const xenditKey = e.XENDIT_SECRET_KEY ?? (sandbox ? 'xnd_development_sandbox_key' : undefined);
  const dokuClientId = e.DOKU_CLIENT_ID ?? (sandbox ? 'BRN-0000-SANDBOX' : undefined);

  const configuredGateways: GatewayName[] = [];
  if (midtransKey) configuredGateways.push('midtrans');
  if (xenditKey) configuredGateways.push('xendit');
  if (dokuClientId && (e.DOKU_SECRET_KEY || sandbox)) configuredGateways.push('doku');
  const pickGateway = (v: string | undefined, name: string): GatewayName | undefined => {
    if (v === undefined) return configuredGateways[0];
    const parsed = gatewayName.safeParse(v);
    if (!parsed.success) throw new Error(`${name} must be midtrans, xendit or doku, got "${v}"`);
    return parsed.data;
  };

  const couriers = (e.COURIERS ?? 'gosend,grab,manual')
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  for (const c of couriers) {
    if (!(COURIER_NAMES as readonly string[]).includes(c)) throw new Error(`COURIERS: unknown courier "${c}" (use gosend, grab, manual)`);
  }

  return {
    port,
    host,
    publicUrl,
    sandbox,
    logLevel: e.LOG_LEVEL ?? 'info',
    databaseUrl: e.DATABASE_URL,
    dataDir: e.PESAN_DATA_DIR ?? './.pesan',
    adminApiKey: e.ADMIN_API_KEY,
    /** Bearer of the platform API (/api/v1/platform): creates and manages merchants. */
    platformApiKey: e.PLATFORM_API_KEY,
    /** Key that seals stored credentials (src/secrets); PESAN_SECRET_KEYS: older keys still accepted for reading. */
    secretKey: e.PESAN_SECRET_KEY,
    previousSecretKeys: (e.PESAN_SECRET_KEYS ?? '').split(',').map((k) => k.trim()).filter(Boolean),
    jobPollMs: int(e.JOB_POLL_MS, 500, 'JOB_POLL_MS'),
    whatsapp: {
      phoneNumberId: e.WHATSAPP_PHONE_NUMBER_ID ?? (sandbox ? '100000000000001' : undefined),
      accessToken: e.WHATSAPP_ACCESS_TOKEN ?? (sandbox ? 'sandbox-access-token' : undefined),
      appSecret: e.WHATSAPP_APP_SECRET ?? (sandbox ? 'sandbox-app-secret' : undefined),
      verifyToken: e.WHATSAPP_VERIFY_TOKEN ?? (sandbox ? 'sandbox-verify-token' : undefined),
      graphUrl: (e.WHATSAPP_GRAPH_URL ?? (e.WHATSAPP_ACCESS_TOKEN ? 'https://graph.facebook.com' : sim('meta'))).replace(/\/$/, ''),
      apiVersion: e.WHATSAPP_API_VERSION ?? 'v25.0',
      mps: int(e.WHATSAPP_MPS, 80, 'WHATSAPP_MPS'),
    },
    midtrans: midtransKey
      ? {
          serverKey: midtransKey,
          env: midtransEnv,
          baseUrl: midtransUrl,
        }
      : undefined,
    xendit: xenditKey
      ? {
          secretKey: xenditKey,
          callbackToken: e.XENDIT_CALLBACK_TOKEN ?? (sandbox ? 'sandbox-xendit-callback-token' : ''),
          env: xenditEnv,
          baseUrl: xenditUrl,
        }
      : undefined,
    doku:
      dokuClientId && (e.DOKU_SECRET_KEY || sandbox)
        ? {
            clientId: dokuClientId,
            secretKey: e.DOKU_SECRET_KEY ?? 'sandbox-doku-secret-key',
            privateKey: pem(e.DOKU_PRIVATE_KEY),
            /** DOKU's public key (DOKU_PUBLIC_KEY): verifies the token requests DOKU sends before its notifications */
            dokuPublicKey: pem(e.DOKU_PUBLIC_KEY),
            env: dokuEnv,
            baseUrl: dokuUrl,
            qrisMerchantId: e.DOKU_QRIS_MERCHANT_ID ?? (sandbox ? '000000000000001' : ''),
            vaPartnerServiceId: e.DOKU_VA_PARTNER_SERVICE_ID ?? (sandbox ? '88899' : ''),
            terminalId: e.DOKU_QRIS_TERMINAL_ID ?? 'A01',
            postalCode: e.DOKU_QRIS_POSTAL_CODE ?? (sandbox ? '12190' : undefined),
            vaEmail: e.DOKU_VA_EMAIL ?? (sandbox ? 'sandbox@pesan.example' : undefined),
          }
        : undefined,
    payments: {
      qrisGateway: pickGateway(e.PAYMENT_QRIS_GATEWAY, 'PAYMENT_QRIS_GATEWAY'),
      vaGateway: pickGateway(e.PAYMENT_VA_GATEWAY, 'PAYMENT_VA_GATEWAY'),
      expiryMinutes: int(e.PAYMENT_EXPIRY_MINUTES, 30, 'PAYMENT_EXPIRY_MINUTES'),
    },
    gosend:
      e.GOSEND_CLIENT_ID || sandbox
        ? {
            clientId: e.GOSEND_CLIENT_ID ?? 'sandbox-gosend-client',
            passKey: e.GOSEND_PASS_KEY ?? 'sandbox-gosend-pass-key',
            env: gosendEnv,
            baseUrl: gosendUrl,
            webhookToken: e.GOSEND_WEBHOOK_TOKEN ?? (sandbox ? 'sandbox-gosend-webhook-token' : ''),
          }
        : undefined,
    grab:
      e.GRAB_CLIENT_ID || sandbox
        ? {
            clientId: e.GRAB_CLIENT_ID ?? 'sandbox-grab-client',
            clientSecret: e.GRAB_CLIENT_SECRET ?? 'sandbox-grab-secret',
            env: grabEnv,
            baseUrl: grabUrl,
            authUrl: grabAuthUrl,
            senderEmail: e.GRAB_SENDER_EMAIL,
            webhookToken: e.GRAB_WEBHOOK_TOKEN ?? (sandbox ? 'sandbox-grab-webhook-token' : ''),
          }
        : undefined,
    couriers: couriers as CourierName[],
    /** No driver within this many seconds of booking → the next courier is booked. */
    courierAllocationTimeoutSeconds: int(e.COURIER_ALLOCATION_TIMEOUT_SECONDS, 600, 'COURIER_ALLOCATION_TIMEOUT_SECONDS'),
    /** A delivery with no courier webhook for this long is checked through the courier's status API. */
    courierPollSeconds: Math.max(1, int(e.COURIER_POLL_SECONDS, 60, 'COURIER_POLL_SECONDS')),
    sandboxCourierStepMs: int(e.SANDBOX_COURIER_STEP_MS, 3000, 'SANDBOX_COURIER_STEP_MS'),
    merchant: {
      name: e.MERCHANT_NAME ?? 'Apotek & Toko Sehat Sentosa',
      address: e.MERCHANT_ADDRESS ?? 'Jl. Kemang Raya No. 10, Jakarta Selatan',
      lat: float(e.MERCHANT_LAT, -6.2607, 'MERCHANT_LAT'),
      lng: float(e.MERCHANT_LNG, 106.8137, 'MERCHANT_LNG'),
      phone: e.MERCHANT_PHONE ?? '6281200000000',
      staffPhone: e.MERCHANT_STAFF_PHONE,
    },
    clientCatalog: e.CLIENT_CATALOG_URL
      ? {
          url: e.CLIENT_CATALOG_URL.replace(/\/$/, ''),
          token: e.CLIENT_CATALOG_TOKEN ?? '',
          kind: (e.CLIENT_CATALOG_KIND ?? 'rest') as 'rest' | 'woocommerce',
          name: e.CLIENT_CATALOG_NAME ?? 'Client catalog',
        }
      : undefined,
    llm:
      e.LLM_BASE_URL && e.LLM_MODEL ? { baseUrl: e.LLM_BASE_URL.replace(/\/$/, ''), apiKey: e.LLM_API_KEY, model: e.LLM_MODEL } : undefined,
  };
}

export type Config = ReturnType<typeof loadConfig>;

export type ProviderEnv = 'sandbox' | 'production';

/** Default base URLs per provider and environment (public docs and SDKs; see README). */
export const PROVIDER_URLS: Record<'midtrans' | 'xendit' | 'doku' | 'gosend' | 'grab' | 'grabAuth', Record<ProviderEnv, string>> = {
  midtrans: { sandbox: 'https://api.sandbox.midtrans.com', production: 'https://api.midtrans.com' },
  // One host for both; the key decides the mode at Xendit.
  xendit: { sandbox: 'https://api.xendit.co', production: 'https://api.xendit.co' },
  doku: { sandbox: 'https://api-sandbox.doku.com', production: 'https://api.doku.com' },
  gosend: { sandbox: 'https://integration-kilat-api.gojekapi.com', production: 'https://kilat-api.gojekapi.com' },
  grab: { sandbox: 'https://partner-api.grab.com/grab-express-sandbox', production: 'https://partner-api.grab.com/grab-express' },
  grabAuth: { sandbox: 'https://partner-api.grab.com', production: 'https://partner-api.grab.com' },
};

/** Hosts (and for Grab, path prefixes) known to be one environment or the other. */
const KNOWN_HOSTS: Record<'midtrans' | 'doku' | 'gosend' | 'grab', Record<string, ProviderEnv>> = {
  midtrans: { 'api.sandbox.midtrans.com': 'sandbox', 'app.sandbox.midtrans.com': 'sandbox', 'api.midtrans.com': 'production', 'app.midtrans.com': 'production' },
  doku: { 'api-sandbox.doku.com': 'sandbox', 'api-uat.doku.com': 'sandbox', 'api.doku.com': 'production' },
  gosend: { 'integration-kilat-api.gojekapi.com': 'sandbox', 'kilat-api.gojekapi.com': 'production' },
  grab: { 'partner-api.grab.com/grab-express-sandbox': 'sandbox', 'partner-api.stg-myteksi.com': 'sandbox', 'partner-api.grab.com/grab-express': 'production' },
};

function urlKind(url: string, hosts: Record<string, ProviderEnv>): ProviderEnv | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new Error(`not a URL: ${url}`);
  }
  const hostPath = (u.host + u.pathname).replace(/\/$/, '');
  // The longest known prefix wins (grab-express-sandbox before grab-express).
  const hit = Object.keys(hosts)
    .filter((k) => (k.includes('/') ? hostPath === k || hostPath.startsWith(k + '/') : u.host === k))
    .sort((a, b) => b.length - a.length)[0];
  return hit ? hosts[hit] : undefined;
}
