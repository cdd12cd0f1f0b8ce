namespace EmotionLab.Web.Components;

/// <summary>A figure a page offers for download (FigureApi): its name, the API path, and its options as a query string.</summary>
public sealed record FigureLink(string Figure, string Label, string Path, string Options = "");
