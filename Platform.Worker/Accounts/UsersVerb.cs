using System.CommandLine;
using EmotionLab.Data.Accounts;
using Microsoft.Extensions.DependencyInjection;

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
        add.SetAction((result, cancellation) => AddAsync(result.GetValue(database), result.GetValue(name)!,
            result.GetValue(admin) ? LabRoles.Admin : result.GetValue(role)!, Console.Out, Console.Error, cancellation));

        var listDatabase = new Option<string?>("--database") { Description = "PostgreSQL connection string (default: ConnectionStrings__EmotionLab)." };
        var list = new Command("list", "Every user with their role.") { listDatabase };
        list.SetAction((result, cancellation) => ListAsync(result.GetValue(listDatabase), Console.Out, Console.Error, cancellation));

        return new Command("users", "The lab's accounts.") { add, list };
    }

    /// <summary>0 when added (the password printed once), 1 when refused (why printed), 2 without a database.</summary>
    public static Task<int> AddAsync(string? connectionString, string name, string role, TextWriter output, TextWriter errors, CancellationToken cancellation) =>
        WithUsersAsync(connectionString, errors, async users =>
        {
            var made = await users.CreateAsync(name, role, password: null, cancellation);
            if (!made.Succeeded)
            {
                await errors.WriteLineAsync($"users: {name} was not added: {string.Join(" ", made.Problems)}");
                return 1;
            }
            await output.WriteLineAsync($"users: added {made.User!.UserName} ({role}); password (shown once): {made.Password}");
            return 0;
        }, cancellation);

    /// <summary>Each user, their role and whether they are locked, a line each, tab-separated (the users page's list).</summary>
    public static Task<int> ListAsync(string? connectionString, TextWriter output, TextWriter errors, CancellationToken cancellation) =>
        WithUsersAsync(connectionString, errors, async accounts =>
        {
            foreach (var user in await accounts.ListAsync(cancellation))
                await output.WriteLineAsync($"{user.UserName}\t{user.Role}{(user.IsLocked(DateTimeOffset.UtcNow) ? "\tlocked" : "")}");
            return 0;
        }, cancellation);

    private static async Task<int> WithUsersAsync(string? connectionString, TextWriter errors, Func<LabUsers, Task<int>> action, CancellationToken cancellation)
    {
        (connectionString, var problem) = Database.NodeDatabase.Resolve("users", connectionString);
        if (connectionString is null)
        {
            await errors.WriteLineAsync(problem);
            return 2;
        }
        return await NodeAccounts.WithAsync(connectionString, services => action(services.GetRequiredService<LabUsers>()), cancellation);
    }
}
