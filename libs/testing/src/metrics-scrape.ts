import { createRequire } from 'node:module';

/** The shape of parse-prometheus-text-format's output (prom2json's), as far as the tests read it: it ships no types. */
interface ParsedSample {
  labels?: Record<string, string>;
  value?: string;
}
interface ParsedFamily {
  name: string;
  help: string;
  type: 'COUNTER' | 'GAUGE' | 'HISTOGRAM' | 'SUMMARY' | 'UNTYPED';
  metrics: ParsedSample[];
}
const parsePrometheusTextFormat = createRequire(import.meta.url)('parse-prometheus-text-format') as (text: string) => ParsedFamily[];

/**
 * One scrape of a Prometheus endpoint, parsed by a library (parse-prometheus-text-format), read by name and labels.
 * That parser folds a histogram's series into one and keeps only unlabelled ones, so histograms are handed to it
 * without their TYPE line: their `_bucket`, `_sum` and `_count` series then parse as ordinary labelled samples.
 */
export class MetricsScrape {
  private readonly families: Map<string, ParsedFamily>;
  private readonly histograms = new Set<string>();

  constructor(readonly text: string) {
    const lines = text.split('\n').filter((line) => {
      const [hash, keyword, name, type] = line.split(' ');
      if (hash !== '#' || keyword !== 'TYPE' || type !== 'histogram') return true;
      this.histograms.add(name);
      return false;
    });
    this.families = new Map();
    // Untyped, a histogram's `_bucket`, `_sum` and `_count` lines alternate per label set: each run parses as a family.
    for (const family of parsePrometheusTextFormat(lines.join('\n'))) {
      const seen = this.families.get(family.name);
      if (seen) seen.metrics.push(...family.metrics);
      else this.families.set(family.name, family);
    }
  }

  names(): string[] {
    return [...this.families.keys(), ...this.histograms];
  }

  family(name: string): Pick<ParsedFamily, 'name' | 'type'> | undefined {
    if (this.histograms.has(name)) return { name, type: 'HISTOGRAM' };
    return this.families.get(name);
  }

  /** The series of a family whose labels include `labels`. */
  series(name: string, labels: Record<string, string> = {}): ParsedSample[] {
    return (this.families.get(name)?.metrics ?? []).filter((sample) => Object.entries(labels).every(([key, value]) => sample.labels?.[key] === value));
  }

  /** The sum of a counter's or gauge's matching series (0 when none). */
  value(name: string, labels: Record<string, string> = {}): number {
    return this.series(name, labels).reduce((sum, sample) => sum + Number(sample.value ?? 0), 0);
  }

  /** How many observations a histogram's matching series hold (0 when none). */
  count(name: string, labels: Record<string, string> = {}): number {
    return this.value(`${name}_count`, labels);
  }

  /** Every label value of every series, for checking that none holds an id. */
  labelValues(): string[] {
    return [...this.families.values()].flatMap((family) => family.metrics.flatMap((sample) => Object.values(sample.labels ?? {})));
  }
}

/** GETs a metrics endpoint over HTTP and parses it; throws on anything but 200. */
export async function scrapeMetrics(url: string, token?: string): Promise<MetricsScrape> {
  const response = await fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`scrape of ${url} answered ${response.status}: ${text.slice(0, 200)}`);
  return new MetricsScrape(text);
}
