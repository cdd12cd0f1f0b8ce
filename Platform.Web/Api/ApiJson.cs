using System.Text.Json.Serialization;

namespace EmotionLab.Web.Api;

/// <summary>JSON settings of the API: camelCase names (the web default) and enums by name, so statuses read "Running".</summary>
public static class ApiJson
{
    public static IServiceCollection ConfigureApiJson(this IServiceCollection services) =>
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
}
