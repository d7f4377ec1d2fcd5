using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.FileProviders;

namespace OutboundVault.Hosting;

static class SettingsDirectory
{
    /// <summary>Where the chosen directory is kept in the configuration, for the data module to resolve DataDirectory against.</summary>
    public const string Key = "OutboundVault:SettingsDirectory";

    /// <summary>
    /// The host's arguments: settings are read once, at start (a problem stops the start, <see cref="ISettings"/>), so
    /// the settings files are not watched. A watch covers the whole content root, and from a content root of <c>/</c>
    /// it walked the whole file system: 1.6 s of a 2.7 s start (bench/README.md, "Start-up and idle memory").
    /// </summary>
    public static string[] ReadOnce(string[] args) => ["--hostBuilder:reloadConfigOnChange=false", .. args];

    /// <summary>
    /// Where the vault reads appsettings.json and resolves a relative <c>DataDirectory</c>: the content root (the
    /// working directory: <c>dotnet run</c>'s project directory, the container's WORKDIR) when it holds the settings,
    /// else the application's own directory. A published server started from anywhere
    /// (<c>cd / &amp;&amp; dotnet /app/OutboundVault.Api.dll</c>) so finds its settings and its data instead of silently
    /// opening a new, empty database with a new key.
    /// </summary>
    public static WebApplicationBuilder UseSettingsDirectory(this WebApplicationBuilder builder)
    {
        builder.Configuration.AddInMemoryCollection([KeyValuePair.Create<string, string?>(Key, Choose(builder))]);
        return builder;
    }

    static string Choose(WebApplicationBuilder builder)
    {
        var contentRoot = builder.Environment.ContentRootPath;
        if (File.Exists(Path.Combine(contentRoot, "appsettings.json"))) return contentRoot;
        var application = AppContext.BaseDirectory;
        var sources = builder.Configuration.Sources;
        for (var i = 0; i < sources.Count; i++)
        {
            if (sources[i] is JsonConfigurationSource { Path: { } path } json && path.StartsWith("appsettings", StringComparison.Ordinal))
                sources[i] = new JsonConfigurationSource { FileProvider = new PhysicalFileProvider(application), Path = path, Optional = json.Optional };
        }
        return application;
    }
}
