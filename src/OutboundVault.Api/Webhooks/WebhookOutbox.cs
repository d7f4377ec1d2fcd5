using System.Text.Json;
using Microsoft.Extensions.Options;
using OutboundVault.Data;

namespace OutboundVault.Webhooks;

/// <summary>What an event says: ids and, for failures, the vault's secret-free reason.</summary>
sealed record WebhookData(string? AppId, string? UserId = null, string? TenantId = null, string? TokenId = null, string? Error = null)
{
    public static WebhookData Of(Tokens.OutboundToken token, string? error = null) =>
        new(token.AppId, Tokens.Arguments.NonEmpty(token.UserId), Tokens.Arguments.NonEmpty(token.TenantId), token.Id, error);
}

/// <summary>
/// Stages events as outbox rows in the caller's context, one per endpoint: they commit with the caller's change
/// (its SaveChanges, inside its transaction) or not at all.
/// </summary>
sealed class WebhookOutbox(IOptions<WebhookOptions> options, TimeProvider clock)
{
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };

    public void Stage(VaultDbContext db, string type, WebhookData data)
    {
        if (options.Value.Endpoints.Count == 0) return;
        var now = clock.GetUtcNow().UtcDateTime;
        var payload = JsonSerializer.Serialize(new { type, timestamp = now.ToString("O"), data }, Json);
        foreach (var endpoint in options.Value.Endpoints)
        {
            db.WebhookMessages.Add(new WebhookMessage
            {
                Id = Security.RandomIds.New("msg_", 24), Url = endpoint.Url, Type = type, Payload = payload,
                CreatedAt = now, NextAttemptAt = now,
            });
        }
    }
}
