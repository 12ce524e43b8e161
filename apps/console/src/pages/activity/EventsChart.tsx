import { CATEGORIES, type MinuteBucket } from './minute-buckets';

const WIDTH = 720;
const HEIGHT = 160;
const PAD = { left: 32, bottom: 20, top: 8 };

/** Stacked bars per minute for the last hour, drawn as plain SVG (no chart library); the totals are in its label. */
export function EventsChart({ buckets }: { buckets: MinuteBucket[] }) {
  const totals = buckets.map((b) => CATEGORIES.reduce((sum, c) => sum + b.counts[c], 0));
  const max = Math.max(1, ...totals);
  const barWidth = (WIDTH - PAD.left) / buckets.length;
  const y = (value: number) => ((HEIGHT - PAD.bottom - PAD.top) * value) / max;
  const sums = Object.fromEntries(CATEGORIES.map((c) => [c, buckets.reduce((s, b) => s + b.counts[c], 0)]));
  const summary = `Events per minute, last hour: ${sums.issued} tokens issued, ${sums.refreshed} refreshed, ${sums.revoked} revoked, ${sums.other} other; at most ${max} in one minute.`;
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={summary} data-testid="events-chart">
        <line x1={PAD.left} x2={WIDTH} y1={HEIGHT - PAD.bottom} y2={HEIGHT - PAD.bottom} className="axis" />
        <text x={PAD.left - 4} y={PAD.top + 8} className="tick" textAnchor="end">
          {max}
        </text>
        <text x={PAD.left - 4} y={HEIGHT - PAD.bottom} className="tick" textAnchor="end">
          0
        </text>
        <text x={PAD.left} y={HEIGHT - 4} className="tick">
          60 min ago
        </text>
        <text x={WIDTH} y={HEIGHT - 4} className="tick" textAnchor="end">
          now
        </text>
        {buckets.map((bucket, i) => {
          let base = HEIGHT - PAD.bottom;
          return (
            <g key={bucket.start}>
              <title>{`${new Date(bucket.start).toLocaleTimeString()}: ${CATEGORIES.map((c) => `${bucket.counts[c]} ${c}`).join(', ')}`}</title>
              {CATEGORIES.map((category) => {
                const h = y(bucket.counts[category]);
                base -= h;
                return h > 0 ? (
                  <rect key={category} className={`bar ${category}`} x={PAD.left + i * barWidth + 1} y={base} width={Math.max(1, barWidth - 2)} height={h} />
                ) : null;
              })}
            </g>
          );
        })}
      </svg>
      <figcaption>
        {CATEGORIES.map((c) => (
          <span key={c} className="legend">
            <span className={`swatch ${c}`} aria-hidden="true" />
            {c} ({sums[c]})
          </span>
        ))}
      </figcaption>
    </figure>
  );
}
