using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace EmotionLab.Worker.Api;

/// <summary>A call to the platform's API that did not succeed: its status and what the platform said (a problem's detail, or each field's problems).</summary>
public sealed class PlatformApiException(HttpStatusCode status, IReadOnlyList<string> problems)
    : Exception(string.Join("; ", problems))
{
    public HttpStatusCode Status { get; } = status;
    /// <summary>"field: message" for each problem of a 400, or the one detail of any other refusal.</summary>
    public IReadOnlyList<string> Problems { get; } = problems;
}

/// <summary>
/// The platform's JSON API as `submit` and `export` use it from a researcher's machine: every call
/// carries the user's token (Authorization: Bearer), answers are read as JSON documents, and a
/// refusal becomes a <see cref="PlatformApiException"/> naming what the platform said.
/// </summary>
public sealed class PlatformApiClient : IDisposable
{
    private readonly HttpClient http;

    public PlatformApiClient(Uri baseAddress, string token, HttpMessageHandler? handler = null)
    {
        http = handler is null ? new HttpClient() : new HttpClient(handler);
        http.BaseAddress = baseAddress;
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        http.Timeout = TimeSpan.FromMinutes(5);
    }

    public Uri BaseAddress => http.BaseAddress!;

    public async Task<JsonDocument> GetJsonAsync(string path, CancellationToken cancellation)
    {
        using var response = await SendAsync(new HttpRequestMessage(HttpMethod.Get, path), cancellation);
        return await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellation), cancellationToken: cancellation);
    }

    public async Task<JsonDocument> PostJsonAsync(string path, object body, CancellationToken cancellation)
    {
        using var response = await SendAsync(new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) }, cancellation);
        return await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellation), cancellationToken: cancellation);
    }

    /// <summary>A file the API serves (a table, a figure), with the name its Content-Disposition gives.</summary>
    public async Task<(byte[] Bytes, string? FileName)> GetFileAsync(string path, CancellationToken cancellation)
    {
        using var response = await SendAsync(new HttpRequestMessage(HttpMethod.Get, path), cancellation);
        var name = response.Content.Headers.ContentDisposition?.FileNameStar ?? response.Content.Headers.ContentDisposition?.FileName?.Trim('"');
        return (await response.Content.ReadAsByteArrayAsync(cancellation), name);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellation)
    {
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellation);
        }
        catch (HttpRequestException e)
        {
            throw new PlatformApiException(0, [$"cannot reach the platform at {http.BaseAddress}: {e.Message} (is it running? scripts/start.sh starts it; --url names another)"]);
        }
        if (response.IsSuccessStatusCode) return response;
        using (response)
            throw new PlatformApiException(response.StatusCode, await ProblemsAsync(response, cancellation));
    }

    // A 400's problems by field, or a problem's detail; a bare 401 says what a token is for.
    private async Task<IReadOnlyList<string>> ProblemsAsync(HttpResponseMessage response, CancellationToken cancellation)
    {
        if (response.StatusCode == HttpStatusCode.Unauthorized)
            return [$"the platform at {http.BaseAddress} refused the token (401): make one on its account page ({new Uri(http.BaseAddress!, "/account")}) and pass it with --token or EMOTIONLAB_TOKEN"];
        var text = await response.Content.ReadAsStringAsync(cancellation);
        try
        {
            using var problem = JsonDocument.Parse(text);
            var root = problem.RootElement;
            if (root.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Object)
                return [.. errors.EnumerateObject().SelectMany(field => field.Value.EnumerateArray().Select(m => field.Name.Length == 0 ? m.GetString()! : $"{field.Name}: {m.GetString()}"))];
            if (root.TryGetProperty("detail", out var detail) && detail.GetString() is { Length: > 0 } said) return [said.TrimEnd('.')];
            if (root.TryGetProperty("title", out var title) && title.GetString() is { Length: > 0 } titled) return [titled];
        }
        catch (JsonException)
        {
        }
        return [$"the platform answered {(int)response.StatusCode} {response.ReasonPhrase}"];
    }

    public void Dispose() => http.Dispose();
}
