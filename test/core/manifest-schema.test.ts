// schemas/manifest.schema.json is generated from the catalog; it must match the generator.
// Regenerate with: UPDATE_SCHEMA=1 node --test dist-<dir>/test/core/manifest-schema.test.js
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { buildManifestSchema } from '../../src/core/manifest/manifest-schema.js';
import { createSchemaChecker } from '../../src/core/manifest/schema-check.js';
import { PACKAGE_ROOT } from '../../src/package-root.js';
import { Ajv } from 'ajv';
import { loadManifest } from '../../src/io/read-manifest.js';

const SCHEMA_FILE = path.join(PACKAGE_ROOT, 'schemas', 'manifest.schema.json');

describe('manifest schema', () => {
  it('the committed schema file equals the generated schema', () => {
    const generated = JSON.stringify(buildManifestSchema(), null, 2) + '\n';
    if (process.env['UPDATE_SCHEMA'] === '1') writeFileSync(SCHEMA_FILE, generated);
    assert.equal(readFileSync(SCHEMA_FILE, 'utf8'), generated, 'schemas/manifest.schema.json is stale: rerun this test with UPDATE_SCHEMA=1');
  });

  it('a plain strict validator (as editors use) accepts the examples, sweeps included', async () => {
    const validate = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true }).compile(JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')));
    for (const file of ['jobs/storyboard.yaml', 'test/fixtures/manifests/valid-sweep.yaml']) {
      const loaded = await loadManifest(path.join(PACKAGE_ROOT, file), { readMedia: false });
      assert.equal(validate(loaded.manifest), true, `${file}: ${JSON.stringify(validate.errors)}`);
    }
    assert.equal(validate({ name: 'n', shots: [{ id: 'a', resolution: ['720P', '9000P'] }] }), false);
  });

  it('lists every catalog model for editor completion', () => {
    const schema = buildManifestSchema() as { properties: { shots: { items: { properties: { model: { enum: string[] } } } } } };
    assert.ok(schema.properties.shots.items.properties.model.enum.includes('wan2.6-i2v-flash'));
  });

  const checker = createSchemaChecker();
  const table: [string, unknown, string | undefined][] = [
    ['valid minimal', { name: 'n', shots: [{ id: 'a' }] }, undefined],
    ['missing name', { shots: [] }, 'missing-key'],
    ['missing shots', { name: 'n' }, 'missing-key'],
    ['unknown top-level key', { name: 'n', shots: [], shot: [] }, 'unknown-key'],
    ['id in defaults', { name: 'n', defaults: { id: 'x' }, shots: [] }, 'unknown-key'],
    ['shots not a list', { name: 'n', shots: { id: 'a' } }, 'wrong-type'],
    ['shot not a mapping', { name: 'n', shots: ['a'] }, 'wrong-type'],
    ['shot without id', { name: 'n', shots: [{ model: 'x' }] }, 'missing-key'],
    ['audio as a string', { name: 'n', shots: [{ id: 'a', audio: 'yes' }] }, 'wrong-type'],
    ['empty sweep', { name: 'n', shots: [{ id: 'a', seed: [] }] }, 'empty-list'],
    ['sweep of wrong type', { name: 'n', shots: [{ id: 'a', seed: [1, 'two'] }] }, 'wrong-type'],
    // Which key carries an item's value (url, id, content) depends on the model: the rules say.
    ['media item without type', { name: 'n', shots: [{ id: 'a', media: [{ url: 'a.png' }] }] }, 'missing-key'],
    ['watermark is not sweepable', { name: 'n', shots: [{ id: 'a', watermark: [true, false] }] }, 'wrong-type'],
  ];
  for (const [name, data, code] of table) {
    it(name, () => {
      const issues = checker.check(data);
      if (code === undefined) assert.deepEqual(issues, []);
      else assert.deepEqual([...new Set(issues.map((i) => i.code))], [code], JSON.stringify(issues));
    });
  }

  it('places a sweep item type error at the item', () => {
    const [issue] = checker.check({ name: 'n', shots: [{ id: 'a', seed: [1, 'two'] }] });
    assert.equal(issue?.pointer, '/shots/0/seed/1');
    assert.match(issue!.message, /seed \(sweep value\) must be an integer/);
  });
});
