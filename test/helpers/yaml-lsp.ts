// The real yaml-language-server (the one VS Code's YAML extension and other editors run), spoken
// to over stdio with the Language Server Protocol: open a document, collect its diagnostics.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export interface Diagnostic {
  message: string;
  severity?: number;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
}

export interface YamlLanguageServer {
  /** Opens a file's text (or changes it, when open) as the editor would and resolves with the diagnostics published for it. */
  diagnose(file: string, text: string): Promise<Diagnostic[]>;
  close(): Promise<void>;
}

export function startYamlLanguageServer(): Promise<YamlLanguageServer> {
  const bin = path.join(path.dirname(createRequire(import.meta.url).resolve('yaml-language-server/package.json')), 'bin', 'yaml-language-server');
  const child = spawn(process.execPath, [bin, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
  const waiting = new Map<number | string, (message: LspMessage) => void>();
  const diagnostics = new Map<string, (d: Diagnostic[]) => void>();
  let nextId = 1;
  let version = 0;
  const open = new Set<string>();
  readMessages(child, (message) => {
    if (message.id !== undefined && message.method === undefined) waiting.get(message.id)?.(message);
    else if (message.method === 'textDocument/publishDiagnostics') {
      const params = message.params as { uri: string; diagnostics: Diagnostic[] };
      diagnostics.get(params.uri)?.(params.diagnostics);
    } else if (message.id !== undefined) {
      // Requests from the server (workspace/configuration, client/registerCapability…).
      const items = (message.params as { items?: unknown[] } | undefined)?.items;
      send(child, { jsonrpc: '2.0', id: message.id, result: items ? items.map(() => ({ validate: true, schemaStore: { enable: false } })) : null });
    }
  });
  const request = (method: string, params: unknown): Promise<LspMessage> =>
    new Promise((resolve) => {
      const id = nextId++;
      waiting.set(id, resolve);
      send(child, { jsonrpc: '2.0', id, method, params });
    });
  const notify = (method: string, params: unknown): void => send(child, { jsonrpc: '2.0', method, params });
  return (async () => {
    await request('initialize', { processId: process.pid, rootUri: null, capabilities: { workspace: { configuration: true } } });
    notify('initialized', {});
    notify('workspace/didChangeConfiguration', { settings: { yaml: { validate: true, schemaStore: { enable: false } } } });
    return {
      diagnose(file, text) {
        const uri = pathToFileURL(file).href;
        return new Promise<Diagnostic[]>((resolve) => {
          diagnostics.set(uri, (d) => {
            diagnostics.delete(uri);
            resolve(d);
          });
          // Documents stay open: closing one publishes an empty list, which a later call could take for its answer.
          if (open.has(uri)) notify('textDocument/didChange', { textDocument: { uri, version: ++version }, contentChanges: [{ text }] });
          else notify('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: ++version, text } });
          open.add(uri);
        });
      },
      async close() {
        await request('shutdown', null);
        notify('exit', null);
        await new Promise<void>((resolve) => (child.exitCode !== null ? resolve() : child.on('exit', () => resolve())));
      },
    };
  })();
}

interface LspMessage {
  id?: number | string;
  method?: string;
  params?: unknown;
  result?: unknown;
}

function send(child: ChildProcessWithoutNullStreams, message: object): void {
  const body = Buffer.from(JSON.stringify(message), 'utf8');
  child.stdin.write(`Content-Length: ${body.length}\r\n\r\n`);
  child.stdin.write(body);
}

/** LSP framing: `Content-Length: N` headers, a blank line, N bytes of JSON. */
function readMessages(child: ChildProcessWithoutNullStreams, onMessage: (m: LspMessage) => void): void {
  let buffer = Buffer.alloc(0);
  child.stdout.on('data', (chunk: Buffer) => {
    buffer = Buffer.concat([buffer, chunk]);
    for (;;) {
      const end = buffer.indexOf('\r\n\r\n');
      if (end < 0) return;
      const length = Number(/Content-Length: (\d+)/i.exec(buffer.subarray(0, end).toString('ascii'))?.[1]);
      if (buffer.length < end + 4 + length) return;
      onMessage(JSON.parse(buffer.subarray(end + 4, end + 4 + length).toString('utf8')) as LspMessage);
      buffer = buffer.subarray(end + 4 + length);
    }
  });
}
