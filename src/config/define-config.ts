// `defineConfig` gives a pixverse.config.ts completion and type checks; it returns its argument.
import type { PixverseConfig } from './config-types.js';

export function defineConfig(config: PixverseConfig): PixverseConfig {
  return config;
}
