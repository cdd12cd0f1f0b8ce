using EmotionLab.Data.Accounts;
using EmotionLab.Data.Entities;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace EmotionLab.Data;

/// <summary>The platform's PostgreSQL schema, with the lab's accounts (Identity). Migrations live in the migrations/ assembly.</summary>
public sealed class EmotionLabDbContext(DbContextOptions<EmotionLabDbContext> options)
    : IdentityDbContext<LabUser, IdentityRole<long>, long>(options)
{
    public const string MigrationsAssembly = "EmotionLab.Migrations";

    public DbSet<Corpus> Corpora => Set<Corpus>();
    public DbSet<Dialogue> Dialogues => Set<Dialogue>();
    public DbSet<Utterance> Utterances => Set<Utterance>();
    public DbSet<Experiment> Experiments => Set<Experiment>();
    public DbSet<Grid> Grids => Set<Grid>();
    public DbSet<Run> Runs => Set<Run>();
    public DbSet<StepLoss> StepLosses => Set<StepLoss>();
    public DbSet<EpochMetric> EpochMetrics => Set<EpochMetric>();
    public DbSet<ConfusionMatrixRow> ConfusionMatrices => Set<ConfusionMatrixRow>();
    public DbSet<Artifact> Artifacts => Set<Artifact>();
    public DbSet<WorkerNode> WorkerNodes => Set<WorkerNode>();
    public DbSet<ApiToken> ApiTokens => Set<ApiToken>();
    public DbSet<RunAction> RunActions => Set<RunAction>();
    public DbSet<Project> Projects => Set<Project>();
    public DbSet<Deletion> Deletions => Set<Deletion>();

    /// <summary>Options for a connection string, with the migrations assembly set.</summary>
    public static DbContextOptions<EmotionLabDbContext> Options(string connectionString) =>
        new DbContextOptionsBuilder<EmotionLabDbContext>()
            .UseNpgsql(connectionString, npgsql => npgsql.MigrationsAssembly(MigrationsAssembly))
            .Options;

    protected override void OnModelCreating(ModelBuilder model)
    {
        base.OnModelCreating(model);
        // Identity's tables under plain names (SnakeCaseNames writes their columns).
        model.Entity<LabUser>().ToTable("users");
        model.Entity<IdentityRole<long>>().ToTable("roles");
        model.Entity<IdentityUserRole<long>>().ToTable("user_roles");
        model.Entity<IdentityUserClaim<long>>().ToTable("user_claims");
        model.Entity<IdentityUserLogin<long>>().ToTable("user_logins");
        model.Entity<IdentityUserToken<long>>().ToTable("user_tokens");
        model.Entity<IdentityRoleClaim<long>>().ToTable("role_claims");
        model.Entity<ApiToken>(e =>
        {
            e.HasIndex(t => t.Hash).IsUnique();
            e.HasIndex(t => t.UserId);
            e.HasOne<LabUser>().WithMany().HasForeignKey(t => t.UserId).OnDelete(DeleteBehavior.Cascade);
        });
        model.Entity<Corpus>(e =>
        {
            e.HasIndex(c => c.Name).IsUnique();
            e.Property(c => c.ReportJson).HasColumnType("jsonb");
        });
        model.Entity<Dialogue>(e =>
        {
            e.HasIndex(d => new { d.CorpusId, d.Split, d.ExternalId }).IsUnique();
            e.HasOne<Corpus>().WithMany(c => c.Dialogues).HasForeignKey(d => d.CorpusId).OnDelete(DeleteBehavior.Cascade);
        });
        model.Entity<Utterance>(e =>
        {
            e.HasIndex(u => new { u.CorpusId, u.Key }).IsUnique();
            e.HasIndex(u => new { u.DialogueId, u.Index });
            e.HasOne<Corpus>().WithMany().HasForeignKey(u => u.CorpusId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<Dialogue>().WithMany().HasForeignKey(u => u.DialogueId).OnDelete(DeleteBehavior.Cascade);
        });
        model.Entity<Experiment>(e =>
        {
            e.Property(x => x.SpecJson).HasColumnType("jsonb");
            e.HasIndex(x => x.SpecHash);
            e.HasOne<Corpus>().WithMany().HasForeignKey(x => x.CorpusId);
            e.HasOne<Grid>().WithMany().HasForeignKey(x => x.GridId);
            e.HasOne<LabUser>().WithMany().HasForeignKey(x => x.OwnerId).OnDelete(DeleteBehavior.SetNull);
            e.HasOne<Project>().WithMany().HasForeignKey(x => x.ProjectId).OnDelete(DeleteBehavior.Restrict);
        });
        model.Entity<Grid>(e =>
        {
            e.Property(g => g.BaseSpecJson).HasColumnType("jsonb");
            e.Property(g => g.AxesJson).HasColumnType("jsonb");
            e.HasOne<LabUser>().WithMany().HasForeignKey(g => g.OwnerId).OnDelete(DeleteBehavior.SetNull);
            e.HasOne<Project>().WithMany().HasForeignKey(g => g.ProjectId).OnDelete(DeleteBehavior.Restrict);
        });
        model.Entity<Project>(e =>
        {
            e.Property(p => p.Name).HasMaxLength(Project.MaxNameLength);
            e.HasIndex(p => p.Name).IsUnique();
        });
        model.Entity<Deletion>(e =>
        {
            e.Property(d => d.Kind).HasMaxLength(16);
            e.HasIndex(d => new { d.Kind, d.TargetId });
            // "What became of run N" looks inside the arrays.
            e.HasIndex(d => d.RunIds).HasMethod("gin");
            e.HasOne<LabUser>().WithMany().HasForeignKey(d => d.UserId).OnDelete(DeleteBehavior.SetNull);
        });
        model.Entity<Run>(e =>
        {
            e.Property(r => r.Status).HasConversion<string>().HasMaxLength(16);
            e.HasOne(r => r.Experiment).WithMany().HasForeignKey(r => r.ExperimentId);
            e.HasOne<Grid>().WithMany().HasForeignKey(r => r.GridId);
            // The runs list pages by id descending under optional filters.
            e.HasIndex(r => new { r.Status, r.Id });
            e.HasIndex(r => new { r.Family, r.Id });
            e.HasIndex(r => new { r.GridId, r.Id });
            e.HasIndex(r => new { r.CorpusId, r.Id });
        });
        model.Entity<StepLoss>(e =>
        {
            e.HasKey(s => new { s.RunId, s.Step });
            e.HasOne<Run>().WithMany().HasForeignKey(s => s.RunId).OnDelete(DeleteBehavior.Cascade);
        });
        model.Entity<EpochMetric>(e =>
        {
            e.HasKey(m => new { m.RunId, m.Epoch, m.Split });
            e.HasOne<Run>().WithMany().HasForeignKey(m => m.RunId).OnDelete(DeleteBehavior.Cascade);
        });
        model.Entity<ConfusionMatrixRow>(e =>
        {
            e.ToTable("confusion_matrices");
            e.HasKey(m => new { m.RunId, m.Epoch, m.Split });
            e.HasOne<Run>().WithMany().HasForeignKey(m => m.RunId).OnDelete(DeleteBehavior.Cascade);
        });
        model.Entity<Artifact>(e =>
        {
            e.HasIndex(a => new { a.RunId, a.Kind });
            e.HasOne<Run>().WithMany().HasForeignKey(a => a.RunId).OnDelete(DeleteBehavior.Cascade);
        });
        model.Entity<WorkerNode>(e => e.HasKey(w => w.Name));
        model.Entity<RunAction>(e =>
        {
            e.Property(a => a.Action).HasMaxLength(16);
            e.HasIndex(a => new { a.RunId, a.Id });
            e.HasOne<Run>().WithMany().HasForeignKey(a => a.RunId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<LabUser>().WithMany().HasForeignKey(a => a.UserId).OnDelete(DeleteBehavior.SetNull);
        });
        SnakeCaseNames.Apply(model);
    }
}
