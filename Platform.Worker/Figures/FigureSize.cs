namespace EmotionLab.Worker.Figures;

/// <summary>
/// A figure's printed size: a paper's single column (3.5 in, as IEEE and ACL templates) or both
/// columns (7.16 in). SVG is laid out at 96 px per inch, PNG rendered at 300 dpi with the same layout.
/// </summary>
public sealed record FigureSize(string Name, double WidthInches, double HeightInches)
{
    public const double SvgPixelsPerInch = 96;
    public const double PngDotsPerInch = 300;

    public static FigureSize Single { get; } = new("single", 3.5, 2.6);
    public static FigureSize Double { get; } = new("double", 7.16, 3.2);
    public static IReadOnlyList<FigureSize> All { get; } = [Single, Double];

    public int SvgWidth => (int)Math.Round(WidthInches * SvgPixelsPerInch);
    public int SvgHeight => (int)Math.Round(HeightInches * SvgPixelsPerInch);
    public int PngWidth => (int)Math.Round(WidthInches * PngDotsPerInch);
    public int PngHeight => (int)Math.Round(HeightInches * PngDotsPerInch);

    public static FigureSize? Find(string name) => All.FirstOrDefault(s => s.Name == name);
}
