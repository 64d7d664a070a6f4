using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Centric.Server.Platform.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class HelpSessions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "support_help_sessions",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    ProfileId = table.Column<Guid>(type: "uuid", nullable: false),
                    StartedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    LastAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    TicketFollowed = table.Column<bool>(type: "boolean", nullable: false),
                    WindowHours = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_support_help_sessions", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_support_help_sessions_ProfileId_LastAt",
                table: "support_help_sessions",
                columns: new[] { "ProfileId", "LastAt" });

            migrationBuilder.CreateIndex(
                name: "IX_support_help_sessions_StartedAt_TicketFollowed",
                table: "support_help_sessions",
                columns: new[] { "StartedAt", "TicketFollowed" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "support_help_sessions");
        }
    }
}
