namespace OutboundVault.Tokens;

/// <summary>
/// Who a token belongs to: a user (optionally within a tenant) or a tenant. Absent ids are stored as ""
/// so owner lookups are plain equality on an index.
/// </summary>
sealed record TokenOwner(string UserId, string TenantId)
{
    public static TokenOwner User(string userId, string? tenantId = null) => new(userId, tenantId ?? "");
    public static TokenOwner Tenant(string tenantId) => new("", tenantId);

    public bool IsTenantLevel => UserId.Length == 0;

    public override string ToString() => IsTenantLevel ? $"tenant '{TenantId}'" : TenantId.Length == 0 ? $"user '{UserId}'" : $"user '{UserId}' in tenant '{TenantId}'";
}
