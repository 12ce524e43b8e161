import { IsIn, IsOptional } from 'class-validator';
import { ADMIN_ROLES } from './admin-roles.js';
import { Doc } from './schema.js';

/**
 * On a command that changes what an integration or an outbound token can reach: the role of whoever asked at the
 * edge, which the gateway takes from the caller's verified token (never from the request body). The service holding
 * the data applies the ceiling in the transaction of the change. Absent when a service asks for itself (the
 * registry creating a platform instance's integration), trusted by its bus credential as every bus caller is.
 */
export function CallerRole() {
  return (target: object, property: string): void => {
    Doc("The role of the administrator or integration asking at the edge (set by the gateway); absent: a service's own request")(target, property);
    IsOptional()(target, property);
    IsIn(ADMIN_ROLES, { message: `callerRole must be one of ${ADMIN_ROLES.join(', ')}` })(target, property);
  };
}
