// In-memory manifest checks for core tests: schema + expansion + catalog rules, no files.
import { expandShots } from '../../src/core/manifest/expand-shots.js';
import type { LocalFileInfo } from '../../src/core/manifest/manifest-types.js';
import { createSchemaChecker } from '../../src/core/manifest/schema-check.js';
import { validateShots } from '../../src/core/manifest/validate-shots.js';
import type { Issue, Region } from '../../src/core/types.js';

const checker = createSchemaChecker();

export interface CheckOptions {
  region?: Region;
  /** The host kind requests go to (default the shared DashScope host). */
  host?: 'dashscope' | 'workspace' | 'custom';
  localFiles?: Map<string, LocalFileInfo>;
}

/** Every issue of a manifest given as data. */
export function checkManifest(data: unknown, opts: CheckOptions = {}): Issue[] {
  const expansion = expandShots(data);
  return [
    ...checker.check(data),
    ...expansion.issues,
    ...validateShots(expansion.shots, { region: opts.region ?? 'cn-beijing', ...(opts.host ? { host: opts.host } : {}), ...(opts.localFiles ? { localFiles: opts.localFiles } : {}) }),
  ];
}

/** A manifest with one shot (plus optional defaults). */
export function oneShot(shot: Record<string, unknown>, defaults?: Record<string, unknown>): unknown {
  return { name: 'test', ...(defaults ? { defaults } : {}), shots: [{ id: 's', ...shot }] };
}

export function errors(issues: readonly Issue[]): Issue[] {
  return issues.filter((i) => i.severity === 'error');
}

export function warnings(issues: readonly Issue[]): Issue[] {
  return issues.filter((i) => i.severity === 'warning');
}

/** A compact rendering for assertion messages. */
export function show(issues: readonly Issue[]): string {
  return issues.map((i) => `${i.severity} ${i.code} ${i.pointer ?? ''}: ${i.message}`).join('\n') || '(no issues)';
}

export function fileInfo(manifestPath: string, facts: Partial<LocalFileInfo>): LocalFileInfo {
  return {
    manifestPath,
    absPath: `/m/${manifestPath}`,
    exists: true,
    isFile: true,
    bytes: 1000,
    format: 'png',
    width: 800,
    height: 600,
    sha256: 'ab'.repeat(32),
    ...facts,
  };
}
