/** A bar of a chart: its label and its value. */
export interface Bar {
  label: string;
  value: number;
}

const ROW = 26;
const LABEL_WIDTH = 150;
const VALUE_WIDTH = 90;
const WIDTH = 560;

/**
 * A horizontal bar chart as inline SVG, drawn by hand (no chart library: a few rectangles cost
 * nothing of the bundle budget). The picture is one image with a summary for assistive technology;
 * the figures themselves are in the data table the view puts beside it.
 */
export function BarChart(props: { id: string; title: string; bars: readonly Bar[]; format: (value: number) => string }) {
  const { bars } = props;
  const max = Math.max(...bars.map((b) => b.value), 0);
  const span = WIDTH - LABEL_WIDTH - VALUE_WIDTH;
  const height = Math.max(bars.length, 1) * ROW;
  const largest = bars.reduce<Bar | undefined>((top, b) => (!top || b.value > top.value ? b : top), undefined);
  const summary = largest ? `${props.title}: ${bars.length} bars, the largest ${largest.label} at ${props.format(largest.value)}. The table beside it holds every figure.` : `${props.title}: nothing to show.`;
  return (
    <svg class="chart" viewBox={`0 0 ${WIDTH} ${height}`} width={WIDTH} height={height} role="img" aria-labelledby={`${props.id}-title`}>
      <title id={`${props.id}-title`}>{summary}</title>
      {bars.map((bar, i) => {
        const y = i * ROW;
        const length = max > 0 ? Math.max((bar.value / max) * span, bar.value > 0 ? 1 : 0) : 0;
        return (
          <g key={bar.label} aria-hidden="true">
            <text x={LABEL_WIDTH - 8} y={y + ROW / 2} text-anchor="end" dominant-baseline="central">
              {bar.label.length > 20 ? `${bar.label.slice(0, 19)}…` : bar.label}
            </text>
            <rect x={LABEL_WIDTH} y={y + 4} width={length} height={ROW - 8} class="bar" />
            <text x={LABEL_WIDTH + length + 6} y={y + ROW / 2} dominant-baseline="central">
              {props.format(bar.value)}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
