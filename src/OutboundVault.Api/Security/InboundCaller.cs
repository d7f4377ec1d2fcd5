using System.Security.Claims;
using System.Text.Json;

namespace OutboundVault.Security;

/// <summary>What a validated inbound access token says about its holder, read from its claims (kept as issued).</summary>
sealed record InboundCaller(string Subject, IReadOnlySet<string> Scopes, IReadOnlySet<string> Tenants, string? ClientId)
{
    /// <summary>The scope an access token needs to fetch tokens (Descope's inbound-app scope).</summary>
    public const string FetchScope = "outbound.token.fetch";

    /// <summary>The inbound caller, or null for a management key (or nobody).</summary>
    public static InboundCaller? From(ClaimsPrincipal principal)
    {
        if (principal.Identity?.AuthenticationType != InboundTokenAuthentication.SchemeName) return null;
        if (principal.FindFirst("sub")?.Value is not { Length: > 0 } subject) return null;
        var scopes = new HashSet<string>(StringComparer.Ordinal);
        // "scope" is space-separated (RFC 9068); "scp" is an array (one claim per entry) or a space-separated string.
        foreach (var claim in principal.FindAll(c => c.Type is "scope" or "scp"))
            scopes.UnionWith(claim.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        var tenants = new HashSet<string>(StringComparer.Ordinal);
        // Descope session tokens: "tenants" is an object keyed by tenant id, "dct" the current tenant.
        foreach (var claim in principal.FindAll("tenants")) tenants.UnionWith(TenantKeys(claim.Value));
        if (principal.FindFirst("dct")?.Value is { Length: > 0 } current) tenants.Add(current);
        var clientId = principal.FindFirst("azp")?.Value ?? principal.FindFirst("client_id")?.Value;
        return new InboundCaller(subject, scopes, tenants, clientId);
    }

    static List<string> TenantKeys(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.ValueKind == JsonValueKind.Object
                ? document.RootElement.EnumerateObject().Select(p => p.Name).ToList()
                : [];
        }
        catch (JsonException)
        {
            return [];
        }
    }
}
