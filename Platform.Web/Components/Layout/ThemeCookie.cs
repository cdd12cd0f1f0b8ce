namespace EmotionLab.Web.Components.Layout;

/// <summary>
/// The light/dark choice, kept in a cookie so the server renders the first paint of every page in
/// it (no flash of the other theme); wwwroot/js/theme.js writes it when the toggle is clicked.
/// </summary>
public static class ThemeCookie
{
    public const string Name = "theme";
    public const string Dark = "dark";
    public const string Light = "light";

    public static bool IsDark(HttpRequest request) => request.Cookies[Name] == Dark;
}
