using EmotionLab.Web.Api;
using EmotionLab.Web.Components;
using EmotionLab.Web.Startup;

var builder = WebApplication.CreateBuilder(args);
builder.UseDefaultListenAddress();
builder.Services.AddEmotionLabDatabase();
builder.AddEmotionLabQueue();
builder.Services.AddRazorComponents();
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.ConfigureApiJson();

var app = builder.Build();
app.UseStaticFiles();
app.UseAntiforgery();
app.MapRunsApi();
app.MapPagePartials();
app.MapRunActionPartials();
app.MapExperimentFormPartials();
app.MapRazorComponents<App>();
app.Run();

/// <summary>Visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
