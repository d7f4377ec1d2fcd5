namespace OutboundVault.Errors;

/// <summary>Descope's error body: every SDK reads these three fields, and Go's fails on an empty code.</summary>
sealed record DescopeError(string ErrorCode, string ErrorDescription, string ErrorMessage)
{
    public static DescopeError From(VaultError error, string message) => new(error.Code, error.Description, message);

    public static IResult Result(VaultError error, string message) =>
        TypedResults.Json(From(error, message), statusCode: error.Status);
}
