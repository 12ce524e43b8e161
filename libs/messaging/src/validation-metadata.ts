import { getMetadataStorage, type MetadataStorage } from 'class-validator';

type Lookup = MetadataStorage['getTargetValidationMetadatas'];
const MEMOIZED = Symbol.for('tessera.validation-metadata.memoized');

/**
 * class-validator looks a class's rules up again on every `validate`: it walks every decorated class of the process
 * (hundreds, with contracts) to collect inherited ones, ~5 % of auth-server's CPU per token. The rules only change
 * when a decorator runs (at import), so each answer is kept until the next rule is added. Idempotent.
 */
export function memoizeValidationMetadata(storage: MetadataStorage = getMetadataStorage()): void {
  const patched = storage as MetadataStorage & { [MEMOIZED]?: true };
  if (patched[MEMOIZED]) return;
  patched[MEMOIZED] = true;
  const lookup: Lookup = storage.getTargetValidationMetadatas.bind(storage);
  const addValidation = storage.addValidationMetadata.bind(storage);
  let answers = new Map<Parameters<Lookup>[0], Map<string, ReturnType<Lookup>>>();
  storage.addValidationMetadata = (metadata) => {
    answers = new Map();
    addValidation(metadata);
  };
  storage.getTargetValidationMetadatas = (target, schema, always, strictGroups, groups) => {
    const key = `${schema}\u0000${always}\u0000${strictGroups}\u0000${groups?.join('\u0000') ?? ''}`;
    let byOptions = answers.get(target);
    if (!byOptions) answers.set(target, (byOptions = new Map()));
    let found = byOptions.get(key);
    if (!found) byOptions.set(key, (found = lookup(target, schema, always, strictGroups, groups)));
    return found;
  };
}
