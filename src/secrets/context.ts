// The deployment's Secrets, built once per running app from its configuration.
import type { AppContext } from '../context.js';
import { Secrets } from './index.js';

const byCtx = new WeakMap<object, Secrets>();

export function secretsOf(ctx: Pick<AppContext, 'config' | 'logger'>): Secrets {
  let s = byCtx.get(ctx);
  if (!s) {
    s = new Secrets({
      key: ctx.config.secretKey,
      previous: ctx.config.previousSecretKeys,
      sandbox: ctx.config.sandbox,
      sandboxSeed: ctx.config.dataDir,
      logger: ctx.logger,
    });
    byCtx.set(ctx, s);
  }
  return s;
}
