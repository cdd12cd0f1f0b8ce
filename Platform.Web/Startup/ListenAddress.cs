using Microsoft.AspNetCore.Hosting;

namespace EmotionLab.Web.Startup;

/// <summary>The app listens on loopback port 5080 unless urls or Kestrel endpoints are configured the usual ways.</summary>
public static class ListenAddress
{
    public const string Default = "http://127.0.0.1:5080";

    public static WebApplicationBuilder UseDefaultListenAddress(this WebApplicationBuilder builder)
    {
        // Set in code rather than appsettings.json, where it would override ASPNETCORE_URLS.
        var urlsConfigured = !string.IsNullOrWhiteSpace(builder.Configuration[WebHostDefaults.ServerUrlsKey])
                             || !string.IsNullOrWhiteSpace(builder.Configuration["HTTP_PORTS"])
                             || builder.Configuration.GetSection("Kestrel:Endpoints").Exists();
        if (!urlsConfigured) builder.WebHost.UseUrls(Default);
        return builder;
    }
}
