using System.Text.Json.Nodes;
using OutboundVault.FakeProvider;

namespace OutboundVault.Tests.Infrastructure;

/// <summary>
/// The one builder for the apps tests create: unique ids, the app's fields as JSON (each test changes what it
/// needs), and the create through the same route the SDKs call.
/// </summary>
static class TestApps
{
    /// <summary>
    /// The discard port on loopback: should anything try to reach a provider for a test app that has none, the call
    /// is refused at once and never leaves the machine.
    /// </summary>
    public const string LoopbackTokenUrl = "http://127.0.0.1:9/token";

    public const string RedirectUrl = "https://app.example.test/connected";

    public static string NewId(string prefix = "app") => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)];

    /// <summary>An OAuth app whose provider is never contacted.</summary>
    public static JsonObject OAuth(string? id = null)
    {
        id ??= NewId("oauth");
        return new JsonObject
        {
            ["id"] = id, ["name"] = "OAuth " + id, ["clientId"] = "cid", ["tokenUrl"] = LoopbackTokenUrl,
            ["authorizationUrl"] = "http://127.0.0.1:9/authorize",
        };
    }

    /// <summary>An OAuth app for <paramref name="fake"/>: its client, explicit endpoints, PKCE and a default redirect URL.</summary>
    public static JsonObject For(FakeOAuthProvider fake, string? id = null)
    {
        id ??= NewId();
        return new JsonObject
        {
            ["id"] = id, ["name"] = "Fake " + id, ["clientId"] = fake.Options.ClientId, ["clientSecret"] = fake.Options.ClientSecret,
            ["authorizationUrl"] = fake.AuthorizationUrl, ["tokenUrl"] = fake.TokenUrl, ["revocationUrl"] = fake.RevocationUrl,
            ["defaultScopes"] = new JsonArray("openid", "email"), ["defaultRedirectUrl"] = RedirectUrl, ["pkce"] = true,
        };
    }

    /// <summary>An API-key app (no provider at all).</summary>
    public static JsonObject ApiKey(string? id = null)
    {
        id ??= NewId("keyapp");
        return new JsonObject { ["id"] = id, ["name"] = "Keys " + id, ["appType"] = "apikey" };
    }

    /// <summary>Creates the app and answers its id.</summary>
    public static async Task<string> CreateAsync(this HttpClient management, JsonObject app, Action<JsonObject>? customize = null)
    {
        customize?.Invoke(app);
        await (await management.PostJson("/v1/mgmt/outbound/app/create", app.ToJsonString())).ShouldBeOk();
        return app["id"]!.GetValue<string>();
    }
}
