/**
 * A local OTLP/HTTP sink for the tracing runs of bench:tokens: a child process that answers every export 200 and
 * counts what it was sent, so the platform pays the whole cost of exporting and none of a real collector's.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';

const SINK = `
const http = require('node:http');
let exports = 0, bytes = 0;
http.createServer((req, res) => {
  if (req.method === 'GET') return res.end(JSON.stringify({ exports, bytes }));
  req.on('data', (chunk) => { bytes += chunk.length; });
  req.on('end', () => { exports++; res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end(); });
}).listen(0, '127.0.0.1', function () { process.stdout.write(String(this.address().port) + '\\n'); });
`;

export interface TraceSink {
  url: string;
  pid: number;
  /** Export requests and bytes received so far. */
  stats(): Promise<{ exports: number; bytes: number }>;
  stop(): Promise<void>;
}

export async function startTraceSink(): Promise<TraceSink> {
  const child = spawn(process.execPath, ['-e', SINK], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [chunk] = (await once(child.stdout!, 'data')) as [Buffer];
  const url = `http://127.0.0.1:${chunk.toString().trim()}`;
  return {
    url,
    pid: child.pid!,
    stats: async () => (await (await fetch(url)).json()) as { exports: number; bytes: number },
    stop: async () => {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}
