using EmotionLab.Data.Accounts;
using EmotionLab.Data.Tests;
using EmotionLab.Worker.Accounts;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace EmotionLab.Worker.Tests.Accounts;

/// <summary>`users add` and `users list` against a throwaway PostgreSQL: a generated password that signs in, the role given, and clear refusals.</summary>
[Collection(nameof(ThrowawayPostgres))]
public sealed class UsersVerbTests(ThrowawayPostgres postgres)
{
    [Fact]
    public async Task Add_makes_a_user_with_a_generated_password_and_the_role_and_list_shows_them()
    {
        var name = "member-" + Guid.NewGuid().ToString("N")[..8];
        var (output, errors) = (new StringWriter(), new StringWriter());
        Assert.Equal(0, await UsersVerb.AddAsync(postgres.ConnectionString, name, LabRoles.Member, output, errors, CancellationToken.None));
        var password = output.ToString().Split("(shown once): ")[1].Trim();
        Assert.True(password.Length >= 20, output.ToString());

        await using (var db = postgres.NewContext())
        {
            var user = await db.Users.SingleAsync(u => u.UserName == name);
            Assert.NotEqual(PasswordVerificationResult.Failed, new PasswordHasher<LabUser>().VerifyHashedPassword(user, user.PasswordHash!, password));
            Assert.DoesNotContain(password, user.PasswordHash); // stored hashed
            var roles = await db.UserRoles.Where(r => r.UserId == user.Id).Join(db.Roles, ur => ur.RoleId, r => r.Id, (_, r) => r.Name).ToListAsync();
            Assert.Equal([LabRoles.Member], roles);
        }

        var listed = new StringWriter();
        Assert.Equal(0, await UsersVerb.ListAsync(postgres.ConnectionString, listed, errors, CancellationToken.None));
        Assert.Contains($"{name}\t{LabRoles.Member}", listed.ToString().Split('\n').Select(l => l.TrimEnd()));
        Assert.Equal("", errors.ToString());
    }

    [Fact]
    public async Task A_taken_name_an_unknown_role_and_no_database_are_refused_with_the_reason()
    {
        var name = "taken-" + Guid.NewGuid().ToString("N")[..8];
        Assert.Equal(0, await UsersVerb.AddAsync(postgres.ConnectionString, name, LabRoles.Viewer, new StringWriter(), new StringWriter(), CancellationToken.None));

        var errors = new StringWriter();
        Assert.Equal(1, await UsersVerb.AddAsync(postgres.ConnectionString, name, LabRoles.Viewer, new StringWriter(), errors, CancellationToken.None));
        Assert.Contains($"{name} was not added", errors.ToString());
        Assert.Contains("already taken", errors.ToString());

        errors = new StringWriter();
        Assert.Equal(1, await UsersVerb.AddAsync(postgres.ConnectionString, name + "-2", "owner", new StringWriter(), errors, CancellationToken.None));
        Assert.Contains("there is no role 'owner': use admin, member, viewer", errors.ToString());

        errors = new StringWriter();
        Assert.Equal(2, await UsersVerb.AddAsync("", name + "-3", LabRoles.Member, new StringWriter(), errors, CancellationToken.None));
        Assert.Contains("no database", errors.ToString());
    }
}
