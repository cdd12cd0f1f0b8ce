using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace EmotionLab.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class ProjectsAndDeletions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "project_id",
                table: "grids",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "project_id",
                table: "experiments",
                type: "bigint",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "deletions",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    target_id = table.Column<long>(type: "bigint", nullable: false),
                    name = table.Column<string>(type: "text", nullable: false),
                    run_ids = table.Column<long[]>(type: "bigint[]", nullable: false),
                    grid_id = table.Column<long>(type: "bigint", nullable: true),
                    summary = table.Column<string>(type: "text", nullable: false),
                    user_id = table.Column<long>(type: "bigint", nullable: true),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_deletions", x => x.id);
                    table.ForeignKey(
                        name: "fk_deletions_users_user_id",
                        column: x => x.user_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "projects",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    name = table.Column<string>(type: "character varying(80)", maxLength: 80, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_projects", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_grids_project_id",
                table: "grids",
                column: "project_id");

            migrationBuilder.CreateIndex(
                name: "ix_experiments_project_id",
                table: "experiments",
                column: "project_id");

            migrationBuilder.CreateIndex(
                name: "ix_deletions_kind_target_id",
                table: "deletions",
                columns: new[] { "kind", "target_id" });

            migrationBuilder.CreateIndex(
                name: "ix_deletions_run_ids",
                table: "deletions",
                column: "run_ids")
                .Annotation("Npgsql:IndexMethod", "gin");

            migrationBuilder.CreateIndex(
                name: "ix_deletions_user_id",
                table: "deletions",
                column: "user_id");

            migrationBuilder.CreateIndex(
                name: "ix_projects_name",
                table: "projects",
                column: "name",
                unique: true);

            migrationBuilder.AddForeignKey(
                name: "fk_experiments_projects_project_id",
                table: "experiments",
                column: "project_id",
                principalTable: "projects",
                principalColumn: "id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "fk_grids_projects_project_id",
                table: "grids",
                column: "project_id",
                principalTable: "projects",
                principalColumn: "id",
                onDelete: ReferentialAction.Restrict);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "fk_experiments_projects_project_id",
                table: "experiments");

            migrationBuilder.DropForeignKey(
                name: "fk_grids_projects_project_id",
                table: "grids");

            migrationBuilder.DropTable(
                name: "deletions");

            migrationBuilder.DropTable(
                name: "projects");

            migrationBuilder.DropIndex(
                name: "ix_grids_project_id",
                table: "grids");

            migrationBuilder.DropIndex(
                name: "ix_experiments_project_id",
                table: "experiments");

            migrationBuilder.DropColumn(
                name: "project_id",
                table: "grids");

            migrationBuilder.DropColumn(
                name: "project_id",
                table: "experiments");
        }
    }
}
