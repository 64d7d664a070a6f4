using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Centric.Server.Platform.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class DecilesAndCostToServe : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "insights_cost_drivers",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    ProfileId = table.Column<Guid>(type: "uuid", nullable: false),
                    At = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Kind = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Channel = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Quantity = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_insights_cost_drivers", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "insights_cost_rates",
                columns: table => new
                {
                    Item = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Channel = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Amount = table.Column<decimal>(type: "numeric(18,6)", precision: 18, scale: 6, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_insights_cost_rates", x => new { x.Item, x.Channel });
                });

            migrationBuilder.CreateTable(
                name: "insights_order_lines",
                columns: table => new
                {
                    OrderId = table.Column<Guid>(type: "uuid", nullable: false),
                    Line = table.Column<int>(type: "integer", nullable: false),
                    ProfileId = table.Column<Guid>(type: "uuid", nullable: false),
                    PlacedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    ProductId = table.Column<Guid>(type: "uuid", nullable: false),
                    Category = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Quantity = table.Column<int>(type: "integer", nullable: false),
                    ValueMinor = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_insights_order_lines", x => new { x.OrderId, x.Line });
                });

            migrationBuilder.CreateIndex(
                name: "IX_insights_revenue_adjustments_OrderId",
                table: "insights_revenue_adjustments",
                column: "OrderId");

            migrationBuilder.CreateIndex(
                name: "IX_insights_cost_drivers_At",
                table: "insights_cost_drivers",
                column: "At");

            migrationBuilder.CreateIndex(
                name: "IX_insights_cost_drivers_ProfileId_At",
                table: "insights_cost_drivers",
                columns: new[] { "ProfileId", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_insights_order_lines_PlacedAt",
                table: "insights_order_lines",
                column: "PlacedAt");

            migrationBuilder.CreateIndex(
                name: "IX_insights_order_lines_ProfileId_PlacedAt",
                table: "insights_order_lines",
                columns: new[] { "ProfileId", "PlacedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "insights_cost_drivers");

            migrationBuilder.DropTable(
                name: "insights_cost_rates");

            migrationBuilder.DropTable(
                name: "insights_order_lines");

            migrationBuilder.DropIndex(
                name: "IX_insights_revenue_adjustments_OrderId",
                table: "insights_revenue_adjustments");
        }
    }
}
