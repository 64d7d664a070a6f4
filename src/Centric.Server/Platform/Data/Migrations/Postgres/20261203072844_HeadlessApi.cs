using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Centric.Server.Platform.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class HeadlessApi : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "platform_idempotency_keys",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    KeyHash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Operation = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    RequestHash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_platform_idempotency_keys", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_platform_idempotency_keys_CreatedAt",
                table: "platform_idempotency_keys",
                column: "CreatedAt");

            migrationBuilder.CreateIndex(
                name: "IX_platform_idempotency_keys_KeyHash",
                table: "platform_idempotency_keys",
                column: "KeyHash",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "platform_idempotency_keys");
        }
    }
}
