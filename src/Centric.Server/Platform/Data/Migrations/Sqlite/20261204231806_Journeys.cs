using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Centric.Server.Platform.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Journeys : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "engagement_journey_runs",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    JourneyId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Version = table.Column<int>(type: "INTEGER", nullable: false),
                    ProfileId = table.Column<Guid>(type: "TEXT", nullable: false),
                    EntryKey = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    StepId = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    DueAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    Arm = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    EnteredAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    EndedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    ConvertedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    Attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    Revision = table.Column<int>(type: "INTEGER", nullable: false),
                    ClaimToken = table.Column<Guid>(type: "TEXT", nullable: true),
                    ClaimedUntil = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_engagement_journey_runs", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "engagement_journey_step_log",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    RunId = table.Column<Guid>(type: "TEXT", nullable: false),
                    JourneyId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Version = table.Column<int>(type: "INTEGER", nullable: false),
                    StepId = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Outcome = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    At = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_engagement_journey_step_log", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "engagement_journey_versions",
                columns: table => new
                {
                    JourneyId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Version = table.Column<int>(type: "INTEGER", nullable: false),
                    Definition = table.Column<string>(type: "TEXT", maxLength: 100000, nullable: false),
                    PublishedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    PublishedBy = table.Column<string>(type: "TEXT", maxLength: 320, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_engagement_journey_versions", x => new { x.JourneyId, x.Version });
                });

            migrationBuilder.CreateTable(
                name: "engagement_journeys",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 120, nullable: false),
                    NameKey = table.Column<string>(type: "TEXT", maxLength: 120, nullable: false),
                    Description = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    ShippedKey = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    Status = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Draft = table.Column<string>(type: "TEXT", maxLength: 100000, nullable: false),
                    LiveVersion = table.Column<int>(type: "INTEGER", nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedBy = table.Column<string>(type: "TEXT", maxLength: 320, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_engagement_journeys", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "engagement_tasks",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Title = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    ProfileId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Role = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Source = table.Column<string>(type: "TEXT", maxLength: 120, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    DoneAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    DoneBy = table.Column<string>(type: "TEXT", maxLength: 320, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_engagement_tasks", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_engagement_journey_runs_JourneyId_EntryKey",
                table: "engagement_journey_runs",
                columns: new[] { "JourneyId", "EntryKey" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_engagement_journey_runs_ProfileId_JourneyId",
                table: "engagement_journey_runs",
                columns: new[] { "ProfileId", "JourneyId" });

            migrationBuilder.CreateIndex(
                name: "IX_engagement_journey_runs_Status_DueAt",
                table: "engagement_journey_runs",
                columns: new[] { "Status", "DueAt" });

            migrationBuilder.CreateIndex(
                name: "IX_engagement_journey_step_log_JourneyId_StepId",
                table: "engagement_journey_step_log",
                columns: new[] { "JourneyId", "StepId" });

            migrationBuilder.CreateIndex(
                name: "IX_engagement_journey_step_log_RunId",
                table: "engagement_journey_step_log",
                column: "RunId");

            migrationBuilder.CreateIndex(
                name: "IX_engagement_journeys_NameKey",
                table: "engagement_journeys",
                column: "NameKey",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_engagement_journeys_ShippedKey",
                table: "engagement_journeys",
                column: "ShippedKey",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_engagement_tasks_Role_DoneAt",
                table: "engagement_tasks",
                columns: new[] { "Role", "DoneAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "engagement_journey_runs");

            migrationBuilder.DropTable(
                name: "engagement_journey_step_log");

            migrationBuilder.DropTable(
                name: "engagement_journey_versions");

            migrationBuilder.DropTable(
                name: "engagement_journeys");

            migrationBuilder.DropTable(
                name: "engagement_tasks");
        }
    }
}
