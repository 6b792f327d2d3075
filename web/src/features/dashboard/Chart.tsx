/**
 * One ECharts chart with an accessible name and a table alternative: the chart is an image to assistive technology
 * (role img + aria-label), the same figures are in a table that is visually hidden until "Show as table" is pressed,
 * so screen-reader users always have it and keyboard users can open it. Only the charts and components the
 * dashboards use are registered, so the chunk stays small.
 */
import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { Button, Group, Paper, Text, Title, VisuallyHidden } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import * as echarts from 'echarts/core';
import { BarChart, HeatmapChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, MarkLineComponent, TooltipComponent, VisualMapComponent } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';
import { ScrollX } from '../../lib/ScrollX';

echarts.use([BarChart, LineChart, HeatmapChart, GridComponent, LegendComponent, MarkLineComponent, TooltipComponent, VisualMapComponent, SVGRenderer]);

export type ChartOption = echarts.EChartsCoreOption;

export function Chart({ option, label, height = 300 }: { option: ChartOption; label: string; height?: number }) {
  const ref = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.EChartsType | null>(null);
  useEffect(() => {
    if (!ref.current) return;
    const c = echarts.init(ref.current, undefined, { renderer: 'svg' });
    chart.current = c;
    const ro = new ResizeObserver(() => c.resize());
    ro.observe(ref.current);
    return () => {
      ro.disconnect();
      c.dispose();
      chart.current = null;
    };
  }, []);
  useEffect(() => {
    chart.current?.setOption(option, { notMerge: true });
  }, [option]);
  return <div ref={ref} role="img" aria-label={label} style={{ width: '100%', height }} />;
}

/** A titled panel: heading, optional controls, the chart, and its table (hidden until asked for). */
export function ChartPanel({ title, description, controls, chart, table, testId }: {
  title: string;
  description?: ReactNode;
  controls?: ReactNode;
  chart: ReactNode;
  table: ReactNode;
  testId?: string;
}) {
  const { t } = useTranslation('dashboard');
  const [showTable, setShowTable] = useState(false);
  const id = useId();
  return (
    <Paper withBorder p="md" component="section" aria-labelledby={`${id}-title`} data-testid={testId}>
      <Group justify="space-between" align="flex-start" mb="xs">
        <div>
          <Title order={2} size="h4" id={`${id}-title`}>{title}</Title>
          {description && <Text size="sm" c="dimmed">{description}</Text>}
        </div>
        <Group gap="xs">
          {controls}
          <Button size="xs" variant="default" aria-expanded={showTable} aria-controls={`${id}-table`} onClick={() => setShowTable((v) => !v)}>
            {showTable ? t('chart.hideTable') : t('chart.showTable')}
          </Button>
        </Group>
      </Group>
      {chart}
      <div id={`${id}-table`}>{showTable ? <ScrollX label={title}>{table}</ScrollX> : <VisuallyHidden>{table}</VisuallyHidden>}</div>
    </Paper>
  );
}
