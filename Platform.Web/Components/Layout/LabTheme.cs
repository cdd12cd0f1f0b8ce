using MudBlazor;

namespace EmotionLab.Web.Components.Layout;

/// <summary>The platform's MudBlazor theme: Material defaults, a calm primary, dense text that fits tables of scores.</summary>
public static class LabTheme
{
    public static readonly MudTheme Theme = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#3f51b5",
            Secondary = "#00897b",
            AppbarBackground = "#263238",
        },
        PaletteDark = new PaletteDark
        {
            Primary = "#8c9eff",
            Secondary = "#4db6ac",
        },
        Typography = new Typography
        {
            Default = new DefaultTypography { FontFamily = ["Roboto", "DejaVu Sans", "sans-serif"], FontSize = ".875rem" },
        },
    };
}
