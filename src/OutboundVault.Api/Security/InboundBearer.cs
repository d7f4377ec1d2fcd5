namespace OutboundVault.Security;

/// <summary>
/// An access token in the Authorization header, in every shape the SDKs send one: <c>Bearer &lt;jwt&gt;</c>
/// (Java's by-token service), <c>Bearer &lt;ProjectId&gt;:&lt;jwt&gt;</c> (python's, and core-js connect) and
/// node's <c>Bearer &lt;ProjectId&gt;:&lt;jwt&gt;:&lt;ManagementKey&gt;</c>.
/// </summary>
sealed record InboundBearer(string? ProjectId, string Jwt)
{
    public static InboundBearer? Read(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return null;
        var value = header["Bearer ".Length..].Trim();
        if (IsJwt(value)) return new InboundBearer(null, value);
        if (BearerParts.Read(request) is not { } parts) return null;
        var separator = parts.Rest.IndexOf(':', StringComparison.Ordinal);
        var token = separator < 0 ? parts.Rest : parts.Rest[..separator];
        return IsJwt(token) ? new InboundBearer(parts.ProjectId, token) : null;
    }

    /// <summary>A compact JWS: a base64url header starting with '{"' ("ey"), then payload and signature.</summary>
    static bool IsJwt(string token) => token.StartsWith("ey", StringComparison.Ordinal) && token.Count(c => c == '.') == 2;
}
