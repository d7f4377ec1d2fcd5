using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OutboundVault.Data;
using OutboundVault.Tests.Infrastructure;

namespace OutboundVault.Tests.Tokens;

/// <summary>docs/contract.md rows 11 and 12 and the app delete's cascade, with the revoker handed exactly the deleted rows.</summary>
public abstract class TokenDeleteTests(VaultFixture fixture) : IAsyncLifetime
{
    readonly RefreshProbe probe = new();
    Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> vault = null!;
    TokenApi api = null!;

    public Task InitializeAsync()
    {
        vault = probe.Start(fixture);
        api = new TokenApi(vault.CreateManagementClient());
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await vault.DisposeAsync();

    Task<HttpResponseMessage> Delete(string pathAndQuery) => api.Client.DeleteAsync($"{TokenApi.Outbound}/{pathAndQuery}");

    async Task<List<(string UserId, string TenantId)>> Owners(string appId)
    {
        await using var scope = vault.Services.CreateAsyncScope();
        var rows = await scope.ServiceProvider.GetRequiredService<VaultDbContext>().Tokens.AsNoTracking().Where(t => t.AppId == appId).ToListAsync();
        return rows.Select(r => (r.UserId, r.TenantId)).Order().ToList();
    }

    /// <summary>Two apps; on each: u1 (no tenant), u1 in t1, u2, and the tenant t1 itself.</summary>
    async Task<(string A, string B)> Seed()
    {
        var (a, b) = (await api.CreateOAuthApp(), await api.CreateOAuthApp());
        foreach (var app in new[] { a, b })
        {
            await api.UploadUserToken(new { appId = app, userId = "u1", accessToken = "x", refreshToken = TokenApi.Secret("r") });
            await api.UploadUserToken(new { appId = app, userId = "u1", tenantId = "t1", accessToken = "x" });
            await api.UploadUserToken(new { appId = app, userId = "u2", accessToken = "x" });
            await api.UploadTenantToken(new { appId = app, tenantId = "t1", accessToken = "x" });
        }
        return (a, b);
    }

    [SkippableFact]
    public async Task By_app_and_user_removes_that_users_tokens_of_that_app_including_tenant_scoped_ones()
    {
        var (a, b) = await Seed();
        (await (await Delete($"user/tokens?appId={a}&userId=u1")).ShouldBeOk()).AsObject().Should().BeEmpty();
        (await Owners(a)).Should().Equal(("", "t1"), ("u2", ""));
        (await Owners(b)).Should().HaveCount(4);
        probe.Revoked.Should().ContainSingle().Which.Should().HaveCount(2).And.OnlyContain(r => r.UserId == "u1" && r.AppId == a);
        probe.Revoked.Single().Should().Contain(r => r.RefreshTokenCipher != null, "the revoker gets the rows with their ciphertext");
    }

    [SkippableFact]
    public async Task Nodes_literal_undefined_means_not_given()
    {
        var (a, b) = await Seed();
        await (await Delete($"user/tokens?appId=undefined&userId=u1")).ShouldBeOk();
        (await Owners(a)).Should().Equal(("", "t1"), ("u2", ""));
        (await Owners(b)).Should().Equal(("", "t1"), ("u2", ""));

        await (await Delete($"user/tokens?appId={a}&userId=undefined")).ShouldBeOk();
        (await Owners(a)).Should().Equal([("", "t1")], "tenant-level tokens are not user tokens");
        (await Owners(b)).Should().HaveCount(2);
    }

    [SkippableFact]
    public async Task Go_and_python_send_only_the_given_argument()
    {
        var (a, b) = await Seed();
        await (await Delete($"user/tokens?appId={a}")).ShouldBeOk();
        (await Owners(a)).Should().Equal([("", "t1")]);

        // python sends Content-Type: application/json on every request, also on a DELETE without a body.
        using var python = new HttpRequestMessage(HttpMethod.Delete, $"{TokenApi.Outbound}/user/tokens?userId=u2")
        {
            Content = new StringContent("", System.Text.Encoding.UTF8, "application/json"),
        };
        await (await api.Client.SendAsync(python)).ShouldBeOk();
        (await Owners(b)).Should().Equal(("", "t1"), ("u1", ""), ("u1", "t1"));
    }

    [SkippableTheory]
    [InlineData("user/tokens")]
    [InlineData("user/tokens?appId=undefined&userId=undefined")]
    [InlineData("user/tokens?appId=&userId=")]
    [InlineData("token")]
    [InlineData("token?id=undefined")]
    public async Task Deletes_without_any_id_are_a_400(string query)
    {
        await (await Delete(query)).ShouldBeError(400, "E011002");
        probe.Revoked.Should().BeEmpty();
    }

    [SkippableFact]
    public async Task Nothing_matching_still_answers_an_empty_object()
    {
        var body = await (await Delete("user/tokens?appId=no-such-app&userId=nobody")).ShouldBeOk();
        body.AsObject().Should().BeEmpty();
        probe.Revoked.Should().BeEmpty("nothing was deleted");
        await (await Delete("user/tokens?appId=not%20an%20id")).ShouldBeError(400, "E011003");
    }

    [SkippableFact]
    public async Task By_id_deletes_one_token_of_any_owner_and_an_unknown_id_is_a_404()
    {
        var (a, _) = await Seed();
        var tenantToken = await api.Fetch("app/tenant/token/latest", new { appId = a, tenantId = "t1" });
        var id = tenantToken["id"]!.GetValue<string>();
        (await (await Delete($"token?id={id}")).ShouldBeOk()).AsObject().Should().BeEmpty();
        (await Owners(a)).Should().HaveCount(3).And.NotContain(("", "t1"));
        probe.RevokedIds.Should().Equal(id);

        (await (await Delete($"token?id={id}")).ShouldBeError(404, "E081404"))["errorMessage"]!.GetValue<string>().Should().Contain(id);
        await (await Delete("token?id=bad%2Fid")).ShouldBeError(400, "E011003");
    }

    [SkippableFact]
    public async Task Deleting_an_app_deletes_its_tokens_and_hands_them_to_the_revoker()
    {
        var (a, b) = await Seed();
        await (await api.Post("app/delete", new { id = a })).ShouldBeOk();
        (await Owners(a)).Should().BeEmpty();
        (await Owners(b)).Should().HaveCount(4);
        probe.Revoked.Should().ContainSingle().Which.Should().HaveCount(4).And.OnlyContain(r => r.AppId == a);
        await (await api.Post("app/user/token/latest", new { appId = a, userId = "u1" })).ShouldBeError(404, "E081404");
        await (await api.Post("app/delete", new { id = a })).ShouldBeError(404, "E081404");
        probe.Revoked.Should().ContainSingle();
    }
}

public sealed class TokenDeleteTests_Sqlite(SqliteVault fixture) : TokenDeleteTests(fixture), IClassFixture<SqliteVault>;

public sealed class TokenDeleteTests_Postgres(PostgresVault fixture) : TokenDeleteTests(fixture), IClassFixture<PostgresVault>;
