using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Centric.Server.Platform.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class KpiRollupsForScale : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "CrossSell",
                table: "insights_order_lines",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<DateTime>(
                name: "DeliveredAt",
                table: "insights_order_facts",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "DeliveryDays",
                table: "insights_order_facts",
                type: "double precision",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "insights_churn_definition",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false),
                    HorizonDays = table.Column<int>(type: "integer", nullable: false),
                    CancellationIsChurn = table.Column<bool>(type: "boolean", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    UpdatedBy = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_insights_churn_definition", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "insights_first_orders",
                columns: table => new
                {
                    ProfileId = table.Column<Guid>(type: "uuid", nullable: false),
                    PlacedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_insights_first_orders", x => x.ProfileId);
                });

            migrationBuilder.CreateTable(
                name: "insights_product_visits",
                columns: table => new
                {
                    Day = table.Column<DateOnly>(type: "date", nullable: false),
                    Channel = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    ProfileId = table.Column<Guid>(type: "uuid", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_insights_product_visits", x => new { x.Day, x.Channel, x.ProfileId });
                });

            migrationBuilder.CreateIndex(
                name: "IX_insights_order_facts_DeliveredAt",
                table: "insights_order_facts",
                column: "DeliveredAt");

            migrationBuilder.CreateIndex(
                name: "IX_insights_first_orders_PlacedAt",
                table: "insights_first_orders",
                column: "PlacedAt");

            migrationBuilder.CreateIndex(
                name: "IX_insights_product_visits_ProfileId",
                table: "insights_product_visits",
                column: "ProfileId");
            // The new rollups, made from what is counted already (later orders keep them current).
            migrationBuilder.Sql("""
                INSERT INTO insights_first_orders ("ProfileId", "PlacedAt")
                SELECT "ProfileId", MIN("PlacedAt") FROM insights_order_facts GROUP BY "ProfileId";
                """);
            migrationBuilder.Sql("""
                UPDATE insights_order_lines SET "CrossSell" =
                    EXISTS (SELECT 1 FROM insights_order_lines e WHERE e."ProfileId" = insights_order_lines."ProfileId" AND e."PlacedAt" < insights_order_lines."PlacedAt")
                    AND NOT EXISTS (SELECT 1 FROM insights_order_lines e WHERE e."ProfileId" = insights_order_lines."ProfileId"
                        AND e."PlacedAt" < insights_order_lines."PlacedAt" AND e."Category" = insights_order_lines."Category");
                """);
            migrationBuilder.Sql("""
                UPDATE insights_order_facts AS f SET "DeliveredAt" = d.at, "DeliveryDays" = EXTRACT(EPOCH FROM d.at - f."PlacedAt") / 86400.0
                FROM (SELECT "Properties"::jsonb ->> 'orderId' AS id, MAX("OccurredAt") AS at FROM customers_interactions
                      WHERE "Type" = 'order_status_changed' AND "Properties"::jsonb ->> 'to' = 'Delivered' GROUP BY 1) AS d
                WHERE d.id = f."OrderId"::text;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "insights_churn_definition");

            migrationBuilder.DropTable(
                name: "insights_first_orders");

            migrationBuilder.DropTable(
                name: "insights_product_visits");

            migrationBuilder.DropIndex(
                name: "IX_insights_order_facts_DeliveredAt",
                table: "insights_order_facts");

            migrationBuilder.DropColumn(
                name: "CrossSell",
                table: "insights_order_lines");

            migrationBuilder.DropColumn(
                name: "DeliveredAt",
                table: "insights_order_facts");

            migrationBuilder.DropColumn(
                name: "DeliveryDays",
                table: "insights_order_facts");
        }
    }
}
