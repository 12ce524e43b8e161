/**
 * What a lenient server might do to a path before routing it: decode repeatedly, fold \ and Unicode dots, drop
 * ;params and controls, resolve dots. The oracle the proxy-containment tests judge every forwarded path by.
 */
export function leniently(path: string): string {
  let current = path;
  for (let i = 0; i < 5; i++) {
    try {
      current = decodeURIComponent(current);
    } catch {
      current = unescape(current);
    }
  }
  current = current
    .normalize('NFKC')
    .replace(/[\u3002\uff0e\uff61\u2024\ufe52]/g, '.')
    .replace(/\\/g, '/')
    .replace(/[\u0000-\u001f\u007f]/g, '');
  const out: string[] = [];
  for (const raw of current.split('/')) {
    const segment = raw.split(';')[0];
    if (segment === '..') out.pop();
    else if (segment !== '.') out.push(segment);
  }
  return out.join('/');
}
