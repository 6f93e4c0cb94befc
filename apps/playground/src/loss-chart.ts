import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

/** A live line chart of losses (or accuracies) against the step, drawn with uPlot. */
export interface LossChart {
  push(step: number, values: (number | null)[]): void;
  reset(): void;
}

const colors = ['#2563eb', '#dc2626', '#059669', '#d97706'];

export function createLossChart(
  parent: HTMLElement,
  seriesNames: string[],
  size: { width: number; height: number },
): LossChart {
  const data: (number | null)[][] = [[], ...seriesNames.map(() => [])];
  const plot = new uPlot(
    {
      ...size,
      scales: { x: { time: false } },
      axes: [{ label: 'step' }, {}],
      series: [
        { label: 'step' },
        ...seriesNames.map((label, i) => ({
          label,
          stroke: colors[i % colors.length],
          width: 1.5,
          // Series measured every few steps (test accuracy) join their points.
          spanGaps: true,
        })),
      ],
      legend: { live: false },
    },
    data as uPlot.AlignedData,
    parent,
  );
  // Redraw at most once per animation frame, however many steps were pushed.
  let pending = false;
  const redraw = () => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      plot.setData(data as uPlot.AlignedData);
    });
  };
  return {
    push(step, values) {
      data[0]!.push(step);
      values.forEach((v, i) => data[i + 1]!.push(v));
      redraw();
    },
    reset() {
      for (const column of data) column.length = 0;
      plot.setData(data as uPlot.AlignedData);
    },
  };
}
