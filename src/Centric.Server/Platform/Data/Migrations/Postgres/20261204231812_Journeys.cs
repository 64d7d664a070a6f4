using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Centric.Server.Platform.Data.Migrations.Postgres
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
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    JourneyId = table.Column<Guid>(type: "uuid", nullable: false),
                    Version = table.Column<int>(type: "integer", nullable: false),
                    ProfileId = table.Column<Guid>(type: "uuid", nullable: false),
                    EntryKey = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    StepId = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    DueAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    Arm = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    EnteredAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    EndedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    ConvertedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    Attempts = table.Column<int>(type: "integer", nullable: false),
                    Revision = table.Column<int>(type: "integer", nullable: false),
                    ClaimToken = table.Column<Guid>(type: "uuid", nullable: true),
                    ClaimedUntil = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_engagement_journey_runs", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "engagement_journey_step_log",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    RunId = table.Column<Guid>(type: "uuid", nullable: false),
                    JourneyId = table.Column<Guid>(type: "uuid", nullable: false),
                    Version = table.Column<int>(type: "integer", nullable: false),
                    StepId = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Outcome = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    At = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_engagement_journey_step_log", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "engagement_journey_versions",
                columns: table => new
                {
                    JourneyId = table.Column<Guid>(type: "uuid", nullable: false),
                    Version = table.Column<int>(type: "integer", nullable: false),
                    Definition = table.Column<string>(type: "character varying(100000)", maxLength: 100000, nullable: false),
                    PublishedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    PublishedBy = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_engagement_journey_versions", x => new { x.JourneyId, x.Version });
                });

            migrationBuilder.CreateTable(
                name: "engagement_journeys",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Name = table.Column<string>(type: "character varying(120)", maxLength: 120, nullable: false),
                    NameKey = table.Column<string>(type: "character varying(120)", maxLength: 120, nullable: false),
                    Description = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    ShippedKey = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    Status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Draft = table.Column<string>(type: "character varying(100000)", maxLength: 100000, nullable: false),
                    LiveVersion = table.Column<int>(type: "integer", nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    UpdatedBy = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_engagement_journeys", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "engagement_tasks",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Title = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    ProfileId = table.Column<Guid>(type: "uuid", nullable: true),
                    Role = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Source = table.Column<string>(type: "character varying(120)", maxLength: 120, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    DoneAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    DoneBy = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: true)
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
