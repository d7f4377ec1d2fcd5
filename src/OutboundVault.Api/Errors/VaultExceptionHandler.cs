using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using OutboundVault.Data;

namespace OutboundVault.Errors;

/// <summary>
/// Turns every exception into a Descope error body. Body-binding failures arrive as
/// <see cref="BadHttpRequestException"/> because route handlers are set to throw on bad requests.
/// Exception messages from parsers can quote request bytes, so only our own wording reaches the caller.
/// </summary>
sealed class VaultExceptionHandler(ILogger<VaultExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken ct)
    {
        var (error, message) = Translate(exception);
        if (error.Status >= 500)
        {
            // The exception type and stack only: messages of foreign exceptions are not trusted to be secret-free.
            logger.LogError("Request failed with {ExceptionType} at {StackTrace}", exception.GetType().FullName, exception.StackTrace);
        }
        if (context.Response.HasStarted) return false;
        context.Response.Clear();
        context.Response.StatusCode = error.Status;
        await context.Response.WriteAsJsonAsync(DescopeError.From(error, message), ct);
        return true;
    }

    internal static (VaultError Error, string Message) Translate(Exception exception) => exception switch
    {
        VaultException vault => (vault.Error, vault.Message),
        BadHttpRequestException { StatusCode: 413 } => (VaultError.PayloadTooLarge, "The request body is larger than the vault accepts"),
        BadHttpRequestException { StatusCode: 415 } => (VaultError.BadRequest, "Content-Type must be application/json"),
        BadHttpRequestException bad when FindJsonError(bad) is { } json => (VaultError.BadRequest, DescribeJson(json)),
        BadHttpRequestException bad when bad.Message.StartsWith("Required parameter", StringComparison.Ordinal)
            => (VaultError.MissingArgument, "A JSON request body is required"),
        BadHttpRequestException { StatusCode: 405 } => (VaultError.MethodNotAllowed, "Method not allowed"),
        BadHttpRequestException => (VaultError.BadRequest, "The request could not be read"),
        _ when DatabaseErrors.IsForeignKeyViolation(exception) => (VaultError.NotFound, "The outbound app was deleted while this request ran"),
        _ when DatabaseErrors.IsLostRace(exception) => (VaultError.Conflict, "Another request changed the same data at the same moment; send the request again"),
        _ when IsDataError(exception) => (VaultError.InvalidRequest, "A value in the request cannot be stored or looked up: it holds characters the database refuses"),
        _ => (VaultError.Internal, "The vault could not complete the request"),
    };

    /// <summary>
    /// PostgreSQL's class 22 ("data exception", e.g. 22021 for a NUL in text) is about the value sent, not the
    /// vault: whatever the validators let through is the caller's 400, never a 500.
    /// </summary>
    static bool IsDataError(Exception e)
    {
        for (Exception? current = e; current is not null; current = current.InnerException)
            if (current is Npgsql.PostgresException { SqlState: ['2', '2', ..] }) return true;
        return false;
    }

    static JsonException? FindJsonError(Exception e)
    {
        for (var current = e.InnerException; current is not null; current = current.InnerException)
            if (current is JsonException json) return json;
        return null;
    }

    static string DescribeJson(JsonException json) => json.Path is { Length: > 1 } path
        ? $"Request body is not valid: field '{path.TrimStart('$', '.')}' has the wrong type or format"
        : "Request body is not valid JSON";
}
