namespace OutboundVault.Data;

/// <summary>Section "Database" plus the top-level <c>DataDirectory</c> (where SQLite and generated keys live).</summary>
sealed class DatabaseOptions : Hosting.ISettings
{
    public static string SectionName => "Database";
    public const string Sqlite = "Sqlite", Postgres = "Postgres";

    public string Provider { get; set; } = Sqlite;
    public string? ConnectionString { get; set; }
    public string DataDirectory { get; set; } = "./data";

    public bool IsPostgres => string.Equals(Provider, Postgres, StringComparison.OrdinalIgnoreCase);

    public string EffectiveConnectionString => ConnectionString is { Length: > 0 } configured ? configured
        : IsPostgres ? throw new InvalidOperationException(Problems().First())
        : $"Data Source={Path.Combine(DataDirectory, "outboundvault.db")};Pooling=True";

    public IEnumerable<string> Problems()
    {
        if (!IsPostgres && !string.Equals(Provider, Sqlite, StringComparison.OrdinalIgnoreCase))
            yield return $"Database:Provider must be '{Sqlite}' or '{Postgres}', not '{Provider}'.";
        if (IsPostgres && string.IsNullOrWhiteSpace(ConnectionString))
            yield return "Database:ConnectionString is required with Database:Provider=Postgres.";
    }
}
