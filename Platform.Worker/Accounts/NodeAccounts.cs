using EmotionLab.Data;
using EmotionLab.Data.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EmotionLab.Worker.Accounts;

/// <summary>
/// The lab's accounts as a node reaches them: straight in the platform database (a node's trusted
/// connection), for `users` and for the benchmarks that sign their requests with a token.
/// </summary>
public static class NodeAccounts
{
    /// <summary>Runs the action with the account services of the database (migrated first), in one scope.</summary>
    public static async Task<T> WithAsync<T>(string connectionString, Func<IServiceProvider, Task<T>> action, CancellationToken cancellation)
    {
        await DatabaseSchema.MigrateAsync(connectionString, cancellation);
        var services = new ServiceCollection()
            .AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning))
            .AddSingleton(TimeProvider.System)
            .AddDbContext<EmotionLabDbContext>(options => options.UseNpgsql(connectionString, npgsql => npgsql.MigrationsAssembly(EmotionLabDbContext.MigrationsAssembly)))
            .AddScoped<LabUsers>()
            .AddScoped<ApiTokens>();
        services.AddLabIdentity();
        await using var provider = services.BuildServiceProvider();
        await using var scope = provider.CreateAsyncScope();
        return await action(scope.ServiceProvider);
    }

    /// <summary>A user with the role and a token of theirs (the token's secret); for a benchmark's requests.</summary>
    public static Task<string> CreateTokenUserAsync(string connectionString, string userName, string role, CancellationToken cancellation) =>
        WithAsync(connectionString, async services =>
        {
            var made = await services.GetRequiredService<LabUsers>().CreateAsync(userName, role, password: null, cancellation);
            if (!made.Succeeded) throw new InvalidOperationException($"{userName} could not be made: {string.Join(" ", made.Problems)}");
            return (await services.GetRequiredService<ApiTokens>().CreateAsync(made.User!.Id, "benchmark", cancellation)).Secret;
        }, cancellation);
}
