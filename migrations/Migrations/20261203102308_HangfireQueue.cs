using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EmotionLab.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class HangfireQueue : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "queue_job",
                table: "runs",
                type: "text",
                nullable: true);

            // The queue moved from Quartz to Hangfire (its own "hangfire" schema, created by the
            // first node or web app that starts). Runs that were waiting or running on Quartz are
            // marked, and AbandonedJobRecovery puts them on the new queue, in their order.
            migrationBuilder.Sql($"UPDATE runs SET queue_job = '{PendingRequeue}' WHERE status IN ('Queued', 'Running')");
            migrationBuilder.Sql("""
                DROP TABLE IF EXISTS qrtz_fired_triggers, qrtz_paused_trigger_grps, qrtz_scheduler_state, qrtz_locks,
                    qrtz_simple_triggers, qrtz_simprop_triggers, qrtz_cron_triggers, qrtz_blob_triggers, qrtz_triggers,
                    qrtz_job_details, qrtz_calendars
                """);
        }

        /// <summary>Must equal EmotionLab.Worker.Queue.RunQueue.PendingRequeue (this project does not reference the worker).</summary>
        private const string PendingRequeue = "requeue";

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "queue_job",
                table: "runs");
        }
    }
}
