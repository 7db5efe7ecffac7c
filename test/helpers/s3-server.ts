// A real S3-compatible server on loopback for the store tests: s3rver (a filesystem-backed fake
// S3 in Node), started by the test, spoken to through the real AWS SDK over real sockets. Every
// request it receives is counted here, so a test can say on the server side what was uploaded.
// It checks no signatures (only that the access key is known: S3RVER), so refused credentials
// other than an unknown key come from `startRefusingS3` below.
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';

export const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
/** What a spawned CLI needs in its environment to reach the test server. */
export function s3Env(s3: { endpoint: string }): Record<string, string> {
  return {
    AWS_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
    AWS_ENDPOINT_URL_S3: s3.endpoint,
    AWS_REGION: 'us-east-1',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
}

export interface SeenRequest {
  method: string;
  /** Path without the query (`/bucket/key`). */
  path: string;
  query: string;
  headers: IncomingMessage['headers'];
}

export interface TestS3 {
  endpoint: string;
  port: number;
  requests: SeenRequest[];
  /** PUT/POST requests that wrote to a key under `prefix` (`/bucket/<prefix>`). */
  writesUnder(bucketAndPrefix: string): SeenRequest[];
  /** Every key of the bucket with its bytes. */
  objects(bucket: string): Promise<Map<string, Buffer>>;
  /** Stops answering (connections dropped); the data stays on disk. */
  stop(): Promise<void>;
  /** Starts again on the same port with the same data. */
  start(): Promise<void>;
  close(): Promise<void>;
}

export async function startS3(opts: { buckets: string[] }): Promise<TestS3> {
  const dir = await mkdtemp(path.join(tmpdir(), 'pixverse-s3-'));
  const requests: SeenRequest[] = [];
  let server: S3rver | undefined;
  let port = 0;
  const boot = async (): Promise<void> => {
    server = new S3rver({ address: '127.0.0.1', port, silent: true, directory: dir, configureBuckets: opts.buckets.map((name) => ({ name })) });
    const info = await server.run();
    port = info.port;
    server.httpServer.prependListener('request', (req: IncomingMessage) => {
      const [p, q = ''] = (req.url ?? '').split('?');
      requests.push({ method: req.method ?? '', path: decodeURIComponent(p!), query: q, headers: req.headers });
    });
  };
  const halt = async (): Promise<void> => {
    if (!server) return;
    const s = server;
    server = undefined;
    s.httpServer.closeAllConnections();
    await s.close();
  };
  await boot();
  const endpoint = `http://127.0.0.1:${port}`;
  process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
  // Reads only; no checksum mode either, so the request log holds only what the code under test sent.
  const client = new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials: S3RVER_CREDENTIALS, requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' });
  return {
    endpoint,
    port,
    requests,
    writesUnder: (prefix) => requests.filter((r) => (r.method === 'PUT' || r.method === 'POST') && r.path.startsWith(`/${prefix}`)),
    async objects(bucket) {
      const out = new Map<string, Buffer>();
      let token: string | undefined;
      do {
        const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, ...(token ? { ContinuationToken: token } : {}) }));
        for (const o of page.Contents ?? []) {
          const got = await client.send(new GetObjectCommand({ Bucket: bucket, Key: o.Key! }));
          out.set(o.Key!, Buffer.from(await got.Body!.transformToByteArray()));
        }
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
      return out;
    },
    stop: halt,
    start: boot,
    async close() {
      client.destroy();
      await halt();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A loopback server that answers every request as S3 does when it refuses the credentials
 * (403 with an S3 error document). Stands in only for what s3rver cannot produce: it checks no
 * signatures, so it can never say SignatureDoesNotMatch or AccessDenied.
 */
export async function startRefusingS3(code: 'SignatureDoesNotMatch' | 'AccessDenied'): Promise<{ endpoint: string; requests: number; close(): Promise<void> }> {
  const state = { requests: 0 };
  const message = code === 'AccessDenied' ? 'Access Denied' : 'The request signature we calculated does not match the signature you provided. Check your key and signing method.';
  const server: Server = createServer((req, res) => {
    state.requests++;
    req.resume();
    req.on('end', () => {
      const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><RequestId>4442587FB7D0A2F9</RequestId></Error>`;
      res.writeHead(403, { 'content-type': 'application/xml', 'x-amz-request-id': '4442587FB7D0A2F9', ...(req.method === 'HEAD' ? {} : { 'content-length': Buffer.byteLength(body) }) });
      res.end(req.method === 'HEAD' ? undefined : body);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    get requests() {
      return state.requests;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
