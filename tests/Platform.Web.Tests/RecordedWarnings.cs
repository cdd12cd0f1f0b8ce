using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace EmotionLab.Web.Tests;

/// <summary>
/// The app's warnings and errors, kept in memory so a failing browser test can say what the server
/// saw (a page whose refresh threw, a change feed that could not look) instead of only what the page shows.
/// </summary>
public sealed class RecordedWarnings : ILoggerProvider
{
    private readonly ConcurrentQueue<string> entries = new();

    public override string ToString() => entries.IsEmpty ? "(no warnings)" : string.Join("\n", entries.TakeLast(20));

    public ILogger CreateLogger(string categoryName) => new Recorder(categoryName, entries);

    public void Dispose() { }

    private sealed class Recorder(string category, ConcurrentQueue<string> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel)) return;
            entries.Enqueue($"{DateTime.UtcNow:HH:mm:ss.fff} {logLevel} {category}: {formatter(state, exception)}{(exception is null ? "" : "\n  " + exception)}");
        }
    }
}
