import type { Egress } from '@tessera/egress';

/**
 * The URLs just entered that the egress policy would refuse to call, each as `<field>: <why and the fix>`. Said in the
 * answer to the create or change (as `warnings`) rather than refused: the operator may be about to widen
 * TESSERA_EGRESS_ALLOW, and a name may resolve differently where the broker later runs (docs/decisions/0043).
 */
export async function egressWarnings(egress: Egress, urls: Record<string, string | null | undefined>): Promise<string[]> {
  const warnings = await Promise.all(
    Object.entries(urls).map(async ([field, url]) => {
      const refusal = url ? await egress.refusalFor(url) : undefined;
      return refusal ? `${field}: ${refusal}` : undefined;
    }),
  );
  return warnings.filter((warning): warning is string => warning !== undefined);
}

/** A view with its warnings, when there are any (absent otherwise, so a reply without any equals the resource's GET). */
export function withWarnings<T extends object>(view: T, warnings: string[]): T & { warnings?: string[] } {
  return warnings.length ? { ...view, warnings } : view;
}
