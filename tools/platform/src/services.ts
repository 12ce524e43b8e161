/** The four services, in start order; kept apart from platform.ts so the launcher can name them without loading them. */
export type ServiceKey = 'auth-server' | 'integrations-registry' | 'outbound-token-broker' | 'gateway';
export const ALL_SERVICES: ServiceKey[] = ['auth-server', 'integrations-registry', 'outbound-token-broker', 'gateway'];
