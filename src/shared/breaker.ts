/**
 * A small circuit breaker per provider: after `threshold` consecutive transient failures, calls
 * fail fast for `coolDownMs`, so a gateway that is down does not make every customer wait for timeouts.
 * After the cool-down one trial call goes through (half-open): success closes the circuit, another
 * transient failure opens it again at once. Errors that retrying cannot fix (a refused request) do not
 * count: the provider answered.
 */
export interface CircuitBreakerOptions {
  threshold?: number;
  coolDownMs?: number;
  /** clock, for tests */
  now?: () => number;
}

export class CircuitBreaker {
  private failures = 0;
  private openUntil = 0;
  private trialInFlight = false;
  private readonly threshold: number;
  private readonly coolDownMs: number;
  private readonly now: () => number;

  constructor(readonly name: string, opts: CircuitBreakerOptions = {}) {
    this.threshold = opts.threshold ?? 3;
    this.coolDownMs = opts.coolDownMs ?? 30_000;
    this.now = opts.now ?? Date.now;
  }

  /** True while calls fail fast. */
  get isOpen(): boolean {
    return this.now() < this.openUntil;
  }

  /** Milliseconds until a trial call is allowed again (0 when closed or half-open). */
  get retryInMs(): number {
    return Math.max(0, this.openUntil - this.now());
  }

  private get halfOpen(): boolean {
    return !this.isOpen && this.failures >= this.threshold;
  }

  async run<T>(fn: () => Promise<T>, isTransient: (err: unknown) => boolean): Promise<T> {
    if (this.isOpen) throw new CircuitOpenError(this.name, this.retryInMs);
    const trial = this.halfOpen;
    if (trial) {
      // Only one caller probes a gateway that was down; the others keep failing fast meanwhile.
      if (this.trialInFlight) throw new CircuitOpenError(this.name, 0);
      this.trialInFlight = true;
    }
    try {
      const result = await fn();
      this.failures = 0;
      this.openUntil = 0;
      return result;
    } catch (err) {
      if (isTransient(err)) {
        this.failures++;
        if (this.failures >= this.threshold) this.openUntil = this.now() + this.coolDownMs;
      } else if (trial) {
        // The provider answered (even if with a refusal): it is up again.
        this.failures = 0;
      }
      throw err;
    } finally {
      if (trial) this.trialInFlight = false;
    }
  }

  /**
   * The provider just reached us on its own (a signed notification), so it is likely up: end the
   * cool-down now and let one trial call through, rather than leave that notification waiting for it.
   */
  heardFrom(): void {
    if (this.isOpen) this.openUntil = this.now();
  }

  /** Closes the circuit (an operator who knows the provider is back, or a test skipping the cool-down). */
  reset(): void {
    this.failures = 0;
    this.openUntil = 0;
  }
}

export class CircuitOpenError extends Error {
  readonly transient = true;
  constructor(name: string, readonly retryInMs = 0) {
    super(`${name} is unavailable (circuit open)`);
  }
}
