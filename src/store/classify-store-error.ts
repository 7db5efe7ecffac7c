// SDK and network errors → StoreError with a kind a user can act on and a message that names the
// store, never a credential. S3-compatible services answer with the same error codes as S3
// (OSS adds SecondLevelDomainForbidden); a HEAD has no body, so only its status is known.
import { StoreError } from './object-store.js';
import type { StoreErrorKind } from './object-store.js';

const CREDENTIAL_CODES = new Set([
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'AccessDenied',
  'ExpiredToken',
  'InvalidToken',
  'TokenRefreshRequired',
  'InvalidSecurity',
  'AccountProblem',
  'AllAccessDisabled',
  'InvalidClientTokenId',
  'UnrecognizedClientException',
  'Forbidden',
]);
const REGION_CODES = new Set(['PermanentRedirect', 'AuthorizationHeaderMalformed', 'IllegalLocationConstraintException', 'IncorrectEndpoint']);
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'ECONNABORTED', 'UND_ERR_SOCKET']);

interface SdkErrorLike {
  name?: string;
  code?: string;
  Code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
  $response?: { statusCode?: number };
  cause?: unknown;
}

function networkCode(e: SdkErrorLike | undefined, depth = 0): string | undefined {
  if (!e || depth > 3) return undefined;
  if (typeof e.code === 'string' && NETWORK_CODES.has(e.code)) return e.code;
  if (e.name === 'TimeoutError' || e.name === 'RequestTimeout' || e.code === 'ETIMEDOUT') return 'Timeout';
  return networkCode(e.cause as SdkErrorLike | undefined, depth + 1);
}

/** `what` names the operation and object for the message, e.g. `PUT s3://b/videos/….mp4`. */
export function classifyStoreError(error: unknown, ctx: { what: string; bucket: string; endpoint: string }): StoreError {
  if (error instanceof StoreError) return error;
  const e = (error ?? {}) as SdkErrorLike;
  const status = e.$metadata?.httpStatusCode ?? e.$response?.statusCode;
  const code = e.Code ?? (e.name && e.name !== 'Error' ? e.name : undefined) ?? e.code ?? 'Error';
  // The service's own message (never carries a secret key); SDK-made messages for bare statuses say little.
  const said = typeof e.message === 'string' && e.message && e.message !== 'UnknownError' ? e.message.split('\n')[0]! : '';
  const make = (kind: StoreErrorKind, text: string, c = code): StoreError => new StoreError(kind, c, `${ctx.what}: ${text}`, status);

  const net = networkCode(e);
  if (net && status === undefined) return make('unreachable', `the store endpoint ${ctx.endpoint} cannot be reached (${net})`, net);
  if (e.name === 'CredentialsProviderError' || /could not load credentials/i.test(said)) {
    return make('no-credentials', 'no credentials found (set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE for a shared profile)', 'NoCredentials');
  }
  if (code === 'NoSuchBucket') return make('missing-bucket', `the bucket '${ctx.bucket}' does not exist at ${ctx.endpoint} (NoSuchBucket)`);
  if (code === 'SecondLevelDomainForbidden') {
    return make('path-style', `the service refuses path-style requests (${code}); remove forcePathStyle from the store settings (Alibaba OSS needs virtual-hosted style)`);
  }
  if (REGION_CODES.has(code) || status === 301) {
    return make('wrong-region', `the bucket '${ctx.bucket}' is in another region than the one signed for (${code}); set store.region to the bucket's region`);
  }
  if (CREDENTIAL_CODES.has(code) || status === 403 || status === 401) {
    return make('credentials', `the store refused the credentials (${code}${said && said !== code ? `: ${said}` : ''})`);
  }
  if (code === 'NoSuchKey' || code === 'NotFound' || status === 404) return make('not-found', `not in the store (${code})`);
  if (status !== undefined && status >= 500) return make('unavailable', `the store answered ${status} (${code}${said && said !== code ? `: ${said}` : ''})`);
  return make('other', `${code}${said && said !== code ? `: ${said}` : ''}${status !== undefined ? ` (HTTP ${status})` : ''}`);
}
