using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace EmotionLab.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class InitialSchema : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "corpora",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    name = table.Column<string>(type: "text", nullable: false),
                    format = table.Column<string>(type: "text", nullable: false),
                    source_path = table.Column<string>(type: "text", nullable: false),
                    content_hash = table.Column<string>(type: "text", nullable: false),
                    imported_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    report_json = table.Column<string>(type: "jsonb", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_corpora", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "grids",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    name = table.Column<string>(type: "text", nullable: false),
                    family = table.Column<string>(type: "text", nullable: false),
                    base_spec_json = table.Column<string>(type: "jsonb", nullable: false),
                    axes_json = table.Column<string>(type: "jsonb", nullable: false),
                    seeds = table.Column<int[]>(type: "integer[]", nullable: false),
                    reference_variant = table.Column<string>(type: "text", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_grids", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "worker_nodes",
                columns: table => new
                {
                    name = table.Column<string>(type: "text", nullable: false),
                    slots = table.Column<int>(type: "integer", nullable: false),
                    devices = table.Column<string[]>(type: "text[]", nullable: false),
                    version = table.Column<string>(type: "text", nullable: false),
                    started_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    heartbeat_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_worker_nodes", x => x.name);
                });

            migrationBuilder.CreateTable(
                name: "dialogues",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    corpus_id = table.Column<long>(type: "bigint", nullable: false),
                    split = table.Column<string>(type: "text", nullable: false),
                    fold = table.Column<int>(type: "integer", nullable: true),
                    external_id = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_dialogues", x => x.id);
                    table.ForeignKey(
                        name: "fk_dialogues_corpora_corpus_id",
                        column: x => x.corpus_id,
                        principalTable: "corpora",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "experiments",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    name = table.Column<string>(type: "text", nullable: false),
                    family = table.Column<string>(type: "text", nullable: false),
                    corpus_id = table.Column<long>(type: "bigint", nullable: false),
                    spec_json = table.Column<string>(type: "jsonb", nullable: false),
                    spec_hash = table.Column<string>(type: "text", nullable: false),
                    grid_id = table.Column<long>(type: "bigint", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_experiments", x => x.id);
                    table.ForeignKey(
                        name: "fk_experiments_corpora_corpus_id",
                        column: x => x.corpus_id,
                        principalTable: "corpora",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_experiments_grids_grid_id",
                        column: x => x.grid_id,
                        principalTable: "grids",
                        principalColumn: "id");
                });

            migrationBuilder.CreateTable(
                name: "utterances",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    corpus_id = table.Column<long>(type: "bigint", nullable: false),
                    dialogue_id = table.Column<long>(type: "bigint", nullable: false),
                    key = table.Column<string>(type: "text", nullable: false),
                    split = table.Column<string>(type: "text", nullable: false),
                    fold = table.Column<int>(type: "integer", nullable: true),
                    index = table.Column<int>(type: "integer", nullable: false),
                    speaker = table.Column<string>(type: "text", nullable: false),
                    start_seconds = table.Column<double>(type: "double precision", nullable: true),
                    end_seconds = table.Column<double>(type: "double precision", nullable: true),
                    text = table.Column<string>(type: "text", nullable: false),
                    raw_label = table.Column<string>(type: "text", nullable: false),
                    audio_path = table.Column<string>(type: "text", nullable: true),
                    duration_seconds = table.Column<double>(type: "double precision", nullable: true),
                    sample_rate = table.Column<int>(type: "integer", nullable: true),
                    audio_ok = table.Column<bool>(type: "boolean", nullable: false),
                    audio_problem = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_utterances", x => x.id);
                    table.ForeignKey(
                        name: "fk_utterances_corpora_corpus_id",
                        column: x => x.corpus_id,
                        principalTable: "corpora",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_utterances_dialogues_dialogue_id",
                        column: x => x.dialogue_id,
                        principalTable: "dialogues",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "runs",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    experiment_id = table.Column<long>(type: "bigint", nullable: false),
                    grid_id = table.Column<long>(type: "bigint", nullable: true),
                    family = table.Column<string>(type: "text", nullable: false),
                    corpus_id = table.Column<long>(type: "bigint", nullable: false),
                    variant = table.Column<string>(type: "text", nullable: false),
                    seed = table.Column<int>(type: "integer", nullable: false),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    attempt = table.Column<int>(type: "integer", nullable: false),
                    node = table.Column<string>(type: "text", nullable: true),
                    device = table.Column<string>(type: "text", nullable: true),
                    queued_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    started_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    finished_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    cancel_requested = table.Column<bool>(type: "boolean", nullable: false),
                    progress = table.Column<double>(type: "double precision", nullable: false),
                    best_epoch = table.Column<int>(type: "integer", nullable: true),
                    error = table.Column<string>(type: "text", nullable: true),
                    code_version = table.Column<string>(type: "text", nullable: true),
                    corpus_hash = table.Column<string>(type: "text", nullable: true),
                    spec_hash = table.Column<string>(type: "text", nullable: true),
                    log_path = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_runs", x => x.id);
                    table.ForeignKey(
                        name: "fk_runs_experiments_experiment_id",
                        column: x => x.experiment_id,
                        principalTable: "experiments",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_runs_grids_grid_id",
                        column: x => x.grid_id,
                        principalTable: "grids",
                        principalColumn: "id");
                });

            migrationBuilder.CreateTable(
                name: "artifacts",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    run_id = table.Column<long>(type: "bigint", nullable: true),
                    kind = table.Column<string>(type: "text", nullable: false),
                    path = table.Column<string>(type: "text", nullable: false),
                    sha256 = table.Column<string>(type: "text", nullable: false),
                    bytes = table.Column<long>(type: "bigint", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_artifacts", x => x.id);
                    table.ForeignKey(
                        name: "fk_artifacts_runs_run_id",
                        column: x => x.run_id,
                        principalTable: "runs",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "confusion_matrices",
                columns: table => new
                {
                    run_id = table.Column<long>(type: "bigint", nullable: false),
                    epoch = table.Column<int>(type: "integer", nullable: false),
                    split = table.Column<string>(type: "text", nullable: false),
                    labels = table.Column<string[]>(type: "text[]", nullable: false),
                    counts = table.Column<int[]>(type: "integer[]", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_confusion_matrices", x => new { x.run_id, x.epoch, x.split });
                    table.ForeignKey(
                        name: "fk_confusion_matrices_runs_run_id",
                        column: x => x.run_id,
                        principalTable: "runs",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "epoch_metrics",
                columns: table => new
                {
                    run_id = table.Column<long>(type: "bigint", nullable: false),
                    epoch = table.Column<int>(type: "integer", nullable: false),
                    split = table.Column<string>(type: "text", nullable: false),
                    loss = table.Column<double>(type: "double precision", nullable: false),
                    wa = table.Column<double>(type: "double precision", nullable: false),
                    ua = table.Column<double>(type: "double precision", nullable: false),
                    weighted_f1 = table.Column<double>(type: "double precision", nullable: false),
                    macro_f1 = table.Column<double>(type: "double precision", nullable: false),
                    precision = table.Column<double[]>(type: "double precision[]", nullable: false),
                    recall = table.Column<double[]>(type: "double precision[]", nullable: false),
                    f1 = table.Column<double[]>(type: "double precision[]", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_epoch_metrics", x => new { x.run_id, x.epoch, x.split });
                    table.ForeignKey(
                        name: "fk_epoch_metrics_runs_run_id",
                        column: x => x.run_id,
                        principalTable: "runs",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "step_losses",
                columns: table => new
                {
                    run_id = table.Column<long>(type: "bigint", nullable: false),
                    step = table.Column<int>(type: "integer", nullable: false),
                    epoch = table.Column<int>(type: "integer", nullable: false),
                    loss = table.Column<double>(type: "double precision", nullable: false),
                    learning_rate = table.Column<double>(type: "double precision", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_step_losses", x => new { x.run_id, x.step });
                    table.ForeignKey(
                        name: "fk_step_losses_runs_run_id",
                        column: x => x.run_id,
                        principalTable: "runs",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_artifacts_run_id_kind",
                table: "artifacts",
                columns: new[] { "run_id", "kind" });

            migrationBuilder.CreateIndex(
                name: "ix_corpora_name",
                table: "corpora",
                column: "name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_dialogues_corpus_id_split_external_id",
                table: "dialogues",
                columns: new[] { "corpus_id", "split", "external_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_experiments_corpus_id",
                table: "experiments",
                column: "corpus_id");

            migrationBuilder.CreateIndex(
                name: "ix_experiments_grid_id",
                table: "experiments",
                column: "grid_id");

            migrationBuilder.CreateIndex(
                name: "ix_experiments_spec_hash",
                table: "experiments",
                column: "spec_hash");

            migrationBuilder.CreateIndex(
                name: "ix_runs_corpus_id_id",
                table: "runs",
                columns: new[] { "corpus_id", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_runs_experiment_id",
                table: "runs",
                column: "experiment_id");

            migrationBuilder.CreateIndex(
                name: "ix_runs_family_id",
                table: "runs",
                columns: new[] { "family", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_runs_grid_id_id",
                table: "runs",
                columns: new[] { "grid_id", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_runs_status_id",
                table: "runs",
                columns: new[] { "status", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_utterances_corpus_id_key",
                table: "utterances",
                columns: new[] { "corpus_id", "key" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_utterances_dialogue_id_index",
                table: "utterances",
                columns: new[] { "dialogue_id", "index" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "artifacts");

            migrationBuilder.DropTable(
                name: "confusion_matrices");

            migrationBuilder.DropTable(
                name: "epoch_metrics");

            migrationBuilder.DropTable(
                name: "step_losses");

            migrationBuilder.DropTable(
                name: "utterances");

            migrationBuilder.DropTable(
                name: "worker_nodes");

            migrationBuilder.DropTable(
                name: "runs");

            migrationBuilder.DropTable(
                name: "dialogues");

            migrationBuilder.DropTable(
                name: "experiments");

            migrationBuilder.DropTable(
                name: "corpora");

            migrationBuilder.DropTable(
                name: "grids");
        }
    }
}
