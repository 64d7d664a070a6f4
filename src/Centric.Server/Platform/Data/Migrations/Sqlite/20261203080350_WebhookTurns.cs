using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Centric.Server.Platform.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class WebhookTurns : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_platform_webhook_deliveries_Status_NextAttemptAt",
                table: "platform_webhook_deliveries");

            migrationBuilder.DropIndex(
                name: "IX_platform_webhook_deliveries_SubscriptionId_InteractionId",
                table: "platform_webhook_deliveries");

            migrationBuilder.DropColumn(
                name: "ClaimToken",
                table: "platform_webhook_deliveries");

            migrationBuilder.DropColumn(
                name: "ClaimedUntil",
                table: "platform_webhook_deliveries");

            migrationBuilder.AddColumn<Guid>(
                name: "SenderToken",
                table: "platform_webhook_subscriptions",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "SenderUntil",
                table: "platform_webhook_subscriptions",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "Sequence",
                table: "platform_webhook_deliveries",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            // Deliveries made before this number in the order they were made, per subscription.
            migrationBuilder.Sql("""
                UPDATE platform_webhook_deliveries SET "Sequence" = n.seq
                FROM (SELECT "Id", ROW_NUMBER() OVER (PARTITION BY "SubscriptionId" ORDER BY "CreatedAt", "Id") AS seq FROM platform_webhook_deliveries) AS n
                WHERE platform_webhook_deliveries."Id" = n."Id";
                """);

            migrationBuilder.CreateIndex(
                name: "IX_platform_webhook_deliveries_InteractionId_SubscriptionId",
                table: "platform_webhook_deliveries",
                columns: new[] { "InteractionId", "SubscriptionId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_platform_webhook_deliveries_ProfileId",
                table: "platform_webhook_deliveries",
                column: "ProfileId");

            migrationBuilder.CreateIndex(
                name: "IX_platform_webhook_deliveries_SubscriptionId_Sequence",
                table: "platform_webhook_deliveries",
                columns: new[] { "SubscriptionId", "Sequence" });

            migrationBuilder.CreateIndex(
                name: "IX_platform_webhook_deliveries_pending",
                table: "platform_webhook_deliveries",
                columns: new[] { "SubscriptionId", "NextAttemptAt", "Sequence" },
                filter: "\"Status\" = 0");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_platform_webhook_deliveries_InteractionId_SubscriptionId",
                table: "platform_webhook_deliveries");

            migrationBuilder.DropIndex(
                name: "IX_platform_webhook_deliveries_ProfileId",
                table: "platform_webhook_deliveries");

            migrationBuilder.DropIndex(
                name: "IX_platform_webhook_deliveries_SubscriptionId_Sequence",
                table: "platform_webhook_deliveries");

            migrationBuilder.DropIndex(
                name: "IX_platform_webhook_deliveries_pending",
                table: "platform_webhook_deliveries");

            migrationBuilder.DropColumn(
                name: "SenderToken",
                table: "platform_webhook_subscriptions");

            migrationBuilder.DropColumn(
                name: "SenderUntil",
                table: "platform_webhook_subscriptions");

            migrationBuilder.DropColumn(
                name: "Sequence",
                table: "platform_webhook_deliveries");

            migrationBuilder.AddColumn<Guid>(
                name: "ClaimToken",
                table: "platform_webhook_deliveries",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "ClaimedUntil",
                table: "platform_webhook_deliveries",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_platform_webhook_deliveries_Status_NextAttemptAt",
                table: "platform_webhook_deliveries",
                columns: new[] { "Status", "NextAttemptAt" });

            migrationBuilder.CreateIndex(
                name: "IX_platform_webhook_deliveries_SubscriptionId_InteractionId",
                table: "platform_webhook_deliveries",
                columns: new[] { "SubscriptionId", "InteractionId" },
                unique: true);
        }
    }
}
