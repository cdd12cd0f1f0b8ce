using System.Net;
using EmotionLab.Data.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace EmotionLab.Web.Tests;

/// <summary>
/// The users page in Chromium, as an admin: a member added with a generated password that signs in,
/// made a viewer, given a new password (the old one no longer works), locked (no sign-in, no token)
/// and unlocked; members and viewers do not get the page.
/// </summary>
[Collection(nameof(WebAppFixture))]
public sealed class UsersPageTests(WebAppFixture app)
{
    [Fact]
    public async Task An_admin_adds_a_user_changes_their_role_gives_a_new_password_and_locks_them()
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        var problems = new List<string>();
        var page = await Chromium.NewPageAsync(browser, problems, app.Session);
        await page.GotoAsync(new Uri(app.BaseAddress, "/admin/users").ToString());
        await Chromium.WaitForCircuitAsync(page);

        await page.FillAsync("#new-user-name", "new-student");
        await page.ClickAsync("#add-user-button");
        var shown = page.Locator("#shown-password-value");
        await Assertions.Expect(page.Locator("#shown-password")).ToContainTextAsync("User 'new-student' (member) was added");
        var password = (await shown.TextContentAsync())!.Trim();
        Assert.Equal(20, password.Length);
        var row = page.Locator("#users-table tr[data-user='new-student']");
        await Assertions.Expect(row).ToContainTextAsync("member");
        var firstSession = await LabSession.SignInAsync(app.Services, app.BaseAddress, "new-student", password);

        // A taken name is refused and named.
        await page.FillAsync("#new-user-name", "new-student");
        await page.ClickAsync("#add-user-button");
        await Assertions.Expect(page.Locator("#users-problem")).ToContainTextAsync("new-student");

        // Made a viewer: the one role they have from now on.
        await row.Locator(".mud-input-control").ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item").Filter(new() { HasTextRegex = new System.Text.RegularExpressions.Regex("^\\s*viewer\\s*$") }).ClickAsync();
        await Assertions.Expect(page.Locator(".mud-snackbar")).ToContainTextAsync("new-student is now a viewer");
        await using (var db = app.Postgres.NewContext())
        {
            var roles = await db.UserRoles.Where(ur => ur.UserId == db.Users.Single(u => u.UserName == "new-student").Id)
                .Join(db.Roles, ur => ur.RoleId, r => r.Id, (_, r) => r.Name).ToListAsync();
            Assert.Equal([LabRoles.Viewer], roles);
        }

        // A new password: shown once, the old one refused.
        await row.Locator(".user-new-password").ClickAsync();
        await page.Locator(".mud-dialog").GetByRole(AriaRole.Button, new() { Name = "New password", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator("#shown-password")).ToContainTextAsync("new-student's new password:");
        var newPassword = (await shown.TextContentAsync())!.Trim();
        Assert.NotEqual(password, newPassword);
        Assert.Null(await LabSession.PostSignInAsync(app.BaseAddress, "new-student", password));
        Assert.NotNull(await LabSession.PostSignInAsync(app.BaseAddress, "new-student", newPassword));

        // Locked: no sign-in, and the token they had is refused.
        await row.Locator(".user-lock").ClickAsync();
        await page.Locator(".mud-dialog").GetByRole(AriaRole.Button, new() { Name = "Lock", Exact = true }).ClickAsync();
        await Assertions.Expect(row.Locator(".user-status")).ToContainTextAsync("locked");
        await Chromium.ScreenshotAsync(page, "users-locked.png", fullPage: false);
        Assert.Null(await LabSession.PostSignInAsync(app.BaseAddress, "new-student", newPassword));
        using (var client = firstSession.TokenClient())
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/runs")).StatusCode);
        await row.Locator(".user-unlock").ClickAsync();
        await Assertions.Expect(row.Locator(".user-status")).ToContainTextAsync("active");
        Assert.NotNull(await LabSession.PostSignInAsync(app.BaseAddress, "new-student", newPassword));

        // The admin cannot lock themselves or change their own role.
        var self = page.Locator($"#users-table tr[data-user='{app.Session.UserName}']");
        Assert.Equal(0, await self.Locator(".user-lock").CountAsync());
        Assert.Empty(problems);

        // Not a page for members.
        var member = await LabSession.CreateAsync(app.Services, app.BaseAddress, "curious-member", LabRoles.Member);
        using var memberClient = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = app.BaseAddress };
        var request = new HttpRequestMessage(HttpMethod.Get, "/admin/users");
        request.Headers.Add("Cookie", $"{member.CookieName}={member.CookieValue}");
        using var refused = await memberClient.SendAsync(request);
        Assert.NotEqual(HttpStatusCode.OK, refused.StatusCode);
        Assert.DoesNotContain("users-table", await refused.Content.ReadAsStringAsync());
    }
}
