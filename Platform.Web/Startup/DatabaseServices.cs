using EmotionLab.Data;
using EmotionLab.Data.Queries;
using EmotionLab.Data.Queries.Comparison;
using EmotionLab.Web.Compare;
using Microsoft.EntityFrameworkCore;

namespace EmotionLab.Web.Startup;

/// <summary>Registers the database connection, its startup (migrations), the DbContext and the page queries.</summary>
public static class DatabaseServices
{
    public static IServiceCollection AddEmotionLabDatabase(this IServiceCollection services)
    {
        services.AddSingleton(sp => DatabaseConnection.Open(
            sp.GetRequiredService<IConfiguration>(), sp.GetRequiredService<IHostEnvironment>(), sp.GetRequiredService<ILogger<DatabaseConnection>>()));
        services.AddHostedService<DatabaseStartup>();
        services.AddDbContext<EmotionLabDbContext>((sp, options) => options.UseNpgsql(
            sp.GetRequiredService<DatabaseConnection>().ConnectionString,
            npgsql => npgsql.MigrationsAssembly(EmotionLabDbContext.MigrationsAssembly)));
        services.AddScoped<RunListQuery>();
        services.AddScoped<RunDetailQuery>();
        services.AddScoped<RunHistoryQuery>();
        services.AddScoped<StepLossQuery>();
        services.AddScoped<WorkerOverviewQuery>();
        services.AddScoped<RunStatusCountsQuery>();
        services.AddScoped<GridResultsQuery>();
        services.AddScoped<GridListQuery>();
        services.AddScoped<RunDurationEstimateQuery>();
        services.AddScoped<ComparedRunsQuery>();
        services.AddScoped<ComparisonChartsQuery>();
        services.AddScoped<GridVariantRunsQuery>();
        services.AddScoped<ComparisonLoader>();
        services.AddScoped<EmotionLab.Worker.Figures.FigureExport>();
        services.AddScoped<NameSearchQuery>();
        services.AddScoped<DeletionQuery>();
        services.AddScoped<RecentFailuresQuery>();
        services.AddScoped<EmotionLab.Web.Components.Experiments.ExperimentFormSubmission>();
        return services;
    }
}
