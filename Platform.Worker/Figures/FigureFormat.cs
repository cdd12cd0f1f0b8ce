namespace EmotionLab.Worker.Figures;

/// <summary>How a figure is written: SVG (vector, for the page and for papers) or PNG (300 dpi).</summary>
public sealed record FigureFormat(string Name, string ContentType)
{
    public static FigureFormat Svg { get; } = new("svg", "image/svg+xml");
    public static FigureFormat Png { get; } = new("png", "image/png");
    public static IReadOnlyList<FigureFormat> All { get; } = [Svg, Png];

    public static FigureFormat? Find(string name) => All.FirstOrDefault(f => f.Name == name);
}
