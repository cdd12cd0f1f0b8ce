using System.Net;

namespace EmotionLab.Web.Tests;

/// <summary>
/// An HTTP client that keeps cookies, as a browser does, so the antiforgery cookie of a page it
/// loaded goes with the form it then posts. Redirects are not followed: tests look at them.
/// </summary>
public sealed class BrowserSession : IDisposable
{
    private readonly HttpClient client;

    public BrowserSession(Uri baseAddress) =>
        client = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = baseAddress };

    public async Task<string> GetHtmlAsync(string url)
    {
        using var response = await client.GetAsync(url);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {url}: {(int)response.StatusCode}\n{body[..Math.Min(body.Length, 3000)]}");
        return body;
    }

    public Task<HttpResponseMessage> PostFormAsync(string url, IEnumerable<KeyValuePair<string, string>> fields) =>
        client.PostAsync(url, new FormUrlEncodedContent(fields));

    /// <summary>A POST as htmx sends it from a page: the page's token in the RequestVerificationToken header (App.razor's hx-headers).</summary>
    public Task<HttpResponseMessage> HtmxPostAsync(string url, string? token)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url);
        request.Headers.Add("HX-Request", "true");
        if (token is not null) request.Headers.Add("RequestVerificationToken", token);
        return client.SendAsync(request);
    }

    public void Dispose() => client.Dispose();
}
