using Microsoft.Extensions.Options;
using OutboundVault.Data;
using OutboundVault.Security;

namespace OutboundVault.Hosting;

static class VaultStartup
{
    /// <summary>
    /// Runs before the server listens: migrate, refuse ciphertext no configured key opens, and load (or
    /// on first start generate) the management credentials. Any failure stops the start with its reason.
    /// </summary>
    public static async Task PrepareVaultAsync(this WebApplication app, CancellationToken ct = default)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var db = services.GetRequiredService<VaultDbContext>();
        await DatabaseStartup.MigrateAsync(db, services.GetRequiredService<IOptions<DatabaseOptions>>().Value, ct);
        await DatabaseStartup.CheckKeysAsync(db, services.GetRequiredService<KeyRing>(), ct);
        await services.GetRequiredService<ManagementKeyBootstrap>().RunAsync(ct);
    }
}
