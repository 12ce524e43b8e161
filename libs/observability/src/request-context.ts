import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

/** Who asked for what a request does: an administrator (by user id) or an integration (by client id). */
export interface RequestActor {
  type: 'user' | 'integration';
  id: string;
  /** The username or the integration's client id, as the token named it. */
  name?: string;
}

export interface RequestContext {
  /** The platform's own id for the request: always made by the gateway, never taken from the caller. */
  requestId: string;
  /** The X-Request-Id the caller sent, if it was short and plain: recorded apart, never as the platform's id. */
  clientRequestId?: string;
  /** Set by the gateway once the caller is authenticated; travels on the bus so services record who did it. */
  actor?: RequestActor;
  /** The gateway's signed statement that `actor` (a person) made this request; services pass it on untouched. */
  actorProof?: string;
  /** The caller's address as the gateway judged it (trusted proxies applied). */
  address?: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

/** Runs `fn` with a request id that logs and outgoing bus messages carry. */
export function runWithRequestContext<T>(context: RequestContext, fn: () => T): T {
  return storage.run(context, fn);
}

export function currentRequestId(): string | undefined {
  return storage.getStore()?.requestId;
}

export function currentRequestContext(): RequestContext | undefined {
  return storage.getStore();
}

const PLAIN_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Request ids arriving from outside are kept only when they are short and plain, so they cannot forge log lines. */
export function acceptRequestId(candidate: unknown): string {
  return typeof candidate === 'string' && PLAIN_ID.test(candidate) ? candidate : randomUUID();
}

/** A caller's own X-Request-Id, kept (apart from the platform's id) only when it is short and plain. */
export function acceptClientRequestId(candidate: unknown): string | undefined {
  return typeof candidate === 'string' && PLAIN_ID.test(candidate) ? candidate : undefined;
}

export const REQUEST_ID_HEADER = 'x-request-id';
export const ACTOR_HEADER = 'x-tessera-actor';
export const ADDRESS_HEADER = 'x-tessera-address';
export const CLIENT_REQUEST_ID_HEADER = 'x-tessera-client-request-id';
export const ACTOR_PROOF_HEADER = 'x-tessera-actor-proof';

/** The headers a bus message or an outbox row carries for the current request: its id, actor and address. */
export function contextHeaders(context = storage.getStore()): Record<string, string> {
  if (!context) return {};
  const headers: Record<string, string> = { [REQUEST_ID_HEADER]: context.requestId };
  if (context.actor) headers[ACTOR_HEADER] = JSON.stringify(context.actor);
  if (context.actor && context.actorProof) headers[ACTOR_PROOF_HEADER] = context.actorProof;
  if (context.address) headers[ADDRESS_HEADER] = context.address;
  if (context.clientRequestId) headers[CLIENT_REQUEST_ID_HEADER] = context.clientRequestId;
  return headers;
}

/** The context a received message carries; an actor header that is not one is dropped, not trusted in part. */
export function contextFromHeaders(headers: Record<string, string | undefined>): RequestContext {
  const context: RequestContext = { requestId: acceptRequestId(headers[REQUEST_ID_HEADER]) };
  const actor = parseActor(headers[ACTOR_HEADER]);
  if (actor) context.actor = actor;
  const proof = headers[ACTOR_PROOF_HEADER];
  if (actor && typeof proof === 'string' && /^\d{1,12}\.[A-Za-z0-9_-]{1,200}$/.test(proof)) context.actorProof = proof;
  const address = headers[ADDRESS_HEADER];
  if (typeof address === 'string' && /^[0-9A-Fa-f:.]{1,64}$/.test(address)) context.address = address;
  const clientRequestId = acceptClientRequestId(headers[CLIENT_REQUEST_ID_HEADER]);
  if (clientRequestId) context.clientRequestId = clientRequestId;
  return context;
}

function parseActor(text: string | undefined): RequestActor | undefined {
  if (!text) return undefined;
  try {
    const value = JSON.parse(text) as Partial<RequestActor>;
    if ((value.type === 'user' || value.type === 'integration') && typeof value.id === 'string' && value.id.length <= 200) {
      return { type: value.type, id: value.id, ...(typeof value.name === 'string' ? { name: value.name.slice(0, 200) } : {}) };
    }
  } catch {
    // not JSON: no actor
  }
  return undefined;
}
