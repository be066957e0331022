// One HTTP call per method, no retries: sends run as durable jobs that retry with backoff, and they need
// to know whether trying again can help. WhatsAppApiError.transient answers that.
import { Agent, fetch as poolFetch, FormData as PoolFormData } from 'undici';
import { qrPng } from './qr-image.js';
import { lagTotal, startLoopLag } from '../../jobs/loop-lag.js';
import { toGraphMessage } from './wire.js';
import type { OutgoingMessage } from './outgoing.js';

export interface GraphClientOptions {
  /** https://graph.facebook.com, or the simulator's `<base>/sandbox/meta` */
  graphUrl: string;
  /** "v25.0" (a bare "25.0" is accepted too) */
  apiVersion: string;
  accessToken: string;
  phoneNumberId: string;
  timeoutMs?: number;
}

export interface MediaInfo {
  url: string;
  mimeType: string;
  sha256: string;
  fileSize: number;
}

// Meta's own advice is to retry these later: throughput/pair rate limits, unknown or temporary server errors.
const TRANSIENT_CODES = new Set([1, 2, 4, 17, 341, 80007, 130429, 131000, 131056, 131057, 133004]);

export class WhatsAppApiError extends Error {
  override readonly name = 'WhatsAppApiError';
  constructor(
    /** 0 when no HTTP answer came back (network error, timeout) */
    readonly httpStatus: number,
    /** Graph error code (e.g. 131047); 0 when the answer carried none */
    readonly code: number,
    message: string,
    readonly details: string | undefined,
    /** true when sending the same request later may succeed */
    readonly transient: boolean,
    readonly fbtraceId?: string,
    /**
     * true when the request may have reached Meta although no answer came back (a timeout, a connection
     * dropped after the request was written): sending it again could deliver it twice.
     */
    public mayHaveArrived = false,
  ) {
    super(message);
  }
}

/** Connection errors that happen before a request is written: such a request certainly never arrived. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

function neverSent(err: unknown): boolean {
  const codes = [(err as { code?: string })?.code, (err as { cause?: { code?: string } })?.cause?.code];
  return codes.some((c) => !!c && NOT_SENT_CODES.has(c));
}

interface GraphErrorBody {
  error?: { message?: string; code?: number; error_data?: { details?: string }; is_transient?: boolean; fbtrace_id?: string; error_user_msg?: string };
}

function errorFromResponse(status: number, body: unknown): WhatsAppApiError {
  const e = (body && typeof body === 'object' ? (body as GraphErrorBody).error : undefined) ?? {};
  const code = typeof e.code === 'number' ? e.code : Number(e.code) || 0;
  const transient = e.is_transient === true || status === 429 || status >= 500 || TRANSIENT_CODES.has(code);
  const details = e.error_data?.details ?? e.error_user_msg;
  return new WhatsAppApiError(status, code, e.message ?? `HTTP ${status}`, details, transient, e.fbtrace_id);
}

/**
 * Graph API calls share one pool of keep-alive connections and a bounded number in flight: a burst of
 * replies waits here, before its timeout starts, instead of opening hundreds of sockets whose
 * answers a busy event loop then reads too late.
 */
const MAX_IN_FLIGHT = 64;
const pool = new Agent({ connections: MAX_IN_FLIGHT, keepAliveTimeout: 30_000, pipelining: 1 });
let inFlight = 0;
const slotWaiters: (() => void)[] = [];

async function takeSlot(): Promise<void> {
  if (inFlight < MAX_IN_FLIGHT) {
    inFlight++;
    return;
  }
  await new Promise<void>((resolve) => slotWaiters.push(resolve));
}

function releaseSlot(): void {
  const next = slotWaiters.shift();
  if (next) next(); // the slot passes straight on
  else inFlight--;
}

/** Graph requests in flight and waiting for a slot (for /metrics). */
export function graphQueue(): { inFlight: number; waiting: number } {
  return { inFlight, waiting: slotWaiters.length };
}

