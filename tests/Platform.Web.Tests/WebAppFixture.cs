using EmotionLab.Data.Tests;
using EmotionLab.Web.Startup;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EmotionLab.Web.Tests;

/// <summary>
/// The web app on a real loopback port (Kestrel, so a browser can reach it too), over a throwaway
/// PostgreSQL seeded once with <see cref="SeededLab"/>. Tests only read the seeded lab. The app's
/// artifact root (corpora imported from the pages, the in-process worker's files) is a temporary folder.
/// </summary>
public sealed class WebAppFixture : IAsyncLifetime
{
    private readonly ThrowawayPostgres postgres = new();
    private WebApplicationFactory<Program>? factory;

    public string ArtifactRoot { get; } = Directory.CreateTempSubdirectory("emotionlab-web-artifacts-").FullName;

    public SeededLab Lab { get; private set; } = default!;
    public Uri BaseAddress { get; private set; } = default!;
    /// <summary>Acts as <see cref="Session"/>'s admin, with its token.</summary>
    public HttpClient Client { get; private set; } = default!;
    /// <summary>An admin signed in: every page and action is open to them.</summary>
    public LabSession Session { get; private set; } = default!;
    public ThrowawayPostgres Postgres => postgres;
    public IServiceProvider Services => factory!.Services;
    /// <summary>What the app logged.</summary>
    public RecordedLogs Logs => ((LabWebApp)factory!).Logs;

    public async Task InitializeAsync()
    {
        await postgres.InitializeAsync();
        await using (var db = postgres.NewContext()) Lab = await SeededLab.WriteAsync(db);

        factory = new LabWebApp(postgres.ConnectionString, new Dictionary<string, string>
        {
            [Startup.ArtifactRoot.ConfigurationKey] = ArtifactRoot,
            // Sessions are checked against their account every 2 s, so a test sees a password change end one.
            ["Accounts:RevalidateSeconds"] = "2",
        });
        factory.UseKestrel(0);
        factory.StartServer();
        var address = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address);
        Session = await LabSession.CreateAsync(Services, BaseAddress, "lab-admin", EmotionLab.Data.Accounts.LabRoles.Admin);
        Client = Session.TokenClient();
    }

    /// <summary>A component's HTML, rendered with the app's own services (MudBlazor's included) as a prerendered page renders it.</summary>
    public async Task<string> RenderAsync<TComponent>(Dictionary<string, object?> parameters) where TComponent : Microsoft.AspNetCore.Components.IComponent
    {
        await using var scope = Services.CreateAsyncScope();
        await using var renderer = new Microsoft.AspNetCore.Components.Web.HtmlRenderer(scope.ServiceProvider, Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance);
        return await renderer.Dispatcher.InvokeAsync(async () =>
            (await renderer.RenderComponentAsync<TComponent>(Microsoft.AspNetCore.Components.ParameterView.FromDictionary(parameters))).ToHtmlString());
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        if (factory is not null) await factory.DisposeAsync();
        await postgres.DisposeAsync();
        Directory.Delete(ArtifactRoot, recursive: true);
    }
}

/// <summary>The app pointed at the throwaway database through the usual connection-string setting, plus any other settings.</summary>
internal sealed class LabWebApp(string connectionString, IReadOnlyDictionary<string, string>? settings = null) : WebApplicationFactory<Program>
{
    public RecordedLogs Logs { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        // The change feed's every look too (Debug), for a page that stops following.
        builder.ConfigureLogging(logging => logging.AddProvider(Logs).AddFilter<RecordedLogs>(typeof(EmotionLab.Web.Live.LabChanges).FullName, LogLevel.Debug));
        builder.UseSetting($"ConnectionStrings:{DatabaseConnection.ConnectionStringName}", connectionString);
        foreach (var (key, value) in settings ?? new Dictionary<string, string>()) builder.UseSetting(key, value);
    }
}

[CollectionDefinition(nameof(WebAppFixture))]
public sealed class WebAppCollection : ICollectionFixture<WebAppFixture>;
