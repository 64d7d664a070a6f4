using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Centric.Server.Platform.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class SupportChat : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "LastSequence",
                table: "support_tickets",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<string>(
                name: "CallRecordingUrl",
                table: "support_ticket_messages",
                type: "TEXT",
                maxLength: 1000,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ClientMessageId",
                table: "support_ticket_messages",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Kind",
                table: "support_ticket_messages",
                type: "TEXT",
                maxLength: 30,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "Sequence",
                table: "support_ticket_messages",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.CreateTable(
                name: "support_chat_attachments",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    TicketId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ProfileId = table.Column<Guid>(type: "TEXT", nullable: false),
                    MessageId = table.Column<Guid>(type: "TEXT", nullable: false),
                    FileName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    ContentType = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Size = table.Column<long>(type: "INTEGER", nullable: false),
                    Content = table.Column<byte[]>(type: "BLOB", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_support_chat_attachments", x => x.Id);
                    table.ForeignKey(
                        name: "FK_support_chat_attachments_support_tickets_TicketId",
                        column: x => x.TicketId,
                        principalTable: "support_tickets",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "support_chat_conversations",
                columns: table => new
                {
                    TicketId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ProfileId = table.Column<Guid>(type: "TEXT", nullable: false),
                    VisitorId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    CustomerReadSequence = table.Column<long>(type: "INTEGER", nullable: false),
                    AgentReadSequence = table.Column<long>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_support_chat_conversations", x => x.TicketId);
                    table.ForeignKey(
                        name: "FK_support_chat_conversations_support_tickets_TicketId",
                        column: x => x.TicketId,
                        principalTable: "support_tickets",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_support_ticket_messages_TicketId_ClientMessageId",
                table: "support_ticket_messages",
                columns: new[] { "TicketId", "ClientMessageId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_support_ticket_messages_TicketId_Sequence",
                table: "support_ticket_messages",
                columns: new[] { "TicketId", "Sequence" },
                unique: true,
                filter: "\"Sequence\" > 0");

            migrationBuilder.CreateIndex(
                name: "IX_support_chat_attachments_MessageId",
                table: "support_chat_attachments",
                column: "MessageId");

            migrationBuilder.CreateIndex(
                name: "IX_support_chat_attachments_ProfileId",
                table: "support_chat_attachments",
                column: "ProfileId");

            migrationBuilder.CreateIndex(
                name: "IX_support_chat_attachments_TicketId",
                table: "support_chat_attachments",
                column: "TicketId");

            migrationBuilder.CreateIndex(
                name: "IX_support_chat_conversations_ProfileId_UpdatedAt",
                table: "support_chat_conversations",
                columns: new[] { "ProfileId", "UpdatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_support_chat_conversations_VisitorId_UpdatedAt",
                table: "support_chat_conversations",
                columns: new[] { "VisitorId", "UpdatedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "support_chat_attachments");

            migrationBuilder.DropTable(
                name: "support_chat_conversations");

            migrationBuilder.DropIndex(
                name: "IX_support_ticket_messages_TicketId_ClientMessageId",
                table: "support_ticket_messages");

            migrationBuilder.DropIndex(
                name: "IX_support_ticket_messages_TicketId_Sequence",
                table: "support_ticket_messages");

            migrationBuilder.DropColumn(
                name: "LastSequence",
                table: "support_tickets");

            migrationBuilder.DropColumn(
                name: "CallRecordingUrl",
                table: "support_ticket_messages");

            migrationBuilder.DropColumn(
                name: "ClientMessageId",
                table: "support_ticket_messages");

            migrationBuilder.DropColumn(
                name: "Kind",
                table: "support_ticket_messages");

            migrationBuilder.DropColumn(
                name: "Sequence",
                table: "support_ticket_messages");
        }
    }
}
