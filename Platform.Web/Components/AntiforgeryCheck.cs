using Microsoft.AspNetCore.Antiforgery;

namespace EmotionLab.Web.Components;

/// <summary>
/// Requires the antiforgery token on endpoints that change something but bind no form (htmx
/// POSTs send the token in a header: see App.razor's hx-headers). Minimal API endpoints check the
/// token by themselves only when they read form parameters.
/// </summary>
public static class AntiforgeryCheck
{
    public static TBuilder RequireAntiforgeryToken<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var antiforgery = context.HttpContext.RequestServices.GetRequiredService<IAntiforgery>();
            return await antiforgery.IsRequestValidAsync(context.HttpContext)
                ? await next(context)
                : TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Missing or invalid antiforgery token",
                    detail: "Send the page's token in the RequestVerificationToken header or the form (reload the page for a fresh one); scripts use /api instead.");
        });
}
