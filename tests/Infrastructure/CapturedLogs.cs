using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Sandbox.Tests.Infrastructure;

/// <summary>The server's log as a test reads it: every entry at <paramref name="minimum"/> (Warning by default) and above, with its exception if any.</summary>
public sealed class CapturedLogs(LogLevel minimum = LogLevel.Warning) : ILoggerProvider
{
    public sealed record Entry(LogLevel Level, string Category, string Message, Exception? Exception);

    readonly ConcurrentQueue<Entry> _entries = new();
    readonly LogLevel _minimum = minimum;

    public IReadOnlyList<Entry> Entries => _entries.ToArray();

    public void Clear() => _entries.Clear();

    /// <summary>No entry carries an exception or a stack trace.</summary>
    public void AssertNoStackTrace()
    {
        var traced = Entries.Where(e => e.Exception is not null || e.Message.Contains("   at ", StringComparison.Ordinal)).ToList();
        Assert.True(traced.Count == 0, "stack traces in the log:\n" + string.Join("\n", traced.Select(e => $"{e.Level} {e.Category}: {e.Message} {e.Exception}")));
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    sealed class Logger(CapturedLogs owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= owner._minimum;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel)) owner._entries.Enqueue(new Entry(logLevel, category, formatter(state, exception), exception));
        }
    }
}
