using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace EmotionLab.Web.Tests;

/// <summary>
/// What the app logged, kept in memory: a failing browser test says what the server saw (a page
/// whose refresh threw, a change feed that could not look) instead of only what the page shows,
/// and the token tests read every line for a secret.
/// </summary>
public sealed class RecordedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<string> entries = new();
    private readonly ConcurrentQueue<string> everything = new();

    /// <summary>Every line the app's log filters let through (Information and above, the change feed's Debug too).</summary>
    public IReadOnlyCollection<string> Everything => everything;

    /// <summary>The last 20 warnings and errors, or "(no warnings)".</summary>
    public string Warnings() => entries.IsEmpty ? "(no warnings)" : string.Join("\n", entries.TakeLast(20));

    public ILogger CreateLogger(string categoryName) => new Recorder(categoryName, entries, everything);

    public void Dispose() { }

    private sealed class Recorder(string category, ConcurrentQueue<string> entries, ConcurrentQueue<string> everything) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug; // the app's filters decide

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel)) return;
            var line = $"{DateTime.UtcNow:HH:mm:ss.fff} {logLevel} {category}: {formatter(state, exception)}{(exception is null ? "" : "\n  " + exception)}";
            everything.Enqueue(line);
            if (logLevel >= LogLevel.Warning) entries.Enqueue(line);
        }
    }
}
