// Charts of a run's page (/runs/{id}): per-step loss and learning rate, per-epoch weighted F1 (and
// unparsed answers) and a confusion-matrix heatmap, drawn with ECharts from /api/runs/{id} and /api/runs/{id}/losses. While the run is
// Queued or Running the data is fetched again every 2 s, like the htmx-polled summary above them.
(function () {
  const root = document.getElementById('run-charts');
  if (!root || !window.echarts) return;
  const runId = root.dataset.runId;
  const charts = {
    loss: echarts.init(document.getElementById('loss-chart')),
    f1: echarts.init(document.getElementById('f1-chart')),
    confusion: echarts.init(document.getElementById('confusion-chart')),
  };
  const splitSelect = document.getElementById('confusion-split');
  const epochSelect = document.getElementById('confusion-epoch');
  // PNG and SVG figures (chart-export.js), plus zoom on the curves.
  const toolbox = (chart, name) => chartExport.toolbox(chart, `run-${runId}-${name}`, { dataZoom: {}, restore: {} });
  let detail = null;
  let refresh = null;

  window.addEventListener('resize', () => Object.values(charts).forEach(c => c.resize()));
  splitSelect.addEventListener('change', drawConfusion);
  epochSelect.addEventListener('change', drawConfusion);

  async function load() {
    const [detailResponse, lossResponse] = await Promise.all([fetch(`/api/runs/${runId}`), fetch(`/api/runs/${runId}/losses`)]);
    if (!detailResponse.ok || !lossResponse.ok) return;
    detail = await detailResponse.json();
    drawLoss(await lossResponse.json());
    drawF1();
    fillSplits();
    drawConfusion();
    if (detail.run.status === 'Queued' || detail.run.status === 'Running') refresh = setTimeout(load, 2000);
  }

  // A cancel or retry on this page (HX-Trigger: run-changed): a retried run is live again, so the
  // charts and the log tail, which stopped refreshing when it finished, start over.
  document.body.addEventListener('run-changed', () => {
    clearTimeout(refresh);
    load();
    if (window.htmx && document.getElementById('run-log'))
      htmx.ajax('GET', `/runs/${runId}/log`, { target: '#run-log', swap: 'outerHTML' });
  });

  // The learning rate each step trained with, on its own axis: the spec's schedule as it ran.
  function drawLoss(losses) {
    charts.loss.setOption({
      toolbox: toolbox(charts.loss, 'loss'), tooltip: { trigger: 'axis' }, legend: { top: 5, left: 10 }, grid: { left: 50, right: 70, top: 40, bottom: 40 },
      xAxis: { type: 'value', name: 'step', nameLocation: 'middle', nameGap: 25 },
      // The legend names both axes: loss on the left, learning rate on the right.
      yAxis: [
        { type: 'value', scale: true },
        { type: 'value', min: 0, splitLine: { show: false }, axisLabel: { formatter: v => v.toExponential(1) } },
      ],
      series: [
        { name: 'loss', type: 'line', showSymbol: false, data: losses.map(s => [s.step, s.loss]) },
        { name: 'learning rate', type: 'line', yAxisIndex: 1, showSymbol: false, lineStyle: { type: 'dashed', width: 1 }, data: losses.map(s => [s.step, s.learningRate]) },
      ],
    });
  }

  // A family that generates its answers also shows, per epoch, the share of answers that named no
  // label (its hallucination rate), dashed, on the same 0-1 axis.
  function drawF1() {
    const bySplit = split => detail.epochs.filter(e => e.split === split).map(e => [e.epoch, e.weightedF1]);
    const series = ['validation', 'test'].map(split => ({ name: split, type: 'line', data: bySplit(split) }));
    if (detail.run.bestEpoch != null)
      series[0].markLine = { symbol: 'none', label: { formatter: 'best', position: 'insideEndBottom' }, data: [{ xAxis: detail.run.bestEpoch }] };
    const sum = values => values.reduce((a, b) => a + b, 0);
    for (const split of ['validation', 'test']) {
      const rates = detail.confusionMatrices.filter(m => m.split === split && m.unparsed)
        .sort((a, b) => a.epoch - b.epoch)
        .map(m => [m.epoch, sum(m.unparsed) / Math.max(1, sum(m.unparsed) + sum(m.counts))]);
      if (rates.length > 0) series.push({ name: `${split} unparsed`, type: 'line', lineStyle: { type: 'dashed' }, data: rates });
    }
    charts.f1.setOption({
      toolbox: toolbox(charts.f1, 'f1'), tooltip: { trigger: 'axis' }, legend: { top: 5, left: 10 }, grid: { left: 50, right: 20, top: 40, bottom: 40 },
      xAxis: { type: 'value', name: 'epoch', nameLocation: 'middle', nameGap: 25, minInterval: 1 },
      yAxis: { type: 'value', min: 0, max: 1 },
      series,
    }, { replaceMerge: ['series'] });
  }

  function fillSplits() {
    const splits = [...new Set(detail.confusionMatrices.map(m => m.split))];
    const current = splitSelect.value || (splits.includes('test') ? 'test' : splits[0]);
    splitSelect.replaceChildren(...splits.map(s => new Option(s, s, false, s === current)));
  }

  function drawConfusion() {
    const matrices = detail.confusionMatrices.filter(m => m.split === splitSelect.value);
    if (matrices.length === 0) {
      charts.confusion.clear();
      charts.confusion.setOption({ title: { text: 'No confusion matrix yet', left: 'center', top: 'middle', textStyle: { fontSize: 14, color: '#888' } } });
      return;
    }
    const latest = matrices.reduce((a, b) => (b.epoch > a.epoch ? b : a));
    const best = matrices.find(m => m.epoch === detail.run.bestEpoch);
    const matrix = epochSelect.value === 'best' && best ? best : latest;
    const n = matrix.labels.length;
    // A family that generates its answers has one more column: the answers that named no label.
    const columns = matrix.unparsed ? [...matrix.labels, 'unparsed'] : matrix.labels;
    const data = [];
    let max = 0;
    for (let t = 0; t < n; t++)
      for (let p = 0; p < columns.length; p++) {
        const count = p < n ? matrix.counts[t * n + p] : matrix.unparsed[t];
        max = Math.max(max, count);
        data.push([p, t, count]);
      }
    charts.confusion.clear();
    charts.confusion.setOption({
      toolbox: chartExport.toolbox(charts.confusion, `run-${runId}-confusion`, {}),
      title: { text: `${matrix.split}, epoch ${matrix.epoch}${matrix === best ? ' (best)' : ''}`, left: 10, top: 5, textStyle: { fontSize: 12 } },
      tooltip: { formatter: p => `true ${matrix.labels[p.value[1]]}, predicted ${columns[p.value[0]]}: ${p.value[2]}` },
      grid: { left: 95, right: 80, top: 35, bottom: 75 },
      xAxis: { type: 'category', data: columns, name: 'predicted', nameLocation: 'middle', nameGap: 45, axisLabel: { rotate: 30 } },
      yAxis: { type: 'category', data: matrix.labels, name: 'true', nameLocation: 'middle', nameGap: 70, inverse: true },
      visualMap: { min: 0, max: Math.max(1, max), calculable: true, orient: 'vertical', right: 5, top: 'middle', itemHeight: 120 },
      series: [{ type: 'heatmap', data, label: { show: true } }],
    });
  }

  load();
})();
