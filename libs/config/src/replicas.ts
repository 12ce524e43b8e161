/** The processes `npm start` runs in distributed mode, and how many of each (TESSERA_REPLICAS). */
export const SERVICE_NAMES = ['auth-server', 'integrations-registry', 'outbound-token-broker', 'gateway'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];
const MAX_REPLICAS = 16;
export const REPLICAS_MESSAGE = `TESSERA_REPLICAS must be a count for every service (2) or service=count pairs (gateway=2,auth-server=3) of ${SERVICE_NAMES.join(', ')}; 1-${MAX_REPLICAS} each`;
export const REPLICAS_PATTERN = new RegExp(`^(\\d+|(${SERVICE_NAMES.join('|')})=\\d+(,(${SERVICE_NAMES.join('|')})=\\d+)*)$`);

/** TESSERA_REPLICAS as a count per service (1 each unless it says otherwise); a count out of range is a problem. */
export function parseReplicas(value: string | undefined, problems: string[]): Record<ServiceName, number> {
  const replicas = Object.fromEntries(SERVICE_NAMES.map((name) => [name, 1])) as Record<ServiceName, number>;
  if (!value || !REPLICAS_PATTERN.test(value)) return replicas;
  const pairs = /^\d+$/.test(value) ? SERVICE_NAMES.map((name) => [name, value]) : value.split(',').map((pair) => pair.split('='));
  for (const [name, count] of pairs) replicas[name as ServiceName] = Number(count);
  if (Object.values(replicas).some((n) => !Number.isInteger(n) || n < 1 || n > MAX_REPLICAS)) problems.push(REPLICAS_MESSAGE);
  return replicas;
}
