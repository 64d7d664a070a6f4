using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Centric.Server.Platform.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Subscriptions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "SubscriptionIntervalDays",
                table: "commerce_variants",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "SubscriptionPriceMinor",
                table: "commerce_variants",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "commerce_subscriptions",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    ProfileId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Email = table.Column<string>(type: "TEXT", maxLength: 320, nullable: false),
                    VariantId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Quantity = table.Column<int>(type: "INTEGER", nullable: false),
                    IntervalDays = table.Column<int>(type: "INTEGER", nullable: false),
                    PriceMinor = table.Column<long>(type: "INTEGER", nullable: false),
                    Currency = table.Column<string>(type: "TEXT", maxLength: 3, nullable: false),
                    Status = table.Column<int>(type: "INTEGER", nullable: false),
                    NextRenewalAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    RetryAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    FailedAttempts = table.Column<int>(type: "INTEGER", nullable: false),
                    PaymentToken = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    CardBrand = table.Column<string>(type: "TEXT", nullable: true),
                    CardLast4 = table.Column<string>(type: "TEXT", nullable: true),
                    RemindedFor = table.Column<DateTime>(type: "TEXT", nullable: true),
                    ShipName = table.Column<string>(type: "TEXT", nullable: true),
                    ShipLine1 = table.Column<string>(type: "TEXT", nullable: true),
                    ShipCity = table.Column<string>(type: "TEXT", nullable: true),
                    ShipPostalCode = table.Column<string>(type: "TEXT", nullable: true),
                    ShipCountry = table.Column<string>(type: "TEXT", nullable: true),
                    ClaimToken = table.Column<Guid>(type: "TEXT", nullable: true),
                    ClaimedUntil = table.Column<DateTime>(type: "TEXT", nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_commerce_subscriptions", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_commerce_subscriptions_ProfileId",
                table: "commerce_subscriptions",
                column: "ProfileId");

            migrationBuilder.CreateIndex(
                name: "IX_commerce_subscriptions_Status_NextRenewalAt",
                table: "commerce_subscriptions",
                columns: new[] { "Status", "NextRenewalAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "commerce_subscriptions");

            migrationBuilder.DropColumn(
                name: "SubscriptionIntervalDays",
                table: "commerce_variants");

            migrationBuilder.DropColumn(
                name: "SubscriptionPriceMinor",
                table: "commerce_variants");
        }
    }
}
