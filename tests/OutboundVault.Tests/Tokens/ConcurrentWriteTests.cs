using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OutboundVault.Data;
using OutboundVault.Tests.Infrastructure;

namespace OutboundVault.Tests.Tokens;

/// <summary>
/// Ordinary concurrency, in loops of 30 rounds: writes racing for one row or one app settle as one winner applied
/// after the other, or a clear 404, never a 500 and never a duplicate row or an unrevoked token.
/// </summary>
public abstract class ConcurrentWriteTests(VaultFixture fixture) : IAsyncLifetime
{
    const int Rounds = 30;
    readonly RefreshProbe probe = new();
    WebApplicationFactory<Program> vault = null!;
    TokenApi api = null!;

    public Task InitializeAsync()
    {
        vault = probe.Start(fixture);
        api = new TokenApi(vault.CreateManagementClient());
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await vault.DisposeAsync();

    async Task<int> RowCount(string appId, string userId)
    {
        await using var scope = vault.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<VaultDbContext>().Tokens.CountAsync(t => t.AppId == appId && t.UserId == userId);
    }

    static async Task<List<HttpStatusCode>> AtOnce(params Func<Task<HttpResponseMessage>>[] requests)
    {
        var responses = await Task.WhenAll(requests.Select(r => Task.Run(r)));
        return responses.Select(r => r.StatusCode).ToList();
    }

    [SkippableFact]
    public async Task Two_identical_uploads_for_an_existing_user_both_succeed()
    {
        var app = await api.CreateOAuthApp();
        await api.UploadUserToken(new { appId = app, userId = "u", accessToken = "first" });
        var statuses = new List<HttpStatusCode>();

        for (var round = 0; round < Rounds; round++)
        {
            var body = new { appId = app, userId = "u", accessToken = $"round-{round}" };
            statuses.AddRange(await AtOnce(() => api.Post("app/user/oauthtoken/upload", body), () => api.Post("app/user/oauthtoken/upload", body)));
        }

        statuses.Should().OnlyContain(s => s == HttpStatusCode.OK);
    }

    [SkippableTheory]
    [InlineData("app/user/oauthtoken/upload")]
    [InlineData("app/user/apikey/upload")]
    public async Task Two_uploads_for_a_new_owner_leave_exactly_one_row(string route)
    {
        var results = new List<(HttpStatusCode, HttpStatusCode, int)>();
        for (var round = 0; round < Rounds; round++)
        {
            var app = route.Contains("apikey", StringComparison.Ordinal) ? await api.CreateApiKeyApp() : await api.CreateOAuthApp();
            object body = route.Contains("apikey", StringComparison.Ordinal) ? new { appId = app, userId = "new", apiKey = "k" } : new { appId = app, userId = "new", accessToken = "a" };
            var statuses = await AtOnce(() => api.Post(route, body), () => api.Post(route, body));
            results.Add((statuses[0], statuses[1], await RowCount(app, "new")));
        }

        results.Should().AllBeEquivalentTo((HttpStatusCode.OK, HttpStatusCode.OK, 1));
    }

    [SkippableFact]
    public async Task An_update_racing_a_delete_of_its_app_answers_200_or_404()
    {
        var statuses = new List<HttpStatusCode>();
        for (var round = 0; round < Rounds; round++)
        {
            var app = await api.CreateOAuthApp();
            statuses.AddRange(await AtOnce(
                () => api.Client.PostJson("/v1/mgmt/outbound/app/update", new { app = new { id = app, name = "Renamed", tokenUrl = TokenApi.LoopbackTokenUrl } }),
                () => api.Client.PostJson("/v1/mgmt/outbound/app/delete", new { id = app })));
        }

        statuses.Should().OnlyContain(s => s == HttpStatusCode.OK || s == HttpStatusCode.NotFound);
    }

    [SkippableFact]
    public async Task Deleting_an_app_while_its_tokens_are_uploaded_answers_200_or_404_and_revokes_every_token_stored()
    {
        var unexpected = new List<string>();
        var unrevoked = new List<string>();
        for (var round = 0; round < Rounds; round++)
        {
            var app = await api.CreateOAuthApp();
            var users = Enumerable.Range(0, 20).Select(i => $"u{i}").ToList();
            var batch = new { tokens = Enumerable.Range(0, 50).Select(i => new { appId = app, userId = $"b{i}", accessToken = "a" }).ToArray() };
            var uploads = users.Select(u => (Func<Task<HttpResponseMessage>>)(() => api.Post("app/user/oauthtoken/upload", new { appId = app, userId = u, accessToken = "a" })))
                .Append(() => api.Post("app/user/oauthtoken/batch/upload", batch))
                .Append(() => Task.Delay(5).ContinueWith(_ => api.Client.PostJson("/v1/mgmt/outbound/app/delete", new { id = app })).Unwrap())
                .ToArray();

            var statuses = await AtOnce(uploads);

            unexpected.AddRange(statuses.Where(s => s != HttpStatusCode.OK && s != HttpStatusCode.NotFound).Select(s => $"round {round}: {(int)s}"));
            var revoked = probe.Revoked.SelectMany(rows => rows).Where(r => r.AppId == app).Select(r => r.UserId).ToHashSet();
            unrevoked.AddRange(users.Where((u, i) => statuses[i] == HttpStatusCode.OK && !revoked.Contains(u)).Select(u => $"{app}/{u}"));
            (await RowCount(app, "u0")).Should().Be(0);
        }

        unexpected.Concat(unrevoked).Should().BeEmpty("every request answers 200 or 404 and every stored token is revoked");
    }

    [SkippableFact]
    public async Task A_connect_racing_the_delete_of_its_app_answers_200_or_404()
    {
        var statuses = new List<HttpStatusCode>();
        for (var round = 0; round < Rounds; round++)
        {
            var app = await api.CreateOAuthApp();
            statuses.AddRange(await AtOnce(
                () => api.Client.PostJson("/v1/mgmt/outbound/app/connect", new { appId = app, userId = "racer" }),
                () => api.Client.PostJson("/v1/mgmt/outbound/app/delete", new { id = app })));
        }

        statuses.Should().OnlyContain(s => s == HttpStatusCode.OK || s == HttpStatusCode.NotFound);
    }

    [SkippableFact]
    public async Task Superseded_duplicates_are_deleted_and_revoked_when_an_instance_starts()
    {
        var app = await api.CreateOAuthApp();
        await api.UploadUserToken(new { appId = app, userId = "dup", accessToken = "a", refreshToken = "r" });
        await using (var scope = vault.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<VaultDbContext>();
            await db.Tokens.Where(t => t.AppId == app).ExecuteUpdateAsync(s => s.SetProperty(t => t.Status, OutboundVault.Tokens.TokenStatuses.Superseded));
        }

        await using var restarted = probe.Start(fixture);
        _ = restarted.Server;

        await Eventually.TrueAsync(() => probe.Revoked.SelectMany(rows => rows).Any(r => r.AppId == app && r.UserId == "dup"), "the new instance hands the duplicate to the revoker");
        (await RowCount(app, "dup")).Should().Be(0);
    }
}

public sealed class ConcurrentWriteTests_Sqlite(SqliteVault fixture) : ConcurrentWriteTests(fixture), IClassFixture<SqliteVault>;

public sealed class ConcurrentWriteTests_Postgres(PostgresVault fixture) : ConcurrentWriteTests(fixture), IClassFixture<PostgresVault>;
