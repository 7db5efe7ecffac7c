// Which addressing style an endpoint can take. Virtual-hosted style (`bucket.host/key`) is the
// default everywhere (AWS, and Alibaba OSS, which refuses path style); a bucket cannot be a
// subdomain of an IP address or of localhost, so those endpoints (MinIO, s3rver on a laptop) get
// path style (`host/bucket/key`). Pure.

/** True for an endpoint whose host is an IP address or localhost. */
export function needsPathStyle(endpoint: string | undefined): boolean {
  if (!endpoint) return false;
  let host: string;
  try {
    host = new URL(endpoint).hostname.toLowerCase();
  } catch {
    return false;
  }
  return host === 'localhost' || host.endsWith('.localhost') || /^\d+\.\d+\.\d+\.\d+$/.test(host) || host.startsWith('[');
}
