/**
 * A small circuit breaker per provider: after `threshold` consecutive transient failures, calls
 * fail fast for `coolDownMs`, so a gateway that is down does not make every customer wait for timeouts.
 */
export class CircuitBreaker {
  private failures = 0;
  private openUntil = 0;

  constructor(readonly name: string, private threshold = 3, private coolDownMs = 30_000) {}

  get isOpen(): boolean {
    return Date.now() < this.openUntil;
  }

  async run<T>(fn: () => Promise<T>, isTransient: (err: unknown) => boolean): Promise<T> {
    if (this.isOpen) throw new CircuitOpenError(this.name);
    try {
      const result = await fn();
      this.failures = 0;
      return result;
    } catch (err) {
      if (isTransient(err)) {
        this.failures++;
        if (this.failures >= this.threshold) this.openUntil = Date.now() + this.coolDownMs;
      }
      throw err;
    }
  }
}

export class CircuitOpenError extends Error {
  readonly transient = true;
  constructor(name: string) {
    super(`${name} is unavailable (circuit open)`);
  }
}
