using OutboundVault.Apps;
using OutboundVault.Audit;
using OutboundVault.Connect;
using OutboundVault.Data;
using OutboundVault.Errors;
using OutboundVault.Hosting;
using OutboundVault.Providers;
using OutboundVault.Refresh;
using OutboundVault.Security;
using OutboundVault.Tokens;
using OutboundVault.Webhooks;

// One module per feature folder, each with its Add and Map in Module.cs (docs/architecture.md).
var builder = WebApplication.CreateBuilder(SettingsDirectory.ReadOnce(args));
builder.UseSettingsDirectory().AddVaultLogging(toStandardError: VaultCommands.IsCommand(args)).LimitRequestBodies();

builder.Services
    .AddHosting(builder.Configuration)
    .AddErrors(builder.Configuration)
    .AddData(builder.Configuration)
    .AddSecurity(builder.Configuration)
    .AddProviders(builder.Configuration)
    .AddApps(builder.Configuration)
    .AddTokens(builder.Configuration)
    .AddRefresh(builder.Configuration)
    .AddConnect(builder.Configuration)
    .AddAudit(builder.Configuration)
    .AddWebhooks(builder.Configuration);

var app = builder.Build();
await app.PrepareVaultAsync();
if (await app.TryRunCommandAsync(args)) return;
app.HoldDataDirectory();

app.UseForwardedHeaders();
app.UseRequestLogging();
app.UseVaultErrors();
app.UseRequestBodyLimit();
app.UseAuthentication();
app.UseRateLimiter();
app.UseAuthorization();
app.UseApiDocsPage();

app.MapGroup("")
    .MapHosting()
    .MapApps()
    .MapTokens()
    .MapRefresh()
    .MapConnect()
    .MapSecurity()
    .MapAudit();

app.Run();
