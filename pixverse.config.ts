// Example configuration, used by the README demo. Every value here is optional.
// `pixverse-batch` resolves to the running package wherever the config lives (installed or not).
import { defineConfig } from 'pixverse-batch';

export default defineConfig({
  // PixVerse runs in Beijing only; wan2.6-i2v-flash also runs in ap-southeast-1.
  region: 'cn-beijing',
  outputDir: 'output',
  // The account allows 20 task queries/s in total; keep some for other tools.
  taskQueriesPerSecond: 15,
  polling: { minIntervalMs: 200, maxIntervalMs: 15000 },
  // EXAMPLE PRICES ONLY — illustrative numbers, not Alibaba Cloud's price list.
  // Put your own per-second prices here (by model name or family, per resolution tier).
  prices: {
    currency: 'CNY',
    perSecond: {
      'pixverse-v5.6': { '360P': 0.2, '540P': 0.3, '720P': 0.4, '1080P': 0.8 },
      'pixverse-v6': { '360P': 0.25, '540P': 0.35, '720P': 0.5, '1080P': 1.0 },
      'pixverse-c1': { '360P': 0.25, '540P': 0.35, '720P': 0.5, '1080P': 1.0 },
      'wan2.6-i2v-flash': { '720P': 0.3, '1080P': 0.6 },
    },
  },
  // Refuse a run above these totals unless confirmed.
  budget: { maxBillableSeconds: 300, maxCost: 100 },
});
