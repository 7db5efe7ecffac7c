// The store a command uses, from the resolved configuration. Emulator runs write under
// `<prefix>/emulator/`, never beside real renders.
import type { ResolvedStore } from '../config/config-types.js';
import { emulatorLocation } from '../core/store/store-location.js';
import type { ObjectStore } from './object-store.js';
import { createS3ObjectStore } from './s3-object-store.js';
import type { StoreSettings } from './s3-object-store.js';

export interface OpenStoreOptions {
  /** The caller's environment; when it is not this process's, its AWS_* credentials are used. */
  env?: NodeJS.ProcessEnv;
  emulator?: boolean;
  partSizeBytes?: number;
}

export function openStore(store: ResolvedStore, opts: OpenStoreOptions = {}): ObjectStore {
  const env = opts.env ?? process.env;
  const id = env['AWS_ACCESS_KEY_ID'];
  const secret = env['AWS_SECRET_ACCESS_KEY'];
  const token = env['AWS_SESSION_TOKEN'];
  // The SDK's chain reads process.env itself; a library caller's own env is honoured here.
  const credentials = env !== process.env && id && secret ? { accessKeyId: id, secretAccessKey: secret, ...(token ? { sessionToken: token } : {}) } : undefined;
  const settings: StoreSettings = {
    location: opts.emulator ? emulatorLocation(store.location) : store.location,
    ...(store.endpoint ? { endpoint: store.endpoint } : {}),
    ...(store.region ? { region: store.region } : {}),
    forcePathStyle: store.forcePathStyle,
    ...(credentials ? { credentials } : {}),
    ...(opts.partSizeBytes ? { partSizeBytes: opts.partSizeBytes } : {}),
  };
  return createS3ObjectStore(settings);
}
