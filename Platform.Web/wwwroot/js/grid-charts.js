// Sensitivity charts of a grid page (/grids/{id}): a metric against a numeric axis, one line per
// combination of the other axes, each point mean ± sample std over seeds drawn as an error bar.
// Their toolbox saves PNG and SVG (chart-export.js).
(function () {
  if (!window.echarts || !window.chartExport) return;
  const charts = [];

  function errorBars(line) {
    return {
      type: 'custom', name: line.name, silent: true, z: 1,
      data: line.points.filter(p => p.std != null).map(p => [p.x, p.mean - p.std, p.mean + p.std]),
      renderItem(params, api) {
        const [x, low] = api.coord([api.value(0), api.value(1)]);
        const high = api.coord([api.value(0), api.value(2)])[1];
        const cap = 5;
        const style = { stroke: api.visual('color'), lineWidth: 1.5 };
        return { type: 'group', children: [
          { type: 'line', shape: { x1: x, y1: low, x2: x, y2: high }, style },
          { type: 'line', shape: { x1: x - cap, y1: low, x2: x + cap, y2: low }, style },
          { type: 'line', shape: { x1: x - cap, y1: high, x2: x + cap, y2: high }, style },
        ] };
      },
    };
  }

  function option(chart, metric, instance) {
    const lines = chart.lines.map(l => ({
      name: l.name,
      points: l.points.map(p => ({ x: p.x, mean: p.metrics[metric].mean, std: p.metrics[metric].std, n: p.n, variant: p.variant }))
        .filter(p => p.mean != null),
    }));
    return {
      animation: false,
      legend: { top: 5, left: 10 },
      tooltip: { trigger: 'item', formatter: p => p.data.variant ? `${p.data.variant}: ${p.data.value[1].toFixed(4)} ± ${(p.data.std ?? 0).toFixed(4)} (n = ${p.data.n})` : '' },
      toolbox: chartExport.toolbox(instance, `sensitivity-${chart.axis}-${metric}`),
      grid: { left: 55, right: 20, top: 40, bottom: 45 },
      xAxis: { type: 'value', name: chart.axis, nameLocation: 'middle', nameGap: 28, scale: true },
      yAxis: { type: 'value', name: metric, scale: true },
      series: lines.flatMap(l => [
        { type: 'line', name: l.name, symbolSize: 7, z: 2, data: l.points.map(p => ({ value: [p.x, p.mean], std: p.std, n: p.n, variant: p.variant })) },
        errorBars(l),
      ]),
    };
  }

  document.querySelectorAll('.sensitivity-chart').forEach(element => {
    const chart = JSON.parse(element.dataset.chart);
    const instance = echarts.init(element);
    const select = element.closest('.card').querySelector('.sensitivity-metric');
    const draw = () => instance.setOption(option(chart, select.value, instance), true);
    select.addEventListener('change', draw);
    draw();
    charts.push(instance);
  });
  window.addEventListener('resize', () => charts.forEach(c => c.resize()));
})();
