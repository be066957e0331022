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
