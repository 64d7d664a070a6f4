using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Centric.Server.Platform.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ProductSlugRedirectsAndKpiRollups : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "commerce_product_slug_redirects",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Slug = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    ProductId = table.Column<Guid>(type: "TEXT", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_commerce_product_slug_redirects", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "insights_order_facts",
                columns: table => new
                {
                    OrderId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ProfileId = table.Column<Guid>(type: "TEXT", nullable: false),
                    PlacedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Channel = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    ValueMinor = table.Column<long>(type: "INTEGER", nullable: false),
                    Currency = table.Column<string>(type: "TEXT", maxLength: 3, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_insights_order_facts", x => x.OrderId);
                });

            migrationBuilder.CreateTable(
                name: "insights_revenue_adjustments",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrderId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ProfileId = table.Column<Guid>(type: "TEXT", nullable: false),
                    At = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Channel = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    ValueMinor = table.Column<long>(type: "INTEGER", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_insights_revenue_adjustments", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_commerce_product_slug_redirects_ProductId",
                table: "commerce_product_slug_redirects",
                column: "ProductId");

            migrationBuilder.CreateIndex(
                name: "IX_commerce_product_slug_redirects_Slug",
                table: "commerce_product_slug_redirects",
                column: "Slug",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_insights_order_facts_PlacedAt",
                table: "insights_order_facts",
                column: "PlacedAt");

            migrationBuilder.CreateIndex(
                name: "IX_insights_order_facts_ProfileId_PlacedAt",
                table: "insights_order_facts",
                columns: new[] { "ProfileId", "PlacedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_insights_revenue_adjustments_At",
                table: "insights_revenue_adjustments",
                column: "At");

            migrationBuilder.CreateIndex(
                name: "IX_insights_revenue_adjustments_ProfileId",
                table: "insights_revenue_adjustments",
                column: "ProfileId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "commerce_product_slug_redirects");

            migrationBuilder.DropTable(
                name: "insights_order_facts");

            migrationBuilder.DropTable(
                name: "insights_revenue_adjustments");
        }
    }
}
