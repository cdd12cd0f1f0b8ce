using System.Text;
using System.Text.RegularExpressions;
using ScottPlot;

namespace EmotionLab.Worker.Figures;

/// <summary>
/// A figure drawn on the server by ScottPlot: the page shows its SVG and offers it as SVG and PNG,
/// and `export --figure` writes the same bytes, because both render it here. Text is DejaVu Sans
/// at sizes that read at print size (axis labels 9 pt, ticks and legend 7.5 pt).
/// </summary>
public sealed class Figure
{
    private readonly Plot plot;

    static Figure()
    {
        // ScottPlot picks DejaVu Serif on Debian; papers' figures use a sans font.
        Fonts.Default = FontName;
    }

    private const string FontName = "DejaVu Sans";

    /// <param name="name">the file name without extension: run-12-curves, grid-3-bars-weighted-f1</param>
    public Figure(Plot plot, string name)
    {
        this.plot = plot;
        Name = name;
        plot.Font.Set(FontName);
        foreach (var axis in new IAxis[] { plot.Axes.Bottom, plot.Axes.Left })
        {
            axis.Label.FontSize = 12;
            axis.TickLabelStyle.FontSize = 10;
        }
        plot.Axes.Title.Label.FontSize = 12;
        plot.Legend.FontSize = 10;
        plot.Legend.ShadowColor = Colors.Transparent; // a paper's legend is a plain box
    }

    public string Name { get; }

    /// <summary>
    /// A plot to draw a figure on. Built here, after the default font is set: a text added to a
    /// plot takes the default of that moment, and a figure must come out the same in any process.
    /// </summary>
    public static Plot NewPlot() => new();

    public string FileName(FigureFormat format) => $"{Name}.{format.Name}";

    public byte[] Render(FigureFormat format, FigureSize size)
    {
        if (format == FigureFormat.Svg) return Encoding.UTF8.GetBytes(Svg(size));
        // The SVG's layout, drawn with more pixels per inch.
        plot.ScaleFactor = FigureSize.PngDotsPerInch / FigureSize.SvgPixelsPerInch;
        try
        {
            return plot.GetImageBytes(size.PngWidth, size.PngHeight, ImageFormat.Png);
        }
        finally
        {
            plot.ScaleFactor = 1;
        }
    }

    /// <summary>The SVG markup to put in a page.</summary>
    public string Svg(FigureSize size) => StableIds(plot.GetSvgXml(size.SvgWidth, size.SvgHeight));

    /// <summary>
    /// Skia names the SVG's clip paths from a counter of the process ("cl_3b"), so the same figure
    /// drawn twice would differ. Renaming them by order of appearance makes a figure's file the
    /// same wherever it is drawn, and keeps two figures in one page from sharing an id.
    /// </summary>
    private string StableIds(string svg)
    {
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match declared in Regex.Matches(svg, "id=\"([^\"]+)\""))
            ids.TryAdd(declared.Groups[1].Value, $"{Name}-{ids.Count + 1}");
        return ids.Count == 0 ? svg : Regex.Replace(svg, "(id=\"|#)([^\")\\s]+)(?=[\")])",
            m => ids.TryGetValue(m.Groups[2].Value, out var stable) ? m.Groups[1].Value + stable : m.Value);
    }
}
