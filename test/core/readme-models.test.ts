// The README's model table is the catalog's (src/core/catalog/model-table.ts): adding a model
// changes both, and a README edited by hand fails here. UPDATE_README=1 rewrites it.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { MODELS } from '../../src/core/catalog/models.js';
import { renderModelTable, withModelTable } from '../../src/core/catalog/model-table.js';
import { PACKAGE_ROOT } from '../../src/package-root.js';

const README = path.join(PACKAGE_ROOT, 'README.md');

describe('README model table', () => {
  it('is the one the catalog writes', () => {
    const text = readFileSync(README, 'utf8');
    const updated = withModelTable(text);
    assert.ok(updated, 'README.md lost the model table markers');
    if (process.env['UPDATE_README'] === '1' && updated !== text) writeFileSync(README, updated);
    else assert.equal(text, updated, 'README.md model table is stale: rerun this test with UPDATE_README=1');
  });

  it('has one row per model, naming its sizing, durations, prompt limit and regions', () => {
    const rows = renderModelTable().split('\n').slice(2);
    assert.equal(rows.length, MODELS.size);
    const kf2v = rows.find((r) => r.startsWith('| `wan2.2-kf2v-flash`'));
    assert.equal(kf2v, '| `wan2.2-kf2v-flash` (image2video path) | first_frame_url 1, last_frame_url 0–1 | `resolution` 480P/720P/1080P (default 720P) | 5 | optional, ≤ 800, cut beyond | cn-beijing |');
  });
});
