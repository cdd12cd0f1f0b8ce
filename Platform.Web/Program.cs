using EmotionLab.Web.Accounts;
using EmotionLab.Web.Api;
using EmotionLab.Web.Components;
using EmotionLab.Web.Components.Corpora;
using EmotionLab.Web.Components.Demo;
using EmotionLab.Web.Diagnostics;
using EmotionLab.Web.Live;
using EmotionLab.Web.Startup;
using MudBlazor.Services;

var builder = WebApplication.CreateBuilder(args);
builder.UseDefaultListenAddress();
builder.Services.AddEmotionLabDatabase();
builder.AddLabAccounts();
builder.Services.AddCorpusImports();
builder.AddEmotionLabQueue();
builder.Services.AddSingleton<DemoProgress>();
builder.Services.AddHostedService<DemoSetup>();
builder.Services.AddRazorComponents().AddInteractiveServerComponents();
builder.Services.AddMudServices();
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton<LabChanges>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<LabChanges>());
builder.Services.ConfigureApiJson();

var app = builder.Build();
app.UseServerTiming();
// The build's own assets (MudBlazor's, Blazor's script), fingerprinted; then wwwroot/lib, which the
// build fills from npm after the asset manifest is made, so only the plain static files serve it.
app.MapStaticAssets().AllowAnonymous();
app.UseStaticFiles();
// Every endpoint needs an account unless it allows anonymous use (AccountPolicies' fallback).
app.UseAuthentication();
app.UseAuthorization();
app.UseAntiforgery();
app.MapAccountEndpoints();
app.MapQueueDashboard();
app.MapRunsApi();
app.MapGridExportApi();
app.MapCompareApi();
app.MapFlipsApi();
app.MapFigureApi();
app.MapCorporaApi();
app.MapSubmissionsApi();
app.MapDeletionsApi();
app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
app.Run();

/// <summary>Visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