/**
 * Never wait longer than this for an answer, even when the event loop was busy the whole time: then
 * the other side is as likely as ourselves to be the cause.
 */
const HARD_TIMEOUT_FACTOR = 6;

/** Sent on media downloads: Meta's CDN serves an HTML page instead of the file to clients without one. */
const MEDIA_USER_AGENT = 'pesan/0.1 (WhatsApp Cloud API media download)';

export class GraphClient {
  private readonly base: string;
  private readonly timeoutMs: number;

  constructor(private readonly opts: GraphClientOptions) {
    const version = opts.apiVersion.startsWith('v') ? opts.apiVersion : `v${opts.apiVersion}`;
    this.base = `${opts.graphUrl.replace(/\/+$/, '')}/${version}`;
    this.timeoutMs = opts.timeoutMs ?? 10_000;
  }

  /**
   * Sends one message; resolves with the wamid Meta assigned (statuses later refer to it). A `qr_image`
   * without `mediaId` is rendered and uploaded first.
   */
  async send(to: string, msg: OutgoingMessage, mediaId?: string, opts: { callbackData?: string } = {}): Promise<{ waMessageId: string }> {
    if (msg.type === 'qr_image' && !mediaId) {
      try {
        mediaId = await this.uploadMedia(await qrPng(msg.qrString), 'image/png', 'qris.png');
      } catch (err) {
        // Only the picture's upload failed: the message itself was never sent.
        if (err instanceof WhatsAppApiError) err.mayHaveArrived = false;
        throw err;
      }
    }
    const body = toGraphMessage(to, msg, mediaId);
    // Meta echoes this in the message's status webhooks: a send whose answer was lost (the instance died)
    // is still recognised as sent when its "sent" status arrives, and is not sent again.
    if (opts.callbackData) body.biz_opaque_callback_data = opts.callbackData.slice(0, 512);
    const res = await this.json<{ messages?: { id?: string }[] }>('POST', `${this.base}/${this.opts.phoneNumberId}/messages`, body);
    const waMessageId = res.messages?.[0]?.id;
    // Meta answered 200 without an id: the message may have gone out, so retrying could send it twice.
    if (!waMessageId) throw new WhatsAppApiError(200, 0, 'send answered without a message id', undefined, false);
    return { waMessageId };
  }

  /** Uploads a file (e.g. a QRIS picture) and returns the media id to send it by. */
  async uploadMedia(data: Buffer, mimeType: string, filename: string): Promise<string> {
    const form = new PoolFormData();
    form.append('messaging_product', 'whatsapp');
    form.append('type', mimeType);
    form.append('file', new Blob([new Uint8Array(data)], { type: mimeType }), filename);
    const res = await this.json<{ id?: string }>('POST', `${this.base}/${this.opts.phoneNumberId}/media`, form);
    if (!res.id) throw new WhatsAppApiError(200, 0, 'media upload answered without an id', undefined, true);
    return res.id;
  }

  async getMedia(mediaId: string): Promise<MediaInfo> {
    const res = await this.json<{ url?: string; mime_type?: string; sha256?: string; file_size?: number | string }>(
      'GET',
      `${this.base}/${encodeURIComponent(mediaId)}`,
    );
    if (!res.url) throw new WhatsAppApiError(200, 0, `media ${mediaId} has no download url`, undefined, false);
    return { url: res.url, mimeType: res.mime_type ?? 'application/octet-stream', sha256: res.sha256 ?? '', fileSize: Number(res.file_size ?? 0) };
  }

