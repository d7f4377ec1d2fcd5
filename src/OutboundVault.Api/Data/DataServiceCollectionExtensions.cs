using Microsoft.EntityFrameworkCore;

namespace OutboundVault.Data;

public static class DataServiceCollectionExtensions
{
    public static IServiceCollection AddVaultDatabase(this IServiceCollection services, IConfiguration configuration)
    {
        var options = Read(configuration);
        services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.SectionName)
            .Configure(o => o.DataDirectory = options.DataDirectory);
        var connectionString = options.EffectiveConnectionString;
        if (options.IsPostgres)
            services.AddDbContextPool<VaultDbContext, PostgresVaultDbContext>(o => o.UseNpgsql(connectionString));
        else
            services.AddDbContextPool<VaultDbContext, SqliteVaultDbContext>(o => o.UseSqlite(connectionString));
        services.AddHealthChecks().AddDbContextCheck<VaultDbContext>("database", tags: ["ready"]);
        return services;
    }

    public static DatabaseOptions Read(IConfiguration configuration)
    {
        var options = configuration.GetSection(DatabaseOptions.SectionName).Get<DatabaseOptions>() ?? new DatabaseOptions();
        options.DataDirectory = configuration["DataDirectory"] is { Length: > 0 } dir ? dir : options.DataDirectory;
        options.Validate();
        return options;
    }
}
