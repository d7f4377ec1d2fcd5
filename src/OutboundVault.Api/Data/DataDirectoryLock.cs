using Microsoft.Extensions.Options;

namespace OutboundVault.Data;

/// <summary>
/// The embedded mode is one instance: a server on SQLite holds an exclusive lock on <c>server.lock</c> in the data
/// directory for as long as it runs, and a second server process on the same directory refuses to start. Commands
/// (<c>reencrypt</c>) do not take it: they run beside the server, as SQLite's own locking allows. Hosts inside one
/// process (the tests' in-memory servers) share the process's lock.
/// </summary>
static class DataDirectoryLock
{
    const string FileName = "server.lock";
    static readonly Dictionary<string, (FileStream File, int Holders)> Held = new(StringComparer.Ordinal);

    public static void HoldDataDirectory(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<DatabaseOptions>>().Value;
        if (options.IsPostgres) return;
        var path = Path.GetFullPath(Path.Combine(options.DataDirectory, FileName));
        Acquire(path);
        app.Lifetime.ApplicationStopped.Register(() => Release(path));
    }

    static void Acquire(string path)
    {
        lock (Held)
        {
            if (Held.TryGetValue(path, out var held))
            {
                Held[path] = (held.File, held.Holders + 1);
                return;
            }
            try
            {
                var options = new FileStreamOptions { Mode = FileMode.OpenOrCreate, Access = FileAccess.ReadWrite, Share = FileShare.None };
                if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
                Held[path] = (new FileStream(path, options), 1);
            }
            catch (IOException)
            {
                throw new InvalidOperationException(
                    $"Another OutboundVault server is running on the data directory {Path.GetDirectoryName(path)}: the embedded SQLite mode runs " +
                    "one instance. Stop it first, or run several instances over PostgreSQL (Database:Provider=Postgres).");
            }
        }
    }

    static void Release(string path)
    {
        lock (Held)
        {
            if (!Held.TryGetValue(path, out var held)) return;
            if (held.Holders > 1)
            {
                Held[path] = (held.File, held.Holders - 1);
                return;
            }
            held.File.Dispose();
            Held.Remove(path);
        }
    }
}