  /**
   * Fetches a customer's media (e.g. a prescription photo); Meta's download URL wants the same bearer
   * token, and its CDN answers requests without a User-Agent with an HTML page (status 200) instead of
   * the file. So a User-Agent is sent, and an HTML (or otherwise non-media) answer is refused rather
   * than stored as the customer's image.
   */
  async downloadMedia(mediaId: string): Promise<{ data: Buffer; mimeType: string }> {
    const info = await this.getMedia(mediaId);
    let res: Response;
    let data: Buffer;
    try {
      res = await fetch(info.url, {
        headers: { authorization: `Bearer ${this.opts.accessToken}`, 'user-agent': MEDIA_USER_AGENT },
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      data = Buffer.from(await res.arrayBuffer());
    } catch (err) {
      const reason = (err as Error).name === 'TimeoutError' || (err as Error).name === 'AbortError' ? `timed out after ${this.timeoutMs} ms` : (err as Error).message;
      throw new WhatsAppApiError(0, 0, `media download failed: ${reason}`, undefined, true);
    }
    if (!res.ok) throw errorFromResponse(res.status, safeJson(data.toString('utf8')));
    const contentType = res.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase();
    const head = data.subarray(0, 64).toString('utf8').trimStart().toLowerCase();
    if (contentType === 'text/html' || head.startsWith('<!doctype html') || head.startsWith('<html')) {
      throw new WhatsAppApiError(res.status, 0, `media ${mediaId} download answered an HTML page, not the file`, undefined, true);
    }
    return { data, mimeType: contentType && contentType !== 'application/octet-stream' ? contentType : info.mimeType };
  }

  /** Shows the customer's message as read (blue ticks); optionally shows "typing…" until pesan replies. */
  async markRead(waMessageId: string, opts: { typing?: boolean } = {}): Promise<void> {
    await this.json('POST', `${this.base}/${this.opts.phoneNumberId}/messages`, {
      messaging_product: 'whatsapp',
      status: 'read',
      message_id: waMessageId,
      ...(opts.typing ? { typing_indicator: { type: 'text' } } : {}),
    });
  }

  /**
   * One request on the shared pool. The timeout counts only time the event loop was free to read an
   * answer: when our own loop was saturated (the lag measured around the request), a late answer is
   * our delay, not Meta's, and giving up would make the send be retried and reach the customer twice.
   */
  private async request(method: string, url: string, body?: object | PoolFormData): Promise<RawResponse> {
    startLoopLag();
    await takeSlot();
    const controller = new AbortController();
    const started = performance.now();
    const lagAtStart = lagTotal();
    let timer: NodeJS.Timeout | undefined;
    let timedOut = '';
    const check = () => {
      const elapsed = performance.now() - started;
      const busy = lagTotal() - lagAtStart;
      const effective = elapsed - busy;
      if (effective >= this.timeoutMs || elapsed >= this.timeoutMs * HARD_TIMEOUT_FACTOR) {
        timedOut = `timed out after ${Math.round(elapsed)} ms (${Math.round(busy)} ms of it our own event-loop lag)`;
        controller.abort();
        return;
      }
      timer = setTimeout(check, Math.max(10, this.timeoutMs - effective));
    };
    timer = setTimeout(check, this.timeoutMs);
    const headers: Record<string, string> = { authorization: `Bearer ${this.opts.accessToken}` };
    let payload: string | PoolFormData | undefined;
    if (body instanceof PoolFormData) payload = body;
    else if (body !== undefined) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(body);
    }
    try {
      const res = await poolFetch(url, { method, headers, body: payload, signal: controller.signal, dispatcher: pool });
      // Read the body under the same timer, so a stalled body times out too.
      const buf = Buffer.from(await res.arrayBuffer());
      return { status: res.status, ok: res.ok, headers: res.headers as unknown as Headers, body: buf };
    } catch (err) {
      const reason = timedOut || (err as Error).message;
      throw new WhatsAppApiError(0, 0, `request to WhatsApp failed: ${reason}`, undefined, true, undefined, !!timedOut || !neverSent(err));
    } finally {
      clearTimeout(timer);
      releaseSlot();
    }
  }

  private async json<T>(method: string, url: string, body?: object | PoolFormData): Promise<T> {
    const res = await this.request(method, url, body);
    const data = safeJson(res.body.toString('utf8'));
    if (!res.ok) throw errorFromResponse(res.status, data);
    return (data ?? {}) as T;
  }
}

interface RawResponse {
  status: number;
  ok: boolean;
  headers: Headers;
  body: Buffer;
}

function safeJson(text: string): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}
