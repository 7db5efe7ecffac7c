// Which URL a model's input field takes, decided the same way by the validator (before anything is
// sent) and by the emulator (on the wire). The error-code page documents the service's answer to
// anything else: 400 InvalidURL, "Invalid URL provided in your request."
import type { UrlRule, UrlScheme } from './model-entry.js';

export const INVALID_URL = { status: 400, code: 'InvalidURL', message: 'Invalid URL provided in your request.' } as const;

const DATA_URI = /^data:[\w.+-]+\/[\w.+-]+;base64,[A-Za-z0-9+/=\r\n]+$/;

/**
 * The scheme of a well-formed URL, or undefined for anything that is not one of the four kinds a
 * model can take: a local path, `file://`, `ftp://`, an http(s) URL without a host, a `data:`
 * URI that is not base64, free text.
 */
export function urlSchemeOf(url: string): UrlScheme | undefined {
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(url)?.[1]?.toLowerCase();
  if (scheme === 'http' || scheme === 'https') {
    // WHATWG parsing forgives `https:///a.png` (host `a.png`); a server-side fetcher does not.
    if (!/^https?:\/\/[^/\s?#]+/i.test(url)) return undefined;
    try {
      return new URL(url).hostname !== '' ? scheme : undefined;
    } catch {
      return undefined;
    }
  }
  if (scheme === 'oss') return /^oss:\/\/[^/\s]+\/\S+$/i.test(url) ? 'oss' : undefined;
  if (scheme === 'data') return DATA_URI.test(url) ? 'data' : undefined;
  return undefined;
}

/** True when the field takes this URL as it stands. */
export function urlAccepted(rule: UrlRule, url: string): boolean {
  const scheme = urlSchemeOf(url);
  return scheme !== undefined && rule.schemes.includes(scheme);
}

const SCHEME_NAMES: Readonly<Record<UrlScheme, string>> = {
  http: 'http://',
  https: 'https://',
  oss: 'oss:// (temporary upload)',
  data: 'data:…;base64',
};

/** "https://, http://, oss:// (temporary upload)" — for messages. */
export function describeSchemes(rule: UrlRule): string {
  const order: UrlScheme[] = ['https', 'http', 'oss', 'data'];
  return order.filter((s) => rule.schemes.includes(s)).map((s) => SCHEME_NAMES[s]).join(', ');
}
