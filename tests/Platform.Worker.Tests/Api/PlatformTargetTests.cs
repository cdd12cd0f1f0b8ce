using EmotionLab.Worker.Api;

namespace EmotionLab.Worker.Tests.Api;

/// <summary>Whom submit and export talk to: the API with a token by default, the database only for a node that says so.</summary>
public sealed class PlatformTargetTests
{
    private static Func<string, string?> Environment(params (string Name, string Value)[] variables) =>
        name => variables.FirstOrDefault(v => v.Name == name).Value;

    [Fact]
    public void A_newcomer_with_a_token_talks_to_the_local_platform()
    {
        var (target, problem) = PlatformTarget.Resolve("submit", url: null, token: "elab_abc", database: null, Environment());
        Assert.Null(problem);
        Assert.True(target!.IsApi);
        Assert.Equal(new Uri("http://127.0.0.1:5080"), target.Url);
        Assert.Equal("elab_abc", target.Token);
    }

    [Fact]
    public void Without_a_token_it_says_where_to_make_one()
    {
        var (target, problem) = PlatformTarget.Resolve("export", url: "http://lab.example:8080", token: null, database: null, Environment());
        Assert.Null(target);
        Assert.Equal("export: no token: make one on the platform's account page (http://lab.example:8080/account) and pass it with --token or set EMOTIONLAB_TOKEN " +
                     "(a worker node passes --database or sets ConnectionStrings__EmotionLab instead)", problem);
    }

    [Fact]
    public void The_environment_gives_the_address_and_token_and_an_option_wins_over_it()
    {
        var environment = Environment((PlatformTarget.UrlVariable, "http://lab.example:8080"), (PlatformTarget.TokenVariable, "elab_env"),
            (PlatformTarget.DatabaseVariable, "Host=db"));
        var (target, _) = PlatformTarget.Resolve("submit", null, null, null, environment);
        Assert.Equal((new Uri("http://lab.example:8080"), "elab_env"), (target!.Url, target.Token));
        (target, _) = PlatformTarget.Resolve("submit", "http://other:5080", "elab_option", null, environment);
        Assert.Equal((new Uri("http://other:5080"), "elab_option"), (target!.Url, target.Token));
    }

    [Fact]
    public void A_node_uses_its_database_when_it_names_one_and_no_token()
    {
        var (target, _) = PlatformTarget.Resolve("submit", null, null, null, Environment((PlatformTarget.DatabaseVariable, "Host=db")));
        Assert.Equal("Host=db", target!.ConnectionString);
        Assert.False(target.IsApi);
        (target, _) = PlatformTarget.Resolve("submit", null, null, "Host=explicit", Environment((PlatformTarget.TokenVariable, "elab_env")));
        Assert.Equal("Host=explicit", target!.ConnectionString);
    }

    [Fact]
    public void Both_a_database_and_an_address_or_a_bad_address_are_refused()
    {
        Assert.Equal("submit: give --database (a worker node) or --url and --token (the platform's API), not both",
            PlatformTarget.Resolve("submit", "http://x:1", null, "Host=db", Environment()).Problem);
        Assert.Equal("submit: --url 'lab:5080' is not the platform's address; give one like http://127.0.0.1:5080",
            PlatformTarget.Resolve("submit", "lab:5080", "elab_x", null, Environment()).Problem);
    }
}
