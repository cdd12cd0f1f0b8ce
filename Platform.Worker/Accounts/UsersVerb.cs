using System.CommandLine;
using EmotionLab.Data;
using EmotionLab.Data.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EmotionLab.Worker.Accounts;

/// <summary>
/// `users add NAME [--role admin|member|viewer] [--admin]` and `users list`: the lab's accounts,
/// straight in the platform database (a node's trusted connection, like `db`). A new user's password
/// is generated and printed once; they change it on their account page.
/// </summary>
public static class UsersVerb
{
    public static Command Command()
    {
        var name = new Argument<string>("NAME") { Description = "The user name they sign in with." };
        var role = new Option<string>("--role") { Description = "admin, member or viewer.", DefaultValueFactory = _ => LabRoles.Member };
        var admin = new Option<bool>("--admin") { Description = "Same as --role admin (the way to make the first admin without the setup page)." };
        var database = new Option<string?>("--database") { Description = "PostgreSQL connection string (default: ConnectionStrings__EmotionLab)." };
        var add = new Command("add", "Add a user with a generated password, printed once.") { name, role, admin, database };
        add.SetAction((result, cancellation) => WithUsersAsync(result.GetValue(database), async (users, _) =>
        {
            var made = await users.CreateAsync(result.GetValue(name)!, result.GetValue(admin) ? LabRoles.Admin : result.GetValue(role)!, password: null, cancellation);
            if (!made.Succeeded)
            {
                await Console.Error.WriteLineAsync($"users: {result.GetValue(name)} was not added: {string.Join(" ", made.Problems)}");
                return 1;
            }
            Console.WriteLine($"users: added {made.User!.UserName}; password (shown once): {made.Password}");
            return 0;
        }, cancellation));

        var listDatabase = new Option<string?>("--database") { Description = "PostgreSQL connection string (default: ConnectionStrings__EmotionLab)." };
        var list = new Command("list", "Every user with their role.") { listDatabase };
        list.SetAction((result, cancellation) => WithUsersAsync(result.GetValue(listDatabase), async (_, db) =>
        {
            var rows = await db.Users.OrderBy(u => u.UserName)
                .Select(u => new { u.UserName, Roles = db.UserRoles.Where(ur => ur.UserId == u.Id).Join(db.Roles, ur => ur.RoleId, r => r.Id, (_, r) => r.Name).ToList() })
                .ToListAsync(cancellation);
            foreach (var row in rows) Console.WriteLine($"{row.UserName}\t{string.Join(",", row.Roles)}");
            return 0;
        }, cancellation));

        return new Command("users", "The lab's accounts.") { add, list };
    }

    private static async Task<int> WithUsersAsync(string? connectionString, Func<LabUsers, EmotionLabDbContext, Task<int>> action, CancellationToken cancellation)
    {
        connectionString ??= Environment.GetEnvironmentVariable("ConnectionStrings__EmotionLab");
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            await Console.Error.WriteLineAsync("users: no database: pass --database or set ConnectionStrings__EmotionLab " +
                                               "(the embedded one: Host=127.0.0.1;Port=$(cat artifacts/postgres/emotionlab.port);Database=emotionlab;Username=emotionlab)");
            return 2;
        }
        await DatabaseSchema.MigrateAsync(connectionString, cancellation);
        var services = new ServiceCollection()
            .AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning))
            .AddSingleton(TimeProvider.System)
            .AddDbContext<EmotionLabDbContext>(options => options.UseNpgsql(connectionString, npgsql => npgsql.MigrationsAssembly(EmotionLabDbContext.MigrationsAssembly)))
            .AddScoped<LabUsers>();
        services.AddLabIdentity();
        await using var provider = services.BuildServiceProvider();
        await using var scope = provider.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<LabUsers>(), scope.ServiceProvider.GetRequiredService<EmotionLabDbContext>());
    }
}
