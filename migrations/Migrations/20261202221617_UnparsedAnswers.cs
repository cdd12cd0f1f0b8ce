using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EmotionLab.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class UnparsedAnswers : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "unparsed",
                table: "epoch_metrics",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<int[]>(
                name: "unparsed",
                table: "confusion_matrices",
                type: "integer[]",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "unparsed",
                table: "epoch_metrics");

            migrationBuilder.DropColumn(
                name: "unparsed",
                table: "confusion_matrices");
        }
    }
}
