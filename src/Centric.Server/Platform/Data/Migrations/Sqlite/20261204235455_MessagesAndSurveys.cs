using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Centric.Server.Platform.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class MessagesAndSurveys : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "Attempts",
                table: "platform_mail_outbox",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<Guid>(
                name: "ClaimToken",
                table: "platform_mail_outbox",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "ClaimedUntil",
                table: "platform_mail_outbox",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "Delivery",
                table: "platform_mail_outbox",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "Headers",
                table: "platform_mail_outbox",
                type: "TEXT",
                maxLength: 4000,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "LastError",
                table: "platform_mail_outbox",
                type: "TEXT",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "NextAttemptAt",
                table: "platform_mail_outbox",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "SentAt",
                table: "platform_mail_outbox",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "Attempts",
                table: "engagement_messages",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<Guid>(
                name: "ClaimToken",
                table: "engagement_messages",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "ClaimedUntil",
                table: "engagement_messages",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "FailureReason",
                table: "engagement_messages",
                type: "TEXT",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "NextAttemptAt",
                table: "engagement_messages",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ProviderMessageId",
                table: "engagement_messages",
                type: "TEXT",
                maxLength: 200,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "engagement_message_templates",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 120, nullable: false),
                    NameKey = table.Column<string>(type: "TEXT", maxLength: 120, nullable: false),
                    Channel = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Purpose = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Subject = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    Body = table.Column<string>(type: "TEXT", maxLength: 20000, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedBy = table.Column<string>(type: "TEXT", maxLength: 320, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_engagement_message_templates", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "engagement_sandbox_sms",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    MessageId = table.Column<Guid>(type: "TEXT", nullable: false),
                    To = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Text = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    Reference = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    SentAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_engagement_sandbox_sms", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "engagement_surveys",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 120, nullable: false),
                    Question = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    CommentPrompt = table.Column<string>(type: "TEXT", maxLength: 300, nullable: true),
                    Active = table.Column<bool>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    CreatedBy = table.Column<string>(type: "TEXT", maxLength: 320, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_engagement_surveys", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "engagement_survey_invitations",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    SurveyId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ProfileId = table.Column<Guid>(type: "TEXT", nullable: false),
                    KeyHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    SendKey = table.Column<string>(type: "TEXT", maxLength: 160, nullable: false),
                    OrderNumber = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    TicketNumber = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    Product = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    Channel = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    Agent = table.Column<string>(type: "TEXT", maxLength: 120, nullable: true),
                    SentAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    AnsweredAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    Score = table.Column<int>(type: "INTEGER", nullable: true),
                    Comment = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    AnswerInteractionId = table.Column<Guid>(type: "TEXT", nullable: true)
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
                name: "IX_engagement_messages_ProviderMessageId",
                table: "engagement_messages",
                column: "ProviderMessageId");

            migrationBuilder.CreateIndex(
                name: "IX_engagement_messages_Status_NextAttemptAt",
                table: "engagement_messages",
                columns: new[] { "Status", "NextAttemptAt" });

            migrationBuilder.CreateIndex(
                name: "IX_engagement_message_templates_NameKey",
                table: "engagement_message_templates",
                column: "NameKey",
                unique: true);

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
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "engagement_message_templates");

            migrationBuilder.DropTable(
                name: "engagement_sandbox_sms");

            migrationBuilder.DropTable(
                name: "engagement_survey_invitations");

            migrationBuilder.DropTable(
                name: "engagement_surveys");

            migrationBuilder.DropIndex(
                name: "IX_platform_mail_outbox_Delivery_NextAttemptAt",
                table: "platform_mail_outbox");

            migrationBuilder.DropIndex(
                name: "IX_engagement_messages_ProviderMessageId",
                table: "engagement_messages");

            migrationBuilder.DropIndex(
                name: "IX_engagement_messages_Status_NextAttemptAt",
                table: "engagement_messages");

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

            migrationBuilder.DropColumn(
                name: "Attempts",
                table: "engagement_messages");

            migrationBuilder.DropColumn(
                name: "ClaimToken",
                table: "engagement_messages");

            migrationBuilder.DropColumn(
                name: "ClaimedUntil",
                table: "engagement_messages");

            migrationBuilder.DropColumn(
                name: "FailureReason",
                table: "engagement_messages");

            migrationBuilder.DropColumn(
                name: "NextAttemptAt",
                table: "engagement_messages");

            migrationBuilder.DropColumn(
                name: "ProviderMessageId",
                table: "engagement_messages");
        }
    }
}
