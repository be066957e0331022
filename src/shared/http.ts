// Outbound HTTP for provider adapters: timeouts, retries with backoff on 429/5xx/network errors,
// and one error type the domain can read.

export class ProviderError extends Error {
  constructor(
    readonly provider: string,
    message: string,
    readonly status?: number,
    readonly body?: unknown,
    /** true when retrying the same request later may succeed */
    readonly transient = false,
  ) {
    super(`${provider}: ${message}`);
  }
}

export interface HttpRequest {
  method?: string;
  url: string;
  headers?: Record<string, string>;
  json?: unknown;
  body?: string | Buffer | FormData;
  timeoutMs?: number;
  /** attempts in total, including the first */
  attempts?: number;
}

export interface HttpResponse<T = any> {
  status: number;
  headers: Headers;
  data: T;
  text: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function httpRequest<T = any>(provider: string, req: HttpRequest): Promise<HttpResponse<T>> {
  const attempts = req.attempts ?? 3;
  let lastErr: ProviderError | undefined;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), req.timeoutMs ?? 10_000);
    try {
      const headers: Record<string, string> = { accept: 'application/json', ...(req.headers ?? {}) };
      let body = req.body;
      if (req.json !== undefined) {
        headers['content-type'] = 'application/json';
        body = JSON.stringify(req.json);
      }
      const res = await fetch(req.url, { method: req.method ?? (body ? 'POST' : 'GET'), headers, body: body as any, signal: controller.signal });
      const text = await res.text();
      let data: any = text;
      try {
        data = text ? JSON.parse(text) : undefined;
      } catch {
        /* not JSON: keep the text */
      }
      if (res.status === 429 || res.status >= 500) {
        lastErr = new ProviderError(provider, `HTTP ${res.status}`, res.status, data, true);
        const retryAfter = Number(res.headers.get('retry-after'));
        if (attempt < attempts) await sleep(Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : backoff(attempt));
        continue;
      }
      return { status: res.status, headers: res.headers, data, text };
    } catch (err) {
      const reason = (err as Error).name === 'AbortError' ? 'timed out' : (err as Error).message;
      lastErr = new ProviderError(provider, `request failed: ${reason}`, undefined, undefined, true);
      if (attempt < attempts) await sleep(backoff(attempt));
    } finally {
      clearTimeout(timer);
    }
  }
  throw lastErr!;
}

function backoff(attempt: number): number {
  return Math.min(5_000, 200 * 4 ** (attempt - 1)) * (0.75 + Math.random() * 0.5);
}

export function basicAuth(user: string, password = ''): string {
  return 'Basic ' + Buffer.from(`${user}:${password}`).toString('base64');
}

/**
 * The provider may or may not have recorded a create whose answer was lost, and a lookup could not
 * tell. Retrying blindly could book or charge twice, so the caller must try again later (looking up first).
 */
export class OutcomeUnknownError extends ProviderError {
  readonly outcomeUnknown = true;
  constructor(provider: string, message: string, cause?: ProviderError) {
    super(provider, message, cause?.status, cause?.body, true);
  }
}

/** 429 and 503 say the provider refused the request before doing anything: safe to send again. */
export const refusedUnprocessed = (err: unknown): boolean => err instanceof ProviderError && (err.status === 429 || err.status === 503);

/** Did the request maybe reach the provider without us reading its answer? (timeout, dropped connection, other 5xx) */
export const answerMaybeLost = (err: unknown): boolean =>
  err instanceof ProviderError && err.transient && !(err instanceof OutcomeUnknownError) && !refusedUnprocessed(err);

/**
 * Creates something at a provider that does not (publicly) dedupe repeated requests: a courier
 * booking, a QR code, a virtual account. `create` must make ONE request (no transport retries).
 * When its answer may have been lost, `lookup` asks the provider by pesan's own reference: found →
 * that is the result; confirmed absent (null) → create again; lookup failed → OutcomeUnknownError.
 */
export async function createOnce<T>(
  provider: string,
  ops: { create: () => Promise<T>; lookup: () => Promise<T | null>; attempts?: number; /** an earlier attempt may have reached the provider */ lookupFirst?: boolean },
): Promise<T> {
  const attempts = ops.attempts ?? 3;
  let lastErr: ProviderError | undefined;
  let lookupNeeded = false;
  if (ops.lookupFirst) {
    const found = await ops.lookup().catch((err: Error) => {
      throw new OutcomeUnknownError(provider, `an earlier create may have reached ${provider} and the lookup failed (${err.message}); not created again`);
    });
    if (found) return found;
  }
  for (let attempt = 1; attempt <= attempts; attempt++) {
    if (attempt > 1 && !lookupNeeded) await sleep(backoff(attempt - 1));
    if (lookupNeeded) {
      let found: T | null;
      try {
        found = await ops.lookup();
      } catch (err) {
        throw new OutcomeUnknownError(provider, `create answer lost (${lastErr?.message}) and the lookup failed (${(err as Error).message}); not created again`, lastErr);
      }
      if (found) return found;
      await sleep(backoff(attempt - 1));
    }
    try {
      return await ops.create();
    } catch (err) {
      lastErr = err as ProviderError;
      if (refusedUnprocessed(err)) {
        if (attempt === attempts && !lookupNeeded) throw err;
        continue;
      }
      if (!answerMaybeLost(err)) throw err;
      lookupNeeded = true;
    }
  }
  if (!lookupNeeded) throw lastErr!;
  // The last create's answer was lost too: one more look decides.
  const found = await ops.lookup().catch((err: Error) => {
    throw new OutcomeUnknownError(provider, `create answer lost (${lastErr?.message}) and the lookup failed (${err.message})`, lastErr);
  });
  if (found) return found;
  throw lastErr!;
}
