/**
 * Nesting limits for request bodies and documents: checked on the text, before any parser or validator recurses into
 * it, so a deeply nested body is a 400 and never a stack overflow (a 500) or a parser stuck on it.
 */
export const MAX_BODY_DEPTH = 64;
/** YAML block nesting, as columns of indentation plus `- ` / `? ` prefixes on one line. */
export const MAX_YAML_INDENT = 512;

/** How deep `[`/`{` nest in JSON (or YAML flow) text, strings skipped; stops counting at `limit + 1`. */
export function bracketDepth(text: string, limit = MAX_BODY_DEPTH): number {
  let depth = 0;
  let deepest = 0;
  let quote = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
      continue;
    }
    if (c === '"') quote = c;
    else if (c === '[' || c === '{') {
      if (++depth > deepest) deepest = depth;
      if (deepest > limit) return deepest;
    } else if (c === ']' || c === '}') depth--;
  }
  return deepest;
}

/** Deepest block nesting in YAML text: indentation and compact `- - - x` sequences on each line. */
export function yamlIndentDepth(text: string): number {
  let deepest = 0;
  for (const line of text.split('\n')) {
    const indent = /^[ \t]*/.exec(line)![0].length;
    // Each `- `, `? ` or `: ` on a line can open one more level (`a: - - - x`).
    const markers = line.match(/(?:^|[ \t])[-?:](?=[ \t]|$)/g)?.length ?? 0;
    deepest = Math.max(deepest, indent + 2 * markers);
  }
  return deepest;
}

/** Whether JSON or YAML text nests too deep to be parsed safely (recursion, or a parser's quadratic time). */
export function nestsTooDeep(text: string): boolean {
  return bracketDepth(text) > MAX_BODY_DEPTH || yamlIndentDepth(text) > MAX_YAML_INDENT;
}
