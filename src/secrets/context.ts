// The deployment's Secrets, built once per running app from its configuration.
import type { AppContext } from '../context.js';
import { Secrets } from './index.js';

const byCtx = new WeakMap<object, Secrets>();

export function secretsOf(ctx: Pick<AppContext, 'config' | 'logger'>): Secrets {
  // Keyed by the configuration, which a merchant's scoped context shares with the app's.
  let s = byCtx.get(ctx.config);
  if (!s) {
    s = new Secrets({
      key: ctx.config.secretKey,
      previous: ctx.config.previousSecretKeys,
      sandbox: ctx.config.sandbox,
      sandboxSeed: ctx.config.dataDir,
      logger: ctx.logger,
    });
    byCtx.set(ctx.config, s);
  }
  return s;
}
