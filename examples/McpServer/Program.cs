using OutboundVault.Examples.Mcp;

// An MCP server that keeps no third-party credentials of its own: each tool asks the vault for the
// caller's token (forwarding the caller's access token, or with Vault:ManagementKey and the caller's sub),
// and when the user has not connected yet hands them the vault's connect URL by URL elicitation.
var builder = WebApplication.CreateBuilder(args);

builder.Services
    .AddCallerAuthentication(builder.Configuration)
    .AddVaultClient(builder.Configuration)
    .AddExampleTools();

var app = builder.Build();

app.UseAuthentication();
app.UseAuthorization();

app.MapProtectedResourceMetadata();
app.MapMcp("/mcp").RequireAuthorization();
app.MapConnectedPage();

app.Run();

/// <summary>Visible to tests that host the example.</summary>
public partial class Program;
