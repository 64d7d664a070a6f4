using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Centric.Server.Platform.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class CustomerDaySets : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "insights_customer_days",
                columns: table => new
                {
                    Day = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Channel = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    Customers = table.Column<byte[]>(type: "BLOB", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_insights_customer_days", x => new { x.Day, x.Channel });
                });

            migrationBuilder.CreateTable(
                name: "insights_customer_numbers",
                columns: table => new
                {
                    Number = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ProfileId = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_insights_customer_numbers", x => x.Number);
                });

            migrationBuilder.CreateIndex(
                name: "IX_insights_customer_numbers_ProfileId",
                table: "insights_customer_numbers",
                column: "ProfileId",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "insights_customer_days");

            migrationBuilder.DropTable(
                name: "insights_customer_numbers");
        }
    }
}
