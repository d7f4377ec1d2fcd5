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

var builder = WebApplication.CreateBuilder(args);
var settingsDirectory = builder.UseSettingsDirectory();
builder.AddVaultLogging(toStandardError: VaultCommands.IsCommand(args)).LimitRequestBodies();

builder.Services
    .AddVaultJson()
    .AddVaultErrors()
    .AddVaultDatabase(builder.Configuration, settingsDirectory)
    .AddVaultSecurity(builder.Configuration)
    .AddProviders(builder.Configuration)
    .AddOutboundApps()
    .AddTokenVault()
    .AddTokenRefresh(builder.Configuration)
    .AddConnectFlow(builder.Configuration)
    .AddVaultForwardedHeaders()
    .AddVaultApiDocs()
    .AddVaultRateLimits()
    .AddAudit()
    .AddVaultMetrics(builder.Configuration)
    .AddWebhooks()
    .AddHttpContextAccessor()
    .AddSingleton(TimeProvider.System);

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

app.MapHealth();
app.MapVaultMetrics();
app.MapVaultApiDocs();

var mgmt = app.MapGroup("/v1/mgmt");
mgmt.MapGroup("").RequireAuthorization(VaultAccess.Connect).MapLicense();
var outbound = mgmt.MapGroup("/outbound");
outbound.MapGroup("").WithTags("Outbound apps").RequireAuthorization(VaultAccess.Admin).MapOutboundApps();
outbound.MapGroup("").WithTags("Tokens").RequireAuthorization(VaultAccess.Fetch).MapTokenFetch();
outbound.MapGroup("").WithTags("Tokens").RequireAuthorization(VaultAccess.Lookup).MapConnectedApps();
outbound.MapGroup("").WithTags("Tokens").RequireAuthorization(VaultAccess.Admin).MapTokens().MapTokenRefresh();
mgmt.MapManagementKeys().MapAudit();
app.MapConnect();

app.Run();
