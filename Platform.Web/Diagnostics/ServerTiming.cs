using System.Diagnostics;
using System.Globalization;

namespace EmotionLab.Web.Diagnostics;

/// <summary>
/// Adds a Server-Timing header ("app;dur=12.3", milliseconds) to every response: the time from the
/// request entering the app to the response starting, which for a page is its queries and its
/// rendering (static SSR renders the whole page before the first byte). Browsers show it in their
/// network panel, and `bench dashboard` reads it to measure server time without the client's share.
/// </summary>
public static class ServerTiming
{
    public const string HeaderName = "Server-Timing";
    public const string Metric = "app";

    public static IApplicationBuilder UseServerTiming(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var started = Stopwatch.GetTimestamp();
        context.Response.OnStarting(() =>
        {
            var milliseconds = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            context.Response.Headers.Append(HeaderName, string.Create(CultureInfo.InvariantCulture, $"{Metric};dur={milliseconds:0.###}"));
            return Task.CompletedTask;
        });
        await next(context);
    });
}
