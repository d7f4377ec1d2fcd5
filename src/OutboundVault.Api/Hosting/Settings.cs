using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace OutboundVault.Hosting;

/// <summary>A section of the vault's settings: its name, and what is wrong with values bound from it.</summary>
interface ISettings
{
    static abstract string SectionName { get; }

    /// <summary>Each problem as one sentence that names the setting to fix; none when the values are usable.</summary>
    IEnumerable<string> Problems();
}

static class SettingsRegistration
{
    /// <summary>
    /// The one way a settings section becomes options: bound from <see cref="ISettings.SectionName"/>, checked by
    /// <see cref="ISettings.Problems"/>, and checked on start, so a bad value stops the vault before it serves.
    /// </summary>
    public static OptionsBuilder<T> AddSettings<T>(this IServiceCollection services) where T : class, ISettings
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<T>, SettingsValidator<T>>());
        return services.AddOptions<T>().BindConfiguration(T.SectionName).ValidateOnStart();
    }

    sealed class SettingsValidator<T> : IValidateOptions<T> where T : class, ISettings
    {
        public ValidateOptionsResult Validate(string? name, T options)
        {
            var problems = options.Problems().ToList();
            return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
        }
    }
}
