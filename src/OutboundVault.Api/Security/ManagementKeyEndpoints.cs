using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using OutboundVault.Errors;
using OutboundVault.Validation;

namespace OutboundVault.Security;

/// <summary><c>{role, appIds?}</c>: a key to make; <c>appIds</c> limits a fetch key to those apps.</summary>
sealed record CreateKeyRequest(string? Role, List<string>? AppIds);

sealed record KeyIdRequest(string? Id);

/// <summary>A management key as listed: never its secret. Times are epoch seconds; <c>lastUsedTime</c> is 0 until it is used.</summary>
sealed record KeyResponse(string Id, string Role, IReadOnlyList<string> AppIds, long CreatedTime, long LastUsedTime)
{
    internal static KeyResponse For(ManagementKeyRecord key) => new(key.Id, key.Role, key.AppIds, Seconds(key.CreatedAt), key.LastUsedAt is { } used ? Seconds(used) : 0);

    static long Seconds(DateTime time) => new DateTimeOffset(DateTime.SpecifyKind(time, DateTimeKind.Utc)).ToUnixTimeSeconds();
}

/// <summary>The answer to a create: the key, and its cleartext, shown this once.</summary>
sealed record CreatedKeyResponse(KeyResponse Key, string Cleartext);

sealed record KeysResponse(IReadOnlyList<KeyResponse> Keys);

sealed class CreateKeyRequestValidator : AbstractValidator<CreateKeyRequest>
{
    public CreateKeyRequestValidator()
    {
        RuleFor(r => r.Role).NotEmptyArgument("role").OneOf("role", KeyRoles.All);
        RuleFor(r => r.AppIds).Empty().When(r => r.Role == KeyRoles.Admin).WithMessage("appIds limit fetch keys only; an admin key may use every app");
        RuleForEach(r => r.AppIds).Must(RuleExtensions.IsValidId).WithMessage("appIds must be app ids (1 to 100 letters, digits, '.', '_' or '-')");
    }
}

sealed class KeyIdRequestValidator : AbstractValidator<KeyIdRequest>
{
    public KeyIdRequestValidator() => RuleFor(r => r.Id).NotEmptyArgument("id").ValidId("id");
}

/// <summary>Vault extension: management keys made, listed and revoked at run time (admin keys only).</summary>
static class ManagementKeyEndpoints
{
    public static RouteGroupBuilder MapManagementKeys(this RouteGroupBuilder mgmt)
    {
        mgmt.MapPost("/keys/create", Create).Validate<CreateKeyRequest>()
            .WithName("CreateManagementKey").WithSummary("Make a management key (admin, or fetch limited to some apps); its cleartext is answered once");
        mgmt.MapGet("/keys", List).WithName("ListManagementKeys").WithSummary("The management keys made at run time (never their secrets)");
        mgmt.MapPost("/keys/revoke", Revoke).Validate<KeyIdRequest>().Produces<DescopeError>(StatusCodes.Status404NotFound)
            .WithName("RevokeManagementKey").WithSummary("Revoke a management key; every instance refuses it within Management:KeyRefresh");
        return mgmt;
    }

    static async Task<Ok<CreatedKeyResponse>> Create(CreateKeyRequest request, ManagementKeys keys, CancellationToken ct)
    {
        var (key, cleartext) = await keys.CreateAsync(request.Role!, request.AppIds ?? [], ct);
        return TypedResults.Ok(new CreatedKeyResponse(KeyResponse.For(key), cleartext));
    }

    static async Task<Ok<KeysResponse>> List(ManagementKeys keys, CancellationToken ct) =>
        TypedResults.Ok(new KeysResponse([.. (await keys.ListAsync(ct)).Select(KeyResponse.For)]));

    static async Task<Ok<EmptyResponse>> Revoke(KeyIdRequest request, ManagementKeys keys, CancellationToken ct)
    {
        await keys.RevokeAsync(request.Id!, ct);
        return TypedResults.Ok(EmptyResponse.Instance);
    }
}
