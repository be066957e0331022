// Small in-process histograms for /metrics: how long a webhook took to acknowledge, and how long a
// customer waited from our receiving their message to the first reply going out.
export class Histogram {
  readonly counts: number[];
  sum = 0;
  count = 0;

  constructor(readonly name: string, readonly help: string, readonly buckets: number[]) {
    this.counts = new Array<number>(buckets.length + 1).fill(0);
  }

  observe(ms: number): void {
    this.sum += ms;
    this.count++;
    let i = 0;
    while (i < this.buckets.length && ms > this.buckets[i]!) i++;
    this.counts[i]!++;
  }

  /** Prometheus text (seconds, cumulative buckets). */
  render(): string[] {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`];
    let acc = 0;
    this.buckets.forEach((b, i) => {
      acc += this.counts[i]!;
      lines.push(`${this.name}_bucket{le="${b / 1000}"} ${acc}`);
    });
    acc += this.counts[this.buckets.length]!;
    lines.push(`${this.name}_bucket{le="+Inf"} ${acc}`, `${this.name}_sum ${this.sum / 1000}`, `${this.name}_count ${this.count}`);
    return lines;
  }
}

const MS = [5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000];

export const ackLatency = new Histogram('pesan_webhook_ack_seconds', 'Time from a WhatsApp webhook arriving to its 200 (this instance)', MS);
export const replyLatency = new Histogram(
  'pesan_webhook_to_reply_seconds',
  'Time from a customer message being received to the first reply to it being accepted by WhatsApp (this instance)',
  MS,
);

/** Conversations whose latest answered message still waits for its first reply to go out. */
const awaiting = new Map<number, number>();

export function noteAnswered(conversationId: number, receivedAt: Date | string | null | undefined): void {
  if (!receivedAt || awaiting.has(conversationId)) return;
  awaiting.set(conversationId, new Date(receivedAt).getTime());
  if (awaiting.size > 100_000) awaiting.clear(); // a crash-free bound: sends of another instance never come back here
}

export function noteReplySent(conversationId: number): void {
  const at = awaiting.get(conversationId);
  if (at === undefined) return;
  awaiting.delete(conversationId);
  replyLatency.observe(Date.now() - at);
}
