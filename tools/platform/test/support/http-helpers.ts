// Small HTTP helpers every end-to-end file uses; no platform code here, so a file on the shared platform loads light.

/** A free loopback port (the one helper in libs/testing). */
export { freeTcpPort as freePort } from '@tessera/testing';

export function form(values: Record<string, string>): { body: string; headers: Record<string, string> } {
  return { body: new URLSearchParams(values).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } };
}

export function basic(clientId: string, secret: string): string {
  return `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(secret)}`).toString('base64')}`;
}

export async function json<T = Record<string, unknown>>(response: Response): Promise<T> {
  return (await response.json()) as T;
}
