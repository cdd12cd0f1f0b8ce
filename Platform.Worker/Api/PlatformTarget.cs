namespace EmotionLab.Worker.Api;

/// <summary>
/// Whom `submit` and `export` talk to: the platform's API with the user's token (a researcher's
/// machine; the default, at http://127.0.0.1:5080 where scripts/start.sh serves it), or the
/// platform's database directly (a worker node, a trusted part of the platform, with --database or
/// ConnectionStrings__EmotionLab). An explicit option wins over the environment.
/// </summary>
public sealed record PlatformTarget(string? ConnectionString, Uri? Url, string? Token)
{
    public const string DefaultUrl = "http://127.0.0.1:5080";
    public const string UrlVariable = "EMOTIONLAB_URL";
    public const string TokenVariable = "EMOTIONLAB_TOKEN";
    public const string DatabaseVariable = "ConnectionStrings__EmotionLab";

    public bool IsApi => Url is not null;

    public PlatformApiClient OpenApi() => new(Url!, Token!);

    /// <returns>the target, or null with the one-line problem the verb prints (exit 2)</returns>
    public static (PlatformTarget? Target, string? Problem) Resolve(string verb, string? url, string? token, string? database,
        Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        if (database is not null && (url is not null || token is not null))
            return (null, $"{verb}: give --database (a worker node) or --url and --token (the platform's API), not both");
        if (database is not null) return (new PlatformTarget(database, null, null), null);

        token ??= environment(TokenVariable);
        if (url is null && token is null && environment(DatabaseVariable) is { Length: > 0 } nodeDatabase)
            return (new PlatformTarget(nodeDatabase, null, null), null);
        url ??= environment(UrlVariable) is { Length: > 0 } fromEnvironment ? fromEnvironment : DefaultUrl;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var address) || address.Scheme is not ("http" or "https"))
            return (null, $"{verb}: --url '{url}' is not the platform's address; give one like {DefaultUrl}");
        if (string.IsNullOrWhiteSpace(token))
            return (null, $"{verb}: no token: make one on the platform's account page ({new Uri(address, "/account")}) and pass it with --token or set {TokenVariable} " +
                          $"(a worker node passes --database or sets {DatabaseVariable} instead)");
        return (new PlatformTarget(null, address, token.Trim()), null);
    }
}
