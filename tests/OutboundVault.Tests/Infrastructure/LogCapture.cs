using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace OutboundVault.Tests.Infrastructure;

/// <summary>Every log line the service writes, formatted with its arguments and exception, for secret-leak checks.</summary>
public sealed class LogCapture : ILoggerProvider
{
    readonly ConcurrentQueue<string> lines = new();

    public IReadOnlyCollection<string> Lines => lines;
    public string All => string.Join('\n', lines);

    public ILogger CreateLogger(string categoryName) => new CapturingLogger(categoryName, lines);
    public void Dispose() { }

    sealed class CapturingLogger(string category, ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var properties = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(' ', pairs.Select(p => $"{p.Key}={p.Value}")) : "";
            lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {properties} {exception}");
        }
    }
}
