using EmotionLab.Data.Accounts;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Identity;

namespace EmotionLab.Web.Accounts;

/// <summary>Sign-out: a form post from the app bar, its antiforgery token checked so another site cannot sign a user out.</summary>
public static class AccountEndpoints
{
    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost(AccountPaths.SignOut, async (HttpContext context, IAntiforgery antiforgery, SignInManager<LabUser> signIn) =>
            {
                if (!await antiforgery.IsRequestValidAsync(context))
                    return Results.Problem(statusCode: StatusCodes.Status400BadRequest, detail: "The form's antiforgery token is missing or wrong: sign out from the platform's own page.");
                await signIn.SignOutAsync();
                return Results.LocalRedirect(AccountPaths.SignIn);
            })
            .DisableAntiforgery(); // checked above, for any content type
        return endpoints;
    }
}
