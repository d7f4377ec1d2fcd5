using Microsoft.EntityFrameworkCore;

namespace OutboundVault.Data;

public static class DataServiceCollectionExtensions
{
    /// <param name="settingsDirectory">What a relative DataDirectory is relative to (<see cref="Hosting.SettingsDirectory"/>).</param>
    public static IServiceCollection AddVaultDatabase(this IServiceCollection services, IConfiguration configuration, string settingsDirectory)
    {
        var options = Read(configuration, settingsDirectory);
        services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.SectionName)
            .Configure(o => o.DataDirectory = options.DataDirectory);
        var connectionString = options.EffectiveConnectionString;
        if (options.IsPostgres)
            services.AddDbContextPool<VaultDbContext, PostgresVaultDbContext>(o => o.UseNpgsql(WithPostgresDefaults(connectionString)));
        else
            services.AddDbContextPool<VaultDbContext, SqliteVaultDbContext>(o => o.UseSqlite(connectionString));
        services.AddHealthChecks().AddDbContextCheck<VaultDbContext>("database", tags: ["ready"]);
        return services;
    }

    /// <summary>
    /// The vault keeps no session state on its connections (no SET, temporary tables or advisory locks),
    /// so pooled connections need no DISCARD ALL on return, and the fetch path's few statements stay
    /// prepared: measured at +60 % fetch throughput (bench/README.md). An operator's own values win.
    /// </summary>
    internal static string WithPostgresDefaults(string connectionString)
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        if (!HasKey(connectionString, "No Reset On Close", "NoResetOnClose")) builder.NoResetOnClose = true;
        if (!HasKey(connectionString, "Max Auto Prepare", "MaxAutoPrepare")) builder.MaxAutoPrepare = 20;
        return builder.ConnectionString;
    }

    static bool HasKey(string connectionString, params string[] names) =>
        connectionString.Split(';').Select(part => part.Split('=')[0].Trim())
            .Any(key => names.Any(name => string.Equals(key, name, StringComparison.OrdinalIgnoreCase)));

    public static DatabaseOptions Read(IConfiguration configuration, string settingsDirectory)
    {
        var options = configuration.GetSection(DatabaseOptions.SectionName).Get<DatabaseOptions>() ?? new DatabaseOptions();
        options.DataDirectory = Path.GetFullPath(configuration["DataDirectory"] is { Length: > 0 } dir ? dir : options.DataDirectory, settingsDirectory);
        options.Validate();
        return options;
    }
}
