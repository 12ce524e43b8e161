export const REDACTED = '[redacted]';
/** Shorter values are not searched for: they would blank out ordinary words, and no real secret is that short. */
const MIN_SECRET_LENGTH = 6;

/**
 * The text with every occurrence of the given secrets replaced, in the forms they travel in (as is, URL-encoded,
 * form-encoded). Used wherever a message is built from someone else's words — a provider's error, an upstream's
 * failure — that may echo back what we sent it.
 */
export function redactSecrets(text: string, secrets: readonly (string | null | undefined)[]): string {
  const forms = new Set<string>();
  for (const secret of secrets) {
    if (!secret || secret.length < MIN_SECRET_LENGTH) continue;
    forms.add(secret);
    forms.add(encodeURIComponent(secret));
    forms.add(encodeURIComponent(secret).replace(/%20/g, '+'));
    forms.add(JSON.stringify(secret).slice(1, -1));
  }
  // Longest first, so a secret that contains another is replaced whole.
  return [...forms].sort((a, b) => b.length - a.length).reduce((result, form) => result.split(form).join(REDACTED), text);
}
