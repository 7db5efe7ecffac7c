// What a media url is: remote (sent as is), oss:// (needs the resolve header), or a local file
// relative to the manifest (uploaded through the temporary-upload flow at run time).

export type UrlKind = 'https' | 'http' | 'oss' | 'data' | 'file-url' | 'other-scheme' | 'local';

export function urlKind(url: string): UrlKind {
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(url);
  // One letter before ':' is a Windows drive (C:\media\a.png), not a scheme.
  if (!m || m[1]!.length === 1) return 'local';
  const scheme = m[1]!.toLowerCase();
  if (scheme === 'https') return 'https';
  if (scheme === 'http') return 'http';
  if (scheme === 'oss') return 'oss';
  if (scheme === 'data') return 'data';
  if (scheme === 'file') return 'file-url';
  return 'other-scheme';
}

/** True for urls the planner replaces with a `local:` placeholder and the engine uploads. */
export function isLocalUrl(url: string): boolean {
  return urlKind(url) === 'local';
}

/** The placeholder a local file has in a planned body until the engine uploads it. */
export function localPlaceholder(manifestPath: string): string {
  return `local:${manifestPath}`;
}
