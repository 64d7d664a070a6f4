using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Centric.Server.Platform.Data.Migrations.Postgres
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
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            // Rows already there come first in the new stream order (transaction 0), like the checkpoints, so nothing
            // is handed over twice; only rows written from now on are stamped with their transaction.
            migrationBuilder.AddColumn<long>(
                name: "TransactionId",
                table: "platform_outbox",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);
            migrationBuilder.AlterColumn<long>(
                name: "TransactionId",
                table: "platform_outbox",
                type: "bigint",
                nullable: false,
                defaultValueSql: "(pg_current_xact_id()::text::bigint)",
                oldClrType: typeof(long),
                oldType: "bigint",
                oldDefaultValue: 0L);

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
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Subscriber = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    InteractionId = table.Column<Guid>(type: "uuid", nullable: false),
                    TransactionId = table.Column<long>(type: "bigint", nullable: false),
                    Position = table.Column<long>(type: "bigint", nullable: false),
                    Error = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                    Attempts = table.Column<int>(type: "integer", nullable: false),
                    FirstFailedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    LastFailedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
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
