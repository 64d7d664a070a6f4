using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Centric.Server.Platform.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class DeadLettersAndTransactionOrder : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "TransactionId",
                table: "platform_subscriber_checkpoints",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<long>(
                name: "TransactionId",
                table: "platform_outbox",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            // Live subscribers no longer keep checkpoints; these were left behind, one set per process start.
            migrationBuilder.Sql("""
                DELETE FROM platform_subscriber_checkpoints
                WHERE "Subscriber" LIKE 'commerce.live-orders:%' OR "Subscriber" LIKE 'support.live-tickets:%'
                   OR "Subscriber" LIKE 'customers.notification-push:%'
                """);

            migrationBuilder.CreateTable(
                name: "platform_dead_letters",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Subscriber = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    InteractionId = table.Column<Guid>(type: "TEXT", nullable: false),
                    TransactionId = table.Column<long>(type: "INTEGER", nullable: false),
                    Position = table.Column<long>(type: "INTEGER", nullable: false),
                    Error = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    Attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    FirstFailedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    LastFailedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_platform_dead_letters", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_platform_outbox_TransactionId_Position",
                table: "platform_outbox",
                columns: new[] { "TransactionId", "Position" });

            migrationBuilder.CreateIndex(
                name: "IX_platform_dead_letters_LastFailedAt",
                table: "platform_dead_letters",
                column: "LastFailedAt");

            migrationBuilder.CreateIndex(
                name: "IX_platform_dead_letters_Subscriber_InteractionId",
                table: "platform_dead_letters",
                columns: new[] { "Subscriber", "InteractionId" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "platform_dead_letters");

            migrationBuilder.DropIndex(
                name: "IX_platform_outbox_TransactionId_Position",
                table: "platform_outbox");

            migrationBuilder.DropColumn(
                name: "TransactionId",
                table: "platform_subscriber_checkpoints");

            migrationBuilder.DropColumn(
                name: "TransactionId",
                table: "platform_outbox");
        }
    }
}
