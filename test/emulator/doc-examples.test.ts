// The request bodies the official pages print in their curl examples (test/fixtures/doc-examples,
// copied byte for byte, independent of the catalog's own tables) must be accepted by all three
// places that judge a request: the manifest validator (as a shot), plan (the body it would POST
// carries every field of the example unchanged, plus only pinned defaults) and the emulator (the
// example's bytes POSTed to the example's path over loopback HTTP).
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { MODELS } from '../../src/core/catalog/models.js';
import { expandShots } from '../../src/core/manifest/expand-shots.js';
import { planShot, type LocalFileFacts } from '../../src/core/plan/plan-shots.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { PACKAGE_ROOT } from '../../src/package-root.js';
import { checkManifest, errors, oneShot, show } from '../helpers/manifest-test-kit.js';
import { submit } from '../helpers/emulator-http.js';

interface Example {
  path: string;
  body: string;
}
interface Fixture {
  pages: { page: string; examples: Example[] }[];
}

const FIXTURES = path.join(PACKAGE_ROOT, 'test', 'fixtures', 'doc-examples');
const fixtures = readdirSync(FIXTURES)
  .filter((f) => f.endsWith('.json'))
  .map((f) => JSON.parse(readFileSync(path.join(FIXTURES, f), 'utf8')) as Fixture);

/** Models the pages show that the catalog leaves out on purpose (older generations). */
const NOT_IN_CATALOG = new Set(['wanx2.1-i2v-turbo', 'wanx2.1-kf2v-plus']);
/** "示例已截断，仅做演示": base64 the page cut short, refused as a malformed data: URI. */
const TRUNCATED = /;base64,[A-Za-z0-9+/]*\.\.\.\.\.\./;

type Json = Record<string, any>;
const examples = fixtures.flatMap((fixture) => fixture.pages).flatMap((p) => p.examples.map((e, i) => ({ ...e, page: p.page, index: i, json: JSON.parse(e.body) as Json })));
const served = examples.filter((e) => MODELS.has(e.json.model));

function shotOf(body: Json): Record<string, unknown> {
  return { model: body.model, ...body.input, ...body.parameters };
}

function label(e: (typeof examples)[number]): string {
  return `${e.json.model} (${e.page.split('/').pop()} #${e.index + 1})`;
}

describe('the pages’ example bodies', () => {
  let emu: RunningEmulator;
  before(async () => {
    const generous = { submitsPerSecond: 10_000, runningTasks: 1000 };
    const families = Object.fromEntries([...MODELS.values()].map((m) => [m.quota.family, generous]));
    emu = await startEmulator({ timeScale: 1000, quotas: { families } });
  });
  after(() => emu.close());

  it('name only catalog models, apart from the older ones left out on purpose', () => {
    const unknown = examples.map((e) => e.json.model as string).filter((m) => !MODELS.has(m));
    assert.deepEqual([...new Set(unknown)].sort(), [...NOT_IN_CATALOG].sort());
    assert.ok(served.length >= 30, `${served.length} examples`);
  });

  for (const e of served) {
    const truncated = TRUNCATED.test(e.body);
    it(`${label(e)}: the validator ${truncated ? 'refuses the truncated base64 only' : 'accepts it'}`, () => {
      // A model documented only on workspace hosts is checked as sent to one (its pages' URLs are).
      const host = MODELS.get(e.json.model)?.workspaceOnly ? 'workspace' : 'dashscope';
      const issues = errors(checkManifest(oneShot(shotOf(e.json)), { host }));
      if (!truncated) assert.deepEqual(issues, [], show(issues));
      else assert.ok(issues.length > 0 && issues.every((i) => i.code === 'url-scheme'), show(issues));
    });

    if (truncated) continue;
    it(`${label(e)}: plan writes every field as the page does, plus pinned defaults only`, () => {
      const [shot] = expandShots(oneShot(shotOf(e.json))).shots;
      const plan = planShot(shot!.shot, { localFiles: new Map<string, LocalFileFacts>() });
      assert.equal(plan.endpoint, e.path);
      for (const part of ['input', 'parameters'] as const) {
        const planned = plan.body[part] as Json;
        for (const [key, value] of Object.entries(e.json[part] ?? {})) {
          // An empty prompt (Kling's customised multi-shot example) is left out: the same request.
          if (value === '' && planned[key] === undefined) continue;
          assert.deepEqual(planned[key], value, `${part}.${key}`);
        }
        const extra = Object.keys(planned).filter((k) => !(k in (e.json[part] ?? {})));
        assert.deepEqual(extra.filter((k) => !plan.pinned.includes(k)), [], `${part}: keys the page does not send and that are not pinned`);
      }
    });

    it(`${label(e)}: the emulator takes its bytes at ${e.path}`, async () => {
      const r = await submit(emu, e.body, { path: e.path });
      assert.equal(r.status, 200, JSON.stringify(r.json));
      assert.equal(r.json.output.task_status, 'PENDING');
    });
  }
});
