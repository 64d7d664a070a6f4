using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Centric.Server.Platform.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class TicketMerge : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "MergedIntoTicketId",
                table: "support_tickets",
                type: "TEXT",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "MergedIntoTicketId",
                table: "support_tickets");
        }
    }
}
