// Figures from the charts: every chart's toolbox saves it as PNG (ECharts' saveAsImage, at twice
// the screen resolution) or as SVG. The pages draw on canvas, so the SVG is drawn anew: the
// chart's current option (data, legend selection, zoom) rendered by ECharts' SVG renderer in its
// server-side mode (no DOM), whose markup is then downloaded.
(function () {
  const svgIcon = 'path://M4,4H60V60H4Z M12,48C22,12 36,52 52,16';

  // The SVG markup of a chart as it is drawn now, at its size on the page, without the toolbox.
  function svgOf(chart) {
    const option = chart.getOption();
    option.toolbox = [{ show: false }];
    option.animation = false;
    const svgChart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: chart.getWidth(), height: chart.getHeight() });
    try {
      svgChart.setOption(option);
      return svgChart.renderToSVGString();
    } finally {
      svgChart.dispose();
    }
  }

  function download(text, fileName) {
    const url = URL.createObjectURL(new Blob([text], { type: 'image/svg+xml' }));
    const link = Object.assign(document.createElement('a'), { href: url, download: fileName });
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }

  // A toolbox for a chart: PNG and SVG under fileName (no extension), after any other features.
  function toolbox(chart, fileName, features) {
    return {
      right: 8,
      feature: {
        ...features,
        saveAsImage: { title: 'PNG', name: fileName, pixelRatio: 2 },
        mySaveAsSvg: { show: true, title: 'SVG', icon: svgIcon, onclick: () => download(svgOf(chart), `${fileName}.svg`) },
      },
    };
  }

  window.chartExport = { toolbox, svgOf };
})();
