// Whether a video is in an object store, from what the ledger and the lock say (no network).
// The ledger's `stored` records come first; a clone that pulled a video knows it only from the
// lock entry, which counts when it names the same bytes.
import type { LedgerView } from '../ledger/fold-ledger.js';
import type { LockEntry } from '../lock/lock-model.js';
import { objectUrl, videoKey } from './store-location.js';
import type { StoreLocation } from './store-location.js';

/** The stored object URL of these bytes: in `location` when given, else in any store. */
export function storedVideoUrl(ledger: LedgerView, sha256: string, lockEntry: LockEntry | undefined, location?: StoreLocation): string | undefined {
  if (location) {
    const url = objectUrl(location.bucket, videoKey(location, sha256));
    if (ledger.stored.has(url)) return url;
    return lockEntry?.sha256 === sha256 && lockEntry.stored === url ? url : undefined;
  }
  return ledger.storedBySha.get(sha256)?.url ?? (lockEntry?.sha256 === sha256 ? lockEntry.stored : undefined);
}
