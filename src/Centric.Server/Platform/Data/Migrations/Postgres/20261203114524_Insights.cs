using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Centric.Server.Platform.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Insights : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "insights_model_versions",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Kind = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Version = table.Column<int>(type: "integer", nullable: false),
                    WindowFrom = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    WindowTo = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Rows = table.Column<int>(type: "integer", nullable: false),
                    HoldoutRows = table.Column<int>(type: "integer", nullable: false),
                    RocAuc = table.Column<double>(type: "double precision", nullable: true),
                    LogLoss = table.Column<double>(type: "double precision", nullable: true),
                    NdcgAt10 = table.Column<double>(type: "double precision", nullable: true),
                    LogLikelihood = table.Column<double>(type: "double precision", nullable: true),
                    Accuracy = table.Column<double>(type: "double precision", nullable: true),
                    ActiveScoreOnHoldout = table.Column<double>(type: "double precision", nullable: true),
                    TrainedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    IsActive = table.Column<bool>(type: "boolean", nullable: false),
                    ActivatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    Decision = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    Payload = table.Column<byte[]>(type: "bytea", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_insights_model_versions", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "insights_profile_scores",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    ProfileId = table.Column<Guid>(type: "uuid", nullable: false),
                    Clv12m = table.Column<double>(type: "double precision", nullable: true),
                    PAlive = table.Column<double>(type: "double precision", nullable: true),
                    ExpectedPurchases12m = table.Column<double>(type: "double precision", nullable: true),
                    ChurnRisk = table.Column<double>(type: "double precision", nullable: true),
                    ChurnReasons = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    Decile = table.Column<int>(type: "integer", nullable: true),
                    DecileBy = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: true),
                    RfmRecency = table.Column<int>(type: "integer", nullable: true),
                    RfmFrequency = table.Column<int>(type: "integer", nullable: true),
                    RfmMonetary = table.Column<int>(type: "integer", nullable: true),
                    Revenue = table.Column<double>(type: "double precision", nullable: false),
                    Sentiment = table.Column<double>(type: "double precision", nullable: true),
                    ChurnModelVersion = table.Column<int>(type: "integer", nullable: true),
                    ClvModelVersion = table.Column<int>(type: "integer", nullable: true),
                    ScoredAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_insights_profile_scores", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "insights_text_sentiments",
                columns: table => new
                {
                    InteractionId = table.Column<Guid>(type: "uuid", nullable: false),
                    ProfileId = table.Column<Guid>(type: "uuid", nullable: false),
                    OccurredAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Source = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Channel = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Score = table.Column<double>(type: "double precision", nullable: false),
                    Label = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    Scorer = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_insights_text_sentiments", x => x.InteractionId);
                });

            migrationBuilder.CreateTable(
                name: "insights_training_runs",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Kind = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Trigger = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    RequestedBy = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    SlotKey = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    Status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Progress = table.Column<int>(type: "integer", nullable: false),
                    Stage = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    RequestedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    StartedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    FinishedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    ClaimToken = table.Column<Guid>(type: "uuid", nullable: true),
                    ClaimedUntil = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    Error = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    ModelVersionId = table.Column<Guid>(type: "uuid", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_insights_training_runs", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_insights_model_versions_Kind_Version",
                table: "insights_model_versions",
                columns: new[] { "Kind", "Version" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_insights_model_versions_Kind_active",
                table: "insights_model_versions",
                column: "Kind",
                unique: true,
                filter: "\"IsActive\"");

            migrationBuilder.CreateIndex(
                name: "IX_insights_profile_scores_ChurnRisk",
                table: "insights_profile_scores",
                column: "ChurnRisk");

            migrationBuilder.CreateIndex(
                name: "IX_insights_profile_scores_Decile",
                table: "insights_profile_scores",
                column: "Decile");

            migrationBuilder.CreateIndex(
                name: "IX_insights_profile_scores_ProfileId",
                table: "insights_profile_scores",
                column: "ProfileId");

            migrationBuilder.CreateIndex(
                name: "IX_insights_text_sentiments_ProfileId_OccurredAt",
                table: "insights_text_sentiments",
                columns: new[] { "ProfileId", "OccurredAt" });

            migrationBuilder.CreateIndex(
                name: "IX_insights_training_runs_SlotKey",
                table: "insights_training_runs",
                column: "SlotKey",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_insights_training_runs_Status_RequestedAt",
                table: "insights_training_runs",
                columns: new[] { "Status", "RequestedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "insights_model_versions");

            migrationBuilder.DropTable(
                name: "insights_profile_scores");

            migrationBuilder.DropTable(
                name: "insights_text_sentiments");

            migrationBuilder.DropTable(
                name: "insights_training_runs");
        }
    }
}
