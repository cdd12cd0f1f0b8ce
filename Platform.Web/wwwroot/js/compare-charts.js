// Charts of the compare page (/compare), drawn with ECharts from /api/compare: overlaid learning
// curves (a series per run), the test confusion matrices at each run's best epoch side by side
// (counts or row-normalised), and per-class F1 bars grouped by class. "Mean over seeds per
// variant" draws a matrix, a bar and a validation curve per variant instead: the mean of its runs'
// row-normalised matrices, the mean F1 with ± one sample standard deviation as error bars, and
// the mean validation weighted F1 per epoch in a ± std band (all from SQL).
(function () {
  const root = document.getElementById('compare-charts');
  if (!root || !window.echarts) return;

  // 20 distinguishable colours (Tableau 20), so twenty runs do not share one.
  const palette = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac',
    '#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];
  const lossChart = echarts.init(document.getElementById('compare-loss-chart'));
  const f1Chart = echarts.init(document.getElementById('compare-f1-chart'));
  const classChart = echarts.init(document.getElementById('class-f1-chart'));
  const confusionGrid = document.getElementById('confusion-grid');
  const status = document.getElementById('compare-status');
  const countsInput = document.getElementById('cells-counts');
  const normalisedInput = document.getElementById('cells-normalised');
  let confusionCharts = [];
  let data = null;
  let countsWereShown = countsInput.checked;
  // Bars of one class stand this far apart; the error bars are placed with the same layout.
  const barLayout = { barGap: '20%', barCategoryGap: '25%' };

  const grouping = () => document.querySelector('input[name="compare-group"]:checked').value;
  const fixed = (value, digits) => (value == null ? '–' : value.toFixed(digits));

  document.querySelectorAll('input[name="compare-group"]').forEach(input => input.addEventListener('change', () => {
    // The address keeps the grouping, so a link to the page opens as it is seen.
    const url = new URL(location.href);
    url.searchParams.set('group', grouping());
    history.replaceState(null, '', url);
    draw();
  }));
  document.querySelectorAll('input[name="confusion-cells"]').forEach(input => input.addEventListener('change', drawConfusions));
  window.addEventListener('resize', () => [lossChart, f1Chart, classChart, ...confusionCharts].forEach(c => c.resize()));

  async function load() {
    const response = await fetch(`/api/compare?${root.dataset.query}`);
    if (!response.ok) {
      status.textContent = `The chart data did not load (${response.status}).`;
      return;
    }
    data = await response.json();
    // A run keeps its colour in every chart; grouped by variant, runs take their variant's colour.
    const experiments = [...new Set(data.runs.map(r => r.experimentId))];
    data.runs.forEach((run, i) => {
      run.color = palette[i % palette.length];
      run.groupColor = palette[experiments.indexOf(run.experimentId) % palette.length];
    });
    data.variants.forEach(v => { v.color = palette[experiments.indexOf(v.experimentId) % palette.length]; });
    draw();
  }

  function draw() {
    const byVariant = grouping() === 'variant';
    // Means over seeds are means of row-normalised matrices: counts have no mean to show. The
    // choice made for single runs comes back with them.
    if (byVariant && !countsInput.disabled) {
      countsWereShown = countsInput.checked;
      normalisedInput.checked = true;
    } else if (!byVariant && countsInput.disabled) {
      countsInput.checked = countsWereShown;
      normalisedInput.checked = !countsWereShown;
    }
    countsInput.disabled = byVariant;
    status.textContent = byVariant
      ? `${data.variants.length} variant${data.variants.length === 1 ? '' : 's'}: ${data.variants.map(v => `${v.name} (n = ${v.n})`).join(', ')}`
      : '';
    // The runs table above shows which colour is which run.
    data.runs.forEach(run => {
      const cell = document.querySelector(`#compared-runs tr[data-run-id="${run.id}"] td`);
      if (cell) cell.style.boxShadow = `inset 5px 0 ${byVariant ? run.groupColor : run.color}`;
    });
    drawCurves(byVariant);
    drawConfusions();
    drawClassF1(byVariant);
  }

  // A series per run; grouped by variant, a variant's runs share its name and colour, so its
  // legend entry shows or hides all of its seeds.
  function curveSeries(byVariant, points, extra) {
    return data.runs.filter(r => points(r).length > 0).map(run => ({
      name: byVariant ? run.group : run.name, runName: run.name, type: 'line', data: points(run),
      itemStyle: { color: byVariant ? run.groupColor : run.color }, lineStyle: { width: 1.5 }, ...extra,
    }));
  }

  function curveOption(chart, fileName, series, byVariant, axes) {
    return {
      toolbox: chartExport.toolbox(chart, fileName, { dataZoom: {}, restore: {} }),
      legend: { type: 'scroll', top: 5, left: 10, right: 120 },
      tooltip: byVariant
        ? { trigger: 'item', formatter: p => `${series[p.seriesIndex].runName}<br>${axes.x} ${fixed(p.value[0], 0)}: ${fixed(p.value[1], 4)}` }
        : { trigger: 'axis', valueFormatter: v => fixed(v, 4) },
      grid: { left: 60, right: 20, top: 45, bottom: 45 },
      xAxis: { type: 'value', name: axes.x, nameLocation: 'middle', nameGap: 25, minInterval: axes.x === 'epoch' ? 1 : 0 },
      yAxis: { type: 'value', name: axes.y, nameLocation: 'middle', nameGap: 42, scale: true },
      series,
    };
  }

  function drawCurves(byVariant) {
    const loss = curveSeries(byVariant, r => r.loss, { showSymbol: false });
    lossChart.setOption(curveOption(lossChart, 'compare-loss', loss, byVariant, { x: 'step', y: 'loss' }), true);
    const f1 = byVariant ? meanCurveSeries() : curveSeries(false, r => r.validationWeightedF1, { symbolSize: 5 });
    const option = curveOption(f1Chart, 'compare-validation-f1', f1, byVariant, { x: 'epoch', y: 'weighted F1' });
    if (byVariant) {
      option.legend.data = data.variants.map(v => v.name);
      option.tooltip = { trigger: 'axis', formatter: meanCurveTooltip };
    }
    f1Chart.setOption(option, true);
  }

  // Grouped by variant, validation F1 is a variant's mean over its seeds per epoch with a band of
  // ± one sample standard deviation: a line, and under it a polygon drawn as one custom series.
  function meanCurveSeries() {
    return data.variants.flatMap(v => {
      const points = v.validationWeightedF1; // [epoch, mean, std, n]
      const band = points.filter(p => p[2] != null);
      return [
        { name: v.name, type: 'line', data: points.map(p => [p[0], p[1]]), symbolSize: 5, itemStyle: { color: v.color }, lineStyle: { width: 2 }, z: 3 },
        {
          name: v.name, type: 'custom', silent: true, tooltip: { show: false }, z: 2, data: band.map(p => [p[0], p[1] - p[2], p[1] + p[2]]),
          encode: { x: 0, y: [1, 2] },
          // Drawn once, at the first point, as the polygon through every low point and back through the high ones.
          renderItem: (params, api) => {
            if (params.dataIndex !== 0 || band.length < 2) return null;
            const low = band.map(p => api.coord([p[0], p[1] - p[2]]));
            const high = band.map(p => api.coord([p[0], p[1] + p[2]])).reverse();
            return { type: 'polygon', shape: { points: [...low, ...high] }, style: { fill: v.color, opacity: 0.18 } };
          },
        },
      ];
    });
  }

  function meanCurveTooltip(params) {
    const lines = params.filter(p => p.seriesType === 'line').map(p => {
      const variant = data.variants.find(v => v.name === p.seriesName);
      const point = variant?.validationWeightedF1.find(q => q[0] === p.value[0]);
      return point ? `${p.marker}${p.seriesName}: ${fixed(point[1], 4)}${point[2] != null ? ` ± ${fixed(point[2], 4)}` : ''} (n = ${point[3]})` : '';
    });
    return [`epoch ${params[0] ? fixed(params[0].value[0], 0) : ''}`, ...lines].join('<br>');
  }

  // One panel per run (or per variant): a heatmap, or why there is none yet.
  function drawConfusions() {
    confusionCharts.forEach(c => c.dispose());
    confusionCharts = [];
    const byVariant = grouping() === 'variant';
    const panels = byVariant
      ? data.variants.map(v => ({
          title: `${v.name} · mean of ${v.n} seed${v.n === 1 ? '' : 's'}`, color: v.color, labels: v.labels,
          values: v.meanRowNormalised, normalised: true, file: `confusion-${v.name}`,
        }))
      : data.runs.map(r => r.test
          ? { title: `${r.name} · epoch ${r.test.epoch}`, color: r.color, labels: r.test.labels,
              values: normalisedInput.checked ? rowNormalised(r.test.counts, r.test.labels.length) : r.test.counts,
              normalised: normalisedInput.checked, file: `confusion-run-${r.id}` }
          : { title: r.name, color: r.color, missing: `No test confusion matrix at a best epoch yet (${r.status}).` });
    // Few panels get more room; twenty still fit four to a row on a wide screen.
    const width = panels.length <= 2 ? 'col-lg-6' : panels.length <= 3 ? 'col-lg-4' : 'col-xxl-3 col-lg-4 col-md-6';
    const columns = panels.map(panel => {
      const column = document.createElement('div');
      column.className = `${width} confusion-panel`;
      const box = document.createElement('div');
      box.className = 'border rounded h-100';
      box.style.borderTop = `4px solid ${panel.color}`;
      column.appendChild(box);
      if (panel.missing) {
        box.innerHTML = '<div class="p-2 small"></div>';
        box.firstChild.textContent = `${panel.title}: ${panel.missing}`;
      } else {
        const chartDiv = document.createElement('div');
        chartDiv.className = 'chart-small confusion-chart';
        box.appendChild(chartDiv);
      }
      return column;
    });
    confusionGrid.replaceChildren(...columns);
    // Drawn once in the page, where the panels have their width.
    panels.forEach((panel, i) => {
      const chartDiv = columns[i].querySelector('.confusion-chart');
      if (!chartDiv) return;
      const chart = echarts.init(chartDiv);
      chart.setOption(heatmapOption(chart, panel));
      confusionCharts.push(chart);
    });
  }

  function rowNormalised(counts, n) {
    const values = [];
    for (let t = 0; t < n; t++) {
      const row = counts.slice(t * n, (t + 1) * n);
      const support = row.reduce((a, b) => a + b, 0);
      row.forEach(c => values.push(support === 0 ? 0 : c / support));
    }
    return values;
  }

  function heatmapOption(chart, panel) {
    const n = panel.labels.length;
    const cells = panel.values.map((value, i) => [i % n, Math.floor(i / n), value]);
    const text = v => (panel.normalised ? v.toFixed(2) : String(v));
    return {
      toolbox: chartExport.toolbox(chart, panel.file.replace(/[^\w.-]+/g, '_'), {}),
      title: { text: panel.title, left: 8, top: 4, textStyle: { fontSize: 12 } },
      tooltip: { formatter: p => `true ${panel.labels[p.value[1]]}, predicted ${panel.labels[p.value[0]]}: ${text(p.value[2])}` },
      grid: { left: 85, right: 12, top: 32, bottom: 62 },
      xAxis: { type: 'category', data: panel.labels, name: 'predicted', nameLocation: 'middle', nameGap: 46, axisLabel: { rotate: 30, fontSize: 10 } },
      yAxis: { type: 'category', data: panel.labels, name: 'true', nameLocation: 'middle', nameGap: 70, inverse: true, axisLabel: { fontSize: 10 } },
      // Row-normalised matrices share the 0..1 scale so their colours compare across panels.
      visualMap: { show: false, min: 0, max: panel.normalised ? 1 : Math.max(1, ...panel.values), inRange: { color: ['#f7fbff', '#6baed6', '#08306b'] } },
      series: [{ type: 'heatmap', data: cells, label: { show: true, fontSize: 10, formatter: p => text(p.value[2]) } }],
    };
  }

  // Bars grouped by class: one per run, or one per variant with its ± std error bar (a custom
  // series drawn at the centre of the variant's bar, from ECharts' own grouped-bar layout).
  function drawClassF1(byVariant) {
    const classes = data.classes;
    const at = (labels, values, c) => { const i = labels.indexOf(c); return i < 0 ? null : values[i]; };
    let series;
    if (!byVariant) {
      series = data.runs.filter(r => r.test).map(r => ({
        name: r.name, type: 'bar', ...barLayout, itemStyle: { color: r.color }, data: classes.map(c => at(r.test.labels, r.test.f1, c)),
      }));
    } else {
      const bars = data.variants.map(v => ({
        name: v.name, type: 'bar', ...barLayout, itemStyle: { color: v.color },
        data: classes.map(c => at(v.labels, v.f1Mean, c)), std: classes.map(c => (v.f1Std ? at(v.labels, v.f1Std, c) : null)),
      }));
      const errorBars = bars.map((bar, index) => ({
        name: bar.name, type: 'custom', z: 3, tooltip: { show: false },
        data: classes.map((c, i) => (bar.data[i] != null && bar.std[i] != null ? [i, bar.data[i] - bar.std[i], bar.data[i] + bar.std[i]] : [i, null, null])),
        encode: { x: 0, y: [1, 2] },
        renderItem: (params, api) => {
          if (api.value(1) == null || isNaN(api.value(1))) return null;
          // Only the variants shown in the legend take a place in each class's group of bars.
          const shown = api.currentSeriesIndices().filter(i => i < bars.length);
          const slot = shown.indexOf(index);
          if (slot < 0) return null;
          const layout = api.barLayout({ ...barLayout, count: shown.length })[slot];
          const low = api.coord([api.value(0), api.value(1)]);
          const high = api.coord([api.value(0), api.value(2)]);
          const x = low[0] + layout.offsetCenter;
          const half = Math.max(2, layout.width * 0.25);
          const style = { stroke: '#222', lineWidth: 1.2 };
          return {
            type: 'group',
            children: [
              { type: 'line', shape: { x1: x, y1: low[1], x2: x, y2: high[1] }, style },
              { type: 'line', shape: { x1: x - half, y1: low[1], x2: x + half, y2: low[1] }, style },
              { type: 'line', shape: { x1: x - half, y1: high[1], x2: x + half, y2: high[1] }, style },
            ],
          };
        },
      }));
      series = [...bars, ...errorBars];
    }
    classChart.setOption({
      toolbox: chartExport.toolbox(classChart, 'compare-class-f1', {}),
      legend: { type: 'scroll', top: 5, left: 10, right: 120, data: series.filter(s => s.type === 'bar').map(s => s.name) },
      tooltip: {
        trigger: 'axis', axisPointer: { type: 'shadow' },
        formatter: params => [params[0].axisValueLabel, ...params.filter(p => p.seriesType === 'bar').map(p => {
          const std = series[p.seriesIndex].std?.[p.dataIndex];
          return `${p.marker}${p.seriesName}: ${fixed(p.value, 3)}${std != null ? ` ± ${fixed(std, 3)}` : ''}`;
        })].join('<br>'),
      },
      grid: { left: 60, right: 20, top: 45, bottom: 35 },
      xAxis: { type: 'category', data: classes },
      yAxis: { type: 'value', name: 'F1', nameLocation: 'middle', nameGap: 40, min: 0, max: 1 },
      series,
    }, true);
  }

  load();
})();
