import { isIP } from 'node:net';

/** Where this process serves Prometheus metrics, if anywhere (docs/operate.md). */
export interface MetricsSettings {
  /** METRICS_PORT: unset → no metrics endpoint and no instrumentation; 0 → any free port (tests). */
  port?: number;
  /** METRICS_HOST: loopback by default, so metrics are never public unless asked for. */
  host: string;
  /** TESSERA_METRICS_TOKEN: when set, a scrape must present it as a bearer token. */
  token?: string;
  /** TESSERA_METRICS_CLIENT_LABELS: label token-endpoint metrics by client id (one series per integration). */
  clientLabels: boolean;
}

export const METRICS_VARIABLES = ['METRICS_PORT', 'METRICS_HOST', 'TESSERA_METRICS_TOKEN', 'TESSERA_METRICS_CLIENT_LABELS'] as const;

const PORT_MESSAGE = "METRICS_PORT must be an integer between 0 and 65535, and not the gateway's PORT";

export function readMetricsSettings(env: Record<string, string | undefined>, gatewayPort: number, problems: string[]): MetricsSettings {
  const blank = (name: string) => (env[name] === undefined || env[name] === '' ? undefined : env[name]!.trim());
  const portText = blank('METRICS_PORT');
  const port = portText === undefined ? undefined : Number(portText);
  // Metrics never share the public port: an operator who wants them there must put a proxy in front on purpose.
  if (port !== undefined && (!/^\d+$/.test(portText!) || port > 65535 || (port !== 0 && port === gatewayPort))) problems.push(PORT_MESSAGE);
  const host = blank('METRICS_HOST') ?? '127.0.0.1';
  if (!isIP(host) && host !== 'localhost') problems.push('METRICS_HOST must be an IP address to listen on (127.0.0.1 by default; 0.0.0.0 for every interface)');
  const token = blank('TESSERA_METRICS_TOKEN');
  if (token !== undefined && (token.length < 16 || /\s/.test(token))) problems.push('TESSERA_METRICS_TOKEN must be at least 16 characters without spaces');
  const clientLabels = blank('TESSERA_METRICS_CLIENT_LABELS') ?? 'false';
  if (clientLabels !== 'true' && clientLabels !== 'false') problems.push('TESSERA_METRICS_CLIENT_LABELS must be true or false');
  return { port, host, token, clientLabels: clientLabels === 'true' };
}
