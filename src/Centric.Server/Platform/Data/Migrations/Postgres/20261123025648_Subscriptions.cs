using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Centric.Server.Platform.Data.Migrations.Postgres
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
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "SubscriptionPriceMinor",
                table: "commerce_variants",
                type: "bigint",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "commerce_subscriptions",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    ProfileId = table.Column<Guid>(type: "uuid", nullable: false),
                    Email = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: false),
                    VariantId = table.Column<Guid>(type: "uuid", nullable: false),
                    Quantity = table.Column<int>(type: "integer", nullable: false),
                    IntervalDays = table.Column<int>(type: "integer", nullable: false),
                    PriceMinor = table.Column<long>(type: "bigint", nullable: false),
                    Currency = table.Column<string>(type: "character varying(3)", maxLength: 3, nullable: false),
                    Status = table.Column<int>(type: "integer", nullable: false),
                    NextRenewalAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    RetryAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    FailedAttempts = table.Column<int>(type: "integer", nullable: false),
                    PaymentToken = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    CardBrand = table.Column<string>(type: "text", nullable: true),
                    CardLast4 = table.Column<string>(type: "text", nullable: true),
                    RemindedFor = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    ShipName = table.Column<string>(type: "text", nullable: true),
                    ShipLine1 = table.Column<string>(type: "text", nullable: true),
                    ShipCity = table.Column<string>(type: "text", nullable: true),
                    ShipPostalCode = table.Column<string>(type: "text", nullable: true),
                    ShipCountry = table.Column<string>(type: "text", nullable: true),
                    ClaimToken = table.Column<Guid>(type: "uuid", nullable: true),
                    ClaimedUntil = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
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
