namespace OutboundVault.Errors;

/// <summary>Every error answers the Descope body <c>{errorCode, errorDescription, errorMessage}</c> (docs/contract.md, "Errors").</summary>
static class ErrorsModule
{
    public static IServiceCollection AddErrors(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddExceptionHandler<VaultExceptionHandler>();
        services.AddProblemDetails();
        // Throwing on binding failures routes malformed JSON, wrong content types and missing bodies
        // through VaultExceptionHandler, so they answer with the Descope body instead of an empty 400.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        return services;
    }

    /// <summary>Exceptions and bodiless error statuses (unknown route, wrong method, 401) all answer JSON.</summary>
    public static WebApplication UseVaultErrors(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages(async context =>
        {
            var response = context.HttpContext.Response;
            if (response.HasStarted || response.ContentLength > 0 || response.ContentType is not null) return;
            // Minimal APIs answer a non-JSON body with a bare 415; callers get a 400 they can read instead.
            var unsupportedMediaType = response.StatusCode == StatusCodes.Status415UnsupportedMediaType;
            if (unsupportedMediaType) response.StatusCode = StatusCodes.Status400BadRequest;
            var error = VaultError.ForStatus(response.StatusCode);
            var message = unsupportedMediaType ? "Content-Type must be application/json" : response.StatusCode switch
            {
                404 => "No such route",
                405 => "Method not allowed on this route",
                _ => error.Description,
            };
            await response.WriteAsJsonAsync(DescopeError.From(error, message));
        });
        return app;
    }
}
