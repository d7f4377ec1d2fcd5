using FluentValidation;
using OutboundVault.Errors;

namespace OutboundVault.Validation;

/// <summary>
/// Validates the body argument of type <typeparamref name="T"/> and answers the first failure as a
/// Descope error: E011002 for a missing argument, E011003 for anything else.
/// </summary>
sealed class ValidationFilter<T>(IValidator<T> validator) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var argument = context.Arguments.OfType<T>().FirstOrDefault()
            ?? throw VaultException.Missing("A JSON request body is required");
        var result = await validator.ValidateAsync(argument, context.HttpContext.RequestAborted);
        if (result.IsValid) return await next(context);
        var first = result.Errors[0];
        return DescopeError.Result(ValidationFilterExtensions.ErrorFor(first), first.ErrorMessage);
    }
}

static class ValidationFilterExtensions
{
    /// <summary>E011002 for a missing argument, E011003 for anything else.</summary>
    public static VaultError ErrorFor(FluentValidation.Results.ValidationFailure failure) =>
        failure.ErrorCode == VaultError.MissingArgument.Code ? VaultError.MissingArgument : VaultError.InvalidRequest;

    /// <summary>
    /// Validates a value the vault assembled (a template with overrides, discovered metadata, a stored app with a
    /// partial update): the first failure, named with <paramref name="context"/>, as a Descope error.
    /// </summary>
    public static async Task EnsureValidAsync<T>(this IValidator<T> validator, T value, string context, CancellationToken ct)
    {
        var result = await validator.ValidateAsync(value, ct);
        if (result.IsValid) return;
        var first = result.Errors[0];
        throw new VaultException(ErrorFor(first), $"{context}: {first.ErrorMessage}");
    }

    /// <summary>Validates the request body of this endpoint with its registered validator.</summary>
    public static RouteHandlerBuilder Validate<T>(this RouteHandlerBuilder builder) =>
        builder.AddEndpointFilter<ValidationFilter<T>>()
            .ProducesValidationError();

    public static RouteHandlerBuilder ProducesValidationError(this RouteHandlerBuilder builder) =>
        builder.Produces<DescopeError>(StatusCodes.Status400BadRequest);

    public static IServiceCollection AddValidator<T, TValidator>(this IServiceCollection services)
        where TValidator : class, IValidator<T> =>
        services.AddSingleton<IValidator<T>, TValidator>();
}
