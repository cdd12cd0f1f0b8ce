using EmotionLab.Data.Queries;
using EmotionLab.Web.Corpora;

namespace EmotionLab.Web.Startup;

/// <summary>The Corpora page's services: its overview query and the background imports.</summary>
public static class CorpusServices
{
    public static IServiceCollection AddCorpusImports(this IServiceCollection services)
    {
        services.AddScoped<CorpusOverviewQuery>();
        services.AddSingleton<CorpusImports>();
        return services;
    }
}
