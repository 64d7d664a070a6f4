using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Centric.Server.Platform.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class OutboxProfileIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_platform_outbox_ProfileId",
                table: "platform_outbox",
                column: "ProfileId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_platform_outbox_ProfileId",
                table: "platform_outbox");
        }
    }
}
