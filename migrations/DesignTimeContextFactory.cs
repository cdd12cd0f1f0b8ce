using EmotionLab.Data;
using Microsoft.EntityFrameworkCore.Design;

namespace EmotionLab.Migrations;

/// <summary>Lets `dotnet ef migrations add` build the model; it never connects.</summary>
public sealed class DesignTimeContextFactory : IDesignTimeDbContextFactory<EmotionLabDbContext>
{
    public EmotionLabDbContext CreateDbContext(string[] args) =>
        new(EmotionLabDbContext.Options("Host=127.0.0.1;Database=emotionlab;Username=emotionlab"));
}
