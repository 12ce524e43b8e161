/** `key=value` lines ⇄ a string record: how the console edits extra OAuth parameters and token variables. */
export function parseRecord(text: string): Record<string, string> {
  const record: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (!trimmed) continue;
    const at = trimmed.indexOf('=');
    if (at <= 0) record[trimmed] = '';
    else record[trimmed.slice(0, at).trim()] = trimmed.slice(at + 1).trim();
  }
  return record;
}

export function formatRecord(record: Record<string, string> | null | undefined): string {
  return Object.entries(record ?? {})
    .map(([key, value]) => `${key}=${value}`)
    .join('\n');
}
