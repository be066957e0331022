// Event-loop lag of this process: how late a short timer fires. A saturated loop makes every timer
// and every network answer late at once, so a timeout measured by the wall clock alone blames the
// other side for our own delay. Callers use `lagSince` to subtract the time the loop was busy, the
// dispatcher slows intake while the lag is high, and /metrics reports it.
import { performance } from 'node:perf_hooks';

const TICK_MS = 20;
let last = performance.now();
let total = 0;
let current = 0;
let max = 0;
let timer: NodeJS.Timeout | undefined;

/** Histogram buckets (ms) of observed lag, for /metrics. */
export const LAG_BUCKETS = [5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000];
const counts = new Array<number>(LAG_BUCKETS.length + 1).fill(0);
let samples = 0;
let sum = 0;

function observe(): void {
  const t = performance.now();
  const drift = Math.max(0, t - last - TICK_MS);
  last = t;
  total += drift;
  // A slowly decaying view of the recent lag: one late tick counts, then fades within ~half a second.
  current = Math.max(drift, current * 0.8);
  max = Math.max(max, drift);
  samples++;
  sum += drift;
  let i = 0;
  while (i < LAG_BUCKETS.length && drift > LAG_BUCKETS[i]!) i++;
  counts[i]!++;
}

/** Starts sampling (idempotent; the timer does not keep the process alive). */
export function startLoopLag(): void {
  if (timer) return;
  last = performance.now();
  timer = setInterval(observe, TICK_MS);
  timer.unref();
}

/** Cumulative lag in ms, brought up to date now (so a long block just ended is counted). */
export function lagTotal(): number {
  const t = performance.now();
  const pending = Math.max(0, t - last - TICK_MS);
  return total + pending;
}

/** Recent event-loop lag in ms (decaying maximum of the last samples). */
export function currentLag(): number {
  return Math.max(current, Math.max(0, performance.now() - last - TICK_MS));
}

export function lagHistogram(): { buckets: number[]; counts: number[]; sum: number; count: number; max: number } {
  return { buckets: LAG_BUCKETS, counts: [...counts], sum, count: samples, max };
}
