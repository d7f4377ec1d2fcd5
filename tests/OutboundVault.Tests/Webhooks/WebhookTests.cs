using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using OutboundVault.Tests.Infrastructure;
using OutboundVault.Tests.Tokens;

namespace OutboundVault.Tests.Webhooks;

/// <summary>Signed webhooks from the outbox: the Standard Webhooks signature, retries after failures, delivery after a restart.</summary>
public sealed class WebhookTests_Postgres : IAsyncLifetime
{
    static readonly byte[] SecretBytes = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();
    static readonly string Secret = "whsec_" + Convert.ToBase64String(SecretBytes);
    readonly string dataDirectory = Directory.CreateTempSubdirectory("outboundvault-webhooks-").FullName;
    string? postgres;

    public async Task InitializeAsync() => postgres = await TestPostgres.CreateDatabaseAsync();

    public async Task DisposeAsync()
    {
        if (postgres is not null) await TestPostgres.DropDatabaseAsync(postgres);
        try { Directory.Delete(dataDirectory, recursive: true); } catch (IOException) { }
    }

    VaultFactory Vault(string url) => new(DatabaseKind.Postgres, dataDirectory, postgres, new Dictionary<string, string?>
    {
        ["Webhooks:Endpoints:0:Url"] = url,
        ["Webhooks:Endpoints:0:Secret"] = Secret,
        ["Webhooks:PollInterval"] = "00:00:00.200",
        ["Webhooks:RetryAfter"] = "00:00:00.200",
    });

    static async Task DeleteAnApp(VaultFactory vault)
    {
        var api = new TokenApi(vault.CreateManagementClient());
        var app = await api.CreateOAuthApp();
        await (await api.Client.PostJson("/v1/mgmt/outbound/app/delete", new { id = app })).ShouldBeOk();
    }

    [SkippableFact]
    public async Task An_app_deletion_arrives_signed_the_standard_webhooks_way()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var vault = Vault(receiver.Url);
        await DeleteAnApp(vault);

        await Eventually.TrueAsync(() => !receiver.Received.IsEmpty, "the delivery worker posts the event");

        var delivery = receiver.Received.Single();
        var expected = "v1," + Convert.ToBase64String(HMACSHA256.HashData(SecretBytes, Encoding.UTF8.GetBytes($"{delivery.Id}.{delivery.Timestamp}.{delivery.Body}")));
        (delivery.Signature, JsonNode.Parse(delivery.Body)!["type"]!.GetValue<string>()).Should().Be((expected, "app.deleted"));
    }

    [SkippableFact]
    public async Task A_delivery_answered_500_is_retried_with_the_same_id_until_it_succeeds()
    {
        await using var receiver = await WebhookReceiver.StartAsync(failFirst: 2);
        await using var vault = Vault(receiver.Url);
        await DeleteAnApp(vault);

        await Eventually.TrueAsync(() => !receiver.Received.IsEmpty, "the third attempt succeeds", attempts: 800);

        (receiver.Calls, receiver.Received.Count).Should().Be((3, 1));
    }

    [SkippableFact]
    public async Task An_event_not_delivered_before_a_restart_is_delivered_by_the_next_instance()
    {
        var port = Loopback.FreePort();
        var url = $"http://127.0.0.1:{port}/hook";
        await using (var before = Vault(url))
        {
            await DeleteAnApp(before); // nobody listens yet: the attempts fail and back off
            await Task.Delay(500);
        }
        await using var receiver = await WebhookReceiver.StartAsync(port);

        await using var after = Vault(url);
        _ = after.Server;

        await Eventually.TrueAsync(() => !receiver.Received.IsEmpty, "the new instance delivers the outbox", attempts: 800);
    }

    [SkippableFact]
    public async Task A_deleted_token_is_announced_with_its_ids_and_never_its_secret()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var vault = Vault(receiver.Url);
        var api = new TokenApi(vault.CreateManagementClient());
        var app = await api.CreateOAuthApp();
        var secret = TokenApi.Secret("webhook-access");
        await api.UploadUserToken(new { appId = app, userId = "leaving", accessToken = secret });
        var id = (await api.Fetch("app/user/token/latest", new { appId = app, userId = "leaving" }))["id"]!.GetValue<string>();
        await (await api.Client.DeleteAsync($"/v1/mgmt/outbound/token?id={id}")).ShouldBeOk();

        await Eventually.TrueAsync(() => !receiver.Received.IsEmpty, "the delivery worker posts the event");

        var body = receiver.Received.Single().Body;
        var data = JsonNode.Parse(body)!["data"]!;
        (JsonNode.Parse(body)!["type"]!.GetValue<string>(), data["tokenId"]!.GetValue<string>(), data["userId"]!.GetValue<string>(), body.Contains(secret, StringComparison.Ordinal))
            .Should().Be(("token.deleted", id, "leaving", false));
    }
}
