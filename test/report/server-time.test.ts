import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverTimeToIso } from '../../src/core/report/server-time.js';

// The server's clock is UTC+8: 16:00 in Beijing is 08:00 UTC.
for (const [server, iso] of [
  ['2026-11-21 16:00:00.000', '2026-11-21T08:00:00.000Z'],
  ['2025-09-24 14:05:09.123', '2025-09-24T06:05:09.123Z'],
  // Before 08:00 in Beijing is the previous day in UTC (and across a year boundary).
  ['2026-01-01 03:30:00.5', '2025-12-31T19:30:00.500Z'],
  ['2024-03-01 07:59:59', '2024-02-29T23:59:59.000Z'],
  // Already carrying an offset: normalised, not shifted twice.
  ['2026-11-21T08:00:00.000Z', '2026-11-21T08:00:00.000Z'],
  ['2026-11-21T16:00:00.000+08:00', '2026-11-21T08:00:00.000Z'],
  ['2026-11-21T03:00:00-0500', '2026-11-21T08:00:00.000Z'],
] as const) {
  test(`server time ${server} is ${iso}`, () => assert.equal(serverTimeToIso(server), iso));
}

for (const bad of ['', 'yesterday', '2026-13-01 00:00:00.000', '2026-02-30 10:00:00', '2026-11-21 24:00:00', '20261121160000', undefined, null]) {
  test(`server time ${JSON.stringify(bad)} is null`, () => assert.equal(serverTimeToIso(bad), null));
}
