/** One thing wrong with a template, named by provider and field so the message says where to look. */
export interface CatalogProblem {
  /** The template's id (or its file name when the id itself is missing or wrong). */
  provider: string;
  /** A field path such as tokenUrl, variables.subdomain or sources[2].supports; empty for the file as a whole. */
  field: string;
  message: string;
}

export function describeProblem(problem: CatalogProblem): string {
  return problem.field ? `${problem.provider}: ${problem.field}: ${problem.message}` : `${problem.provider}: ${problem.message}`;
}

/** The catalog (or one template) failed its checks; `problems` lists every reason, not just the first. */
export class CatalogError extends Error {
  constructor(readonly problems: CatalogProblem[]) {
    super(
      `the provider catalog has ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n${problems.map((p) => `  - ${describeProblem(p)}`).join('\n')}`,
    );
    this.name = 'CatalogError';
  }
}
