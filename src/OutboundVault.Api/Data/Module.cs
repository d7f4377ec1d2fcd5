using Microsoft.EntityFrameworkCore;
using OutboundVault.Hosting;

namespace OutboundVault.Data;

/// <summary>The database: SQLite in the data directory by default, or PostgreSQL (docs/architecture.md, "Tables").</summary>
static class DataModule
{
    public static IServiceCollection AddData(this IServiceCollection services, IConfiguration configuration)
    {
        var options = Read(configuration);
        services.AddSettings<DatabaseOptions>().Configure(o => o.DataDirectory = options.DataDirectory);
        var connectionString = options.EffectiveConnectionString;
        if (options.IsPostgres)
        {
            services.AddDbContextPool<VaultDbContext, PostgresVaultDbContext>(o => o.UseNpgsql(WithPostgresDefaults(connectionString)));
            services.AddScoped<PreparedReads, PostgresPreparedReads>();
        }
        else
        {
            services.AddDbContextPool<VaultDbContext, SqliteVaultDbContext>(o => o.UseSqlite(connectionString));
            services.AddSingleton<PreparedReads>(_ => new SqlitePreparedReads(connectionString)); // the container disposes it
        }
        services.AddHealthChecks().AddDbContextCheck<VaultDbContext>("database", tags: ["ready"]);
        return services;
    }

    /// <summary>
    /// The vault keeps no session state on its connections (no SET, temporary tables or advisory locks),
    /// so pooled connections need no DISCARD ALL on return, and the fetch path's few statements stay
    /// prepared: measured at +60 % fetch throughput. Multiplexing writes the commands of concurrent requests
    /// to shared connections together: +34 % fetch throughput and 40 % less PostgreSQL CPU per fetch, and the
    /// whole test suite passes with it (bench/README.md, "Fetch latest"). An operator's own values win.
    /// </summary>
    internal static string WithPostgresDefaults(string connectionString)
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        if (!HasKey(connectionString, "No Reset On Close", "NoResetOnClose")) builder.NoResetOnClose = true;
        if (!HasKey(connectionString, "Max Auto Prepare", "MaxAutoPrepare")) builder.MaxAutoPrepare = 20;
        if (!HasKey(connectionString, "Multiplexing")) builder.Multiplexing = true;
        return builder.ConnectionString;
    }

    static bool HasKey(string connectionString, params string[] names) =>
        connectionString.Split(';').Select(part => part.Split('=')[0].Trim())
            .Any(key => names.Any(name => string.Equals(key, name, StringComparison.OrdinalIgnoreCase)));

    /// <summary>
    /// The section as registration needs it, before the container exists: a relative DataDirectory is resolved
    /// against the settings directory (<see cref="SettingsDirectory"/>), and a problem stops the start here.
    /// </summary>
    static DatabaseOptions Read(IConfiguration configuration)
    {
        var options = configuration.GetSection(DatabaseOptions.SectionName).Get<DatabaseOptions>() ?? new DatabaseOptions();
        var relativeTo = configuration[SettingsDirectory.Key] ?? AppContext.BaseDirectory;
        options.DataDirectory = Path.GetFullPath(configuration["DataDirectory"] is { Length: > 0 } dir ? dir : options.DataDirectory, relativeTo);
        if (options.Problems().FirstOrDefault() is { } problem) throw new InvalidOperationException(problem);
        return options;
    }
}
