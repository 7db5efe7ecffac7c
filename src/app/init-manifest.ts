// `pixverse init`'s job: write a starter manifest whose modeline names this package's schema.
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { UserError } from '../core/errors.js';
import { manifestNameOf, starterManifest } from '../core/manifest/starter-manifest.js';
import { displayPath } from '../io/display-path.js';
import { PACKAGE_ROOT } from '../package-root.js';

export interface InitResult {
  /** The manifest as shown to the user (relative to the cwd). */
  shown: string;
  /** The schema as the modeline names it. */
  schemaPath: string;
  /** True when the modeline names the project's own node_modules/pixverse-batch (holds on every clone). */
  fromProject: boolean;
}

/**
 * The schema the modeline names, as the manifest's editor should find it: the project's installed
 * package (relative, so it holds on every clone), else this installation when the manifest lies
 * inside it (a checkout of this repo: relative too), else this installation's absolute path (a
 * global install: the path of this machine).
 */
export function modelineSchemaPath(manifestDir: string): { schemaPath: string; fromProject: boolean } {
  // Found by walking up as Node would, but without resolving symlinks (an `npm link`ed package
  // keeps its node_modules path, which is what a clone of the project has).
  let file: string | undefined;
  for (let dir = manifestDir; !file; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', 'pixverse-batch', 'schemas', 'manifest.schema.json');
    if (existsSync(candidate)) file = candidate;
    if (path.dirname(dir) === dir) break;
  }
  const own = path.join(PACKAGE_ROOT, 'schemas', 'manifest.schema.json');
  const inside = !path.relative(PACKAGE_ROOT, manifestDir).startsWith('..');
  const relative = (to: string) => path.relative(manifestDir, to).split(path.sep).join('/');
  if (file && !inside) return { schemaPath: relative(file), fromProject: true };
  return { schemaPath: inside ? relative(own) : own, fromProject: false };
}

export async function initManifest(file: string, opts: { cwd: string; force?: boolean }): Promise<InitResult> {
  const abs = path.resolve(opts.cwd, file);
  const shown = displayPath(opts.cwd, abs);
  if (!/\.ya?ml$/i.test(abs)) throw new UserError('invalid-input', 'usage', `${shown}: a manifest is a .yaml file`, `pixverse init ${shown}.yaml`);
  if (existsSync(abs) && !opts.force) throw new UserError('invalid-input', 'exists', `${shown} exists; nothing was written`, 'choose another name, or add --force to overwrite it');
  const dir = path.dirname(abs);
  const { schemaPath, fromProject } = modelineSchemaPath(dir);
  await mkdir(dir, { recursive: true });
  await writeFile(abs, starterManifest({ name: manifestNameOf(path.basename(abs)), schemaPath }));
  return { shown, schemaPath, fromProject };
}
