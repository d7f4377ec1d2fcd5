using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OutboundVault.Data;
using OutboundVault.Tests.Infrastructure;
using OutboundVault.Tests.Tokens;

namespace OutboundVault.Tests.Hosting;

/// <summary>The request log line carries the status the caller got, also when the error handler wrote it.</summary>
public sealed class RequestLogTests(SqliteVault fixture) : IClassFixture<SqliteVault>
{
    [SkippableTheory]
    [InlineData(200, "GET /v1/mgmt/license")]
    [InlineData(400, "POST /v1/mgmt/outbound/app/create")]
    [InlineData(401, "GET /v1/mgmt/outbound/apps")]
    [InlineData(404, "GET /v1/mgmt/outbound/app/{id}")]
    [InlineData(500, "POST /v1/mgmt/outbound/app/user/token/latest")]
    public async Task The_logged_status_is_the_response_status(int status, string route)
    {
        var response = await Send(status);

        ((int)response.StatusCode, fixture.Vault.Logs.Lines.Any(l => l.Contains($"HTTP {route} responded {status} ", StringComparison.Ordinal)))
            .Should().Be((status, true));
    }

    async Task<HttpResponseMessage> Send(int status)
    {
        var api = new TokenApi(fixture.Management);
        switch (status)
        {
            case 200: return await fixture.Management.GetAsync("/v1/mgmt/license");
            case 400: return await fixture.Management.PostJson("/v1/mgmt/outbound/app/create", "{\"name\":");
            case 401: return await fixture.Vault.CreateClient().GetAsync("/v1/mgmt/outbound/apps");
            case 404: return await fixture.Management.GetAsync("/v1/mgmt/outbound/app/no-such-app");
            default:
                var app = await api.CreateOAuthApp();
                await api.UploadUserToken(new { appId = app, userId = "u500", accessToken = "a" });
                await using (var scope = fixture.Vault.Services.CreateAsyncScope())
                {
                    await scope.ServiceProvider.GetRequiredService<VaultDbContext>().Tokens.Where(t => t.AppId == app)
                        .ExecuteUpdateAsync(s => s.SetProperty(t => t.AccessTokenCipher, "v2:test1:AAAA"));
                }
                return await api.Post("app/user/token/latest", new { appId = app, userId = "u500" });
        }
    }
}
