using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Centric.Server.Platform.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Engagement : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "Attempts",
                table: "platform_mail_outbox",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<Guid>(
                name: "ClaimToken",
                table: "platform_mail_outbox",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "ClaimedUntil",
                table: "platform_mail_outbox",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "Delivery",
                table: "platform_mail_outbox",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "Headers",
                table: "platform_mail_outbox",
                type: "character varying(4000)",
                maxLength: 4000,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "LastError",
                table: "platform_mail_outbox",
                type: "character varying(500)",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "NextAttemptAt",
                table: "platform_mail_outbox",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "SentAt",
                table: "platform_mail_outbox",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "engagement_campaign_recipients",
                columns: table => new
                {
                    CampaignId = table.Column<Guid>(type: "uuid", nullable: false),
                    ProfileId = table.Column<Guid>(type: "uuid", nullable: false),
                    Variant = table.Column<string>(type: "character varying(4)", maxLength: 4, nullable: false),
                    Status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    At = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_engagement_campaign_recipients", x => new { x.CampaignId, x.ProfileId });
                });

            migrationBuilder.CreateTable(
                name: "engagement_campaigns",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Name = table.Column<string>(type: "character varying(120)", maxLength: 120, nullable: false),
                    SegmentId = table.Column<Guid>(type: "uuid", nullable: false),
                    Channel = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Purpose = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    TemplateId = table.Column<Guid>(type: "uuid", nullable: true),
                    Subject = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    SubjectB = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    Body = table.Column<string>(type: "character varying(20000)", maxLength: 20000, nullable: false),
                    Link = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    TestPercent = table.Column<int>(type: "integer", nullable: false),
                    TestHours = table.Column<int>(type: "integer", nullable: false),
                    Winner = table.Column<string>(type: "character varying(1)", maxLength: 1, nullable: true),
                    RatePerMinute = table.Column<int>(type: "integer", nullable: false),
                    Status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    ScheduledAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    StartedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    FinishedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    SentUpTo = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    Audience = table.Column<int>(type: "integer", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    CreatedBy = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: true),
                    ClaimToken = table.Column<Guid>(type: "uuid", nullable: true),
                    ClaimedUntil = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_engagement_campaigns", x => x.Id);
                });

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
                name: "engagement_message_templates",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Name = table.Column<string>(type: "character varying(120)", maxLength: 120, nullable: false),
                    NameKey = table.Column<string>(type: "character varying(120)", maxLength: 120, nullable: false),
                    Channel = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Purpose = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Subject = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    Body = table.Column<string>(type: "character varying(20000)", maxLength: 20000, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    UpdatedBy = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_engagement_message_templates", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "engagement_messages",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    ProfileId = table.Column<Guid>(type: "uuid", nullable: false),
                    Channel = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Purpose = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    SendKey = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Source = table.Column<string>(type: "character varying(120)", maxLength: 120, nullable: false),
                    TemplateId = table.Column<Guid>(type: "uuid", nullable: true),
                    To = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: true),
                    Subject = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    Body = table.Column<string>(type: "character varying(20000)", maxLength: 20000, nullable: false),
                    Status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    DeliveredAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    OpenedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    ClickedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    FailedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    FailureReason = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    Attempts = table.Column<int>(type: "integer", nullable: false),
                    NextAttemptAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    ClaimToken = table.Column<Guid>(type: "uuid", nullable: true),
                    ClaimedUntil = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    ProviderMessageId = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_engagement_messages", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "engagement_sandbox_sms",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    MessageId = table.Column<Guid>(type: "uuid", nullable: false),
                    To = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Text = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    Reference = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    SentAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_engagement_sandbox_sms", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "engagement_surveys",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Kind = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    Name = table.Column<string>(type: "character varying(120)", maxLength: 120, nullable: false),
                    Question = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    CommentPrompt = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    Active = table.Column<bool>(type: "boolean", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    CreatedBy = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_engagement_surveys", x => x.Id);
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

            migrationBuilder.CreateTable(
                name: "engagement_survey_invitations",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    SurveyId = table.Column<Guid>(type: "uuid", nullable: false),
                    ProfileId = table.Column<Guid>(type: "uuid", nullable: false),
                    KeyHash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    SendKey = table.Column<string>(type: "character varying(160)", maxLength: 160, nullable: false),
                    OrderNumber = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    TicketNumber = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    Product = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    Channel = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    Agent = table.Column<string>(type: "character varying(120)", maxLength: 120, nullable: true),
                    SentAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    AnsweredAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    UpdatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    Score = table.Column<int>(type: "integer", nullable: true),
                    Comment = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    AnswerInteractionId = table.Column<Guid>(type: "uuid", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_engagement_survey_invitations", x => x.Id);
                    table.ForeignKey(
                        name: "FK_engagement_survey_invitations_engagement_surveys_SurveyId",
                        column: x => x.SurveyId,
                        principalTable: "engagement_surveys",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_platform_mail_outbox_Delivery_NextAttemptAt",
                table: "platform_mail_outbox",
                columns: new[] { "Delivery", "NextAttemptAt" });

            migrationBuilder.CreateIndex(
                name: "IX_engagement_campaign_recipients_CampaignId_Status",
                table: "engagement_campaign_recipients",
                columns: new[] { "CampaignId", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_engagement_campaign_recipients_ProfileId",
                table: "engagement_campaign_recipients",
                column: "ProfileId");

            migrationBuilder.CreateIndex(
                name: "IX_engagement_campaigns_Status_ScheduledAt",
                table: "engagement_campaigns",
                columns: new[] { "Status", "ScheduledAt" });

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
                name: "IX_engagement_message_templates_NameKey",
                table: "engagement_message_templates",
                column: "NameKey",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_engagement_messages_ProfileId_CreatedAt",
                table: "engagement_messages",
                columns: new[] { "ProfileId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_engagement_messages_ProviderMessageId",
                table: "engagement_messages",
                column: "ProviderMessageId");

            migrationBuilder.CreateIndex(
                name: "IX_engagement_messages_SendKey",
                table: "engagement_messages",
                column: "SendKey",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_engagement_messages_Status_NextAttemptAt",
                table: "engagement_messages",
                columns: new[] { "Status", "NextAttemptAt" });

            migrationBuilder.CreateIndex(
                name: "IX_engagement_sandbox_sms_SentAt",
                table: "engagement_sandbox_sms",
                column: "SentAt");

            migrationBuilder.CreateIndex(
                name: "IX_engagement_survey_invitations_AnswerInteractionId",
                table: "engagement_survey_invitations",
                column: "AnswerInteractionId");

            migrationBuilder.CreateIndex(
                name: "IX_engagement_survey_invitations_KeyHash",
                table: "engagement_survey_invitations",
                column: "KeyHash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_engagement_survey_invitations_ProfileId",
                table: "engagement_survey_invitations",
                column: "ProfileId");

            migrationBuilder.CreateIndex(
                name: "IX_engagement_survey_invitations_SendKey",
                table: "engagement_survey_invitations",
                column: "SendKey",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_engagement_survey_invitations_SurveyId_AnsweredAt",
                table: "engagement_survey_invitations",
                columns: new[] { "SurveyId", "AnsweredAt" });

            migrationBuilder.CreateIndex(
                name: "IX_engagement_survey_invitations_SurveyId_SentAt",
                table: "engagement_survey_invitations",
                columns: new[] { "SurveyId", "SentAt" });

            migrationBuilder.CreateIndex(
                name: "IX_engagement_tasks_Role_DoneAt",
                table: "engagement_tasks",
                columns: new[] { "Role", "DoneAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "engagement_campaign_recipients");

            migrationBuilder.DropTable(
                name: "engagement_campaigns");

            migrationBuilder.DropTable(
                name: "engagement_journey_runs");

            migrationBuilder.DropTable(
                name: "engagement_journey_step_log");

            migrationBuilder.DropTable(
                name: "engagement_journey_versions");

            migrationBuilder.DropTable(
                name: "engagement_journeys");

            migrationBuilder.DropTable(
                name: "engagement_message_templates");

            migrationBuilder.DropTable(
                name: "engagement_messages");

            migrationBuilder.DropTable(
                name: "engagement_sandbox_sms");

            migrationBuilder.DropTable(
                name: "engagement_survey_invitations");

            migrationBuilder.DropTable(
                name: "engagement_tasks");

            migrationBuilder.DropTable(
                name: "engagement_surveys");

            migrationBuilder.DropIndex(
                name: "IX_platform_mail_outbox_Delivery_NextAttemptAt",
                table: "platform_mail_outbox");

            migrationBuilder.DropColumn(
                name: "Attempts",
                table: "platform_mail_outbox");

            migrationBuilder.DropColumn(
                name: "ClaimToken",
                table: "platform_mail_outbox");

            migrationBuilder.DropColumn(
                name: "ClaimedUntil",
                table: "platform_mail_outbox");

            migrationBuilder.DropColumn(
                name: "Delivery",
                table: "platform_mail_outbox");

            migrationBuilder.DropColumn(
                name: "Headers",
                table: "platform_mail_outbox");

            migrationBuilder.DropColumn(
                name: "LastError",
                table: "platform_mail_outbox");

            migrationBuilder.DropColumn(
                name: "NextAttemptAt",
                table: "platform_mail_outbox");

            migrationBuilder.DropColumn(
                name: "SentAt",
                table: "platform_mail_outbox");
        }
    }
}
