using OutboundVault.Apps;
using OutboundVault.Connect;
using OutboundVault.Data;
using OutboundVault.Errors;
using OutboundVault.Hosting;
using OutboundVault.Providers;
using OutboundVault.Security;

var builder = WebApplication.CreateBuilder(args);
builder.AddVaultLogging().LimitRequestBodies();

builder.Services
    .AddVaultJson()
    .AddVaultErrors()
    .AddVaultDatabase(builder.Configuration)
    .AddVaultSecurity(builder.Configuration)
    .AddProviders(builder.Configuration)
    .AddOutboundApps()
    .AddConnectFlow()
    .AddVaultApiDocs()
    .AddHttpContextAccessor()
    .AddSingleton(TimeProvider.System);

var app = builder.Build();
await app.PrepareVaultAsync();

app.UseVaultErrors();
app.UseRequestLogging();
app.UseRequestBodyLimit();
app.UseAuthentication();
app.UseAuthorization();

app.MapHealth();
app.MapVaultApiDocs();

var mgmt = app.MapGroup("/v1/mgmt").RequireAuthorization(SecurityServiceCollectionExtensions.ManagementPolicy);
mgmt.MapLicense();
mgmt.MapGroup("/outbound").WithTags("Outbound apps").MapOutboundApps();

app.Run();
