using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Centric.Server.Platform.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Promotions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "commerce_promotions",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 120, nullable: false),
                    Code = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    Kind = table.Column<int>(type: "INTEGER", nullable: false),
                    PercentOff = table.Column<int>(type: "INTEGER", nullable: false),
                    AmountOffMinor = table.Column<long>(type: "INTEGER", nullable: false),
                    Currency = table.Column<string>(type: "TEXT", maxLength: 3, nullable: false),
                    BuyQuantity = table.Column<int>(type: "INTEGER", nullable: false),
                    GetQuantity = table.Column<int>(type: "INTEGER", nullable: false),
                    TargetSku = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    TargetCategory = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    MinimumSubtotalMinor = table.Column<long>(type: "INTEGER", nullable: false),
                    StartsAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    EndsAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    TotalLimit = table.Column<int>(type: "INTEGER", nullable: true),
                    PerCustomerLimit = table.Column<int>(type: "INTEGER", nullable: true),
                    Audience = table.Column<int>(type: "INTEGER", nullable: false),
                    SegmentId = table.Column<Guid>(type: "TEXT", nullable: true),
                    SegmentName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    DecileFrom = table.Column<int>(type: "INTEGER", nullable: true),
                    DecileTo = table.Column<int>(type: "INTEGER", nullable: true),
                    Stackable = table.Column<bool>(type: "INTEGER", nullable: false),
                    Paused = table.Column<bool>(type: "INTEGER", nullable: false),
                    Redeemed = table.Column<int>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    CreatedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_commerce_promotions", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "commerce_promotion_redemptions",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    PromotionId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ProfileId = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrderId = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrderNumber = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Code = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    AmountMinor = table.Column<long>(type: "INTEGER", nullable: false),
                    Currency = table.Column<string>(type: "TEXT", maxLength: 3, nullable: false),
                    CustomerSlot = table.Column<int>(type: "INTEGER", nullable: true),
                    RedeemedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ReleasedAt = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_commerce_promotion_redemptions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_commerce_promotion_redemptions_commerce_promotions_PromotionId",
                        column: x => x.PromotionId,
                        principalTable: "commerce_promotions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_commerce_promotion_redemptions_OrderId",
                table: "commerce_promotion_redemptions",
                column: "OrderId");

            migrationBuilder.CreateIndex(
                name: "IX_commerce_promotion_redemptions_ProfileId_PromotionId",
                table: "commerce_promotion_redemptions",
                columns: new[] { "ProfileId", "PromotionId" });

            migrationBuilder.CreateIndex(
                name: "IX_commerce_promotion_redemptions_PromotionId_ProfileId_CustomerSlot",
                table: "commerce_promotion_redemptions",
                columns: new[] { "PromotionId", "ProfileId", "CustomerSlot" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_commerce_promotions_Code",
                table: "commerce_promotions",
                column: "Code",
                unique: true);

            // The simple codes of before become promotions (everyone, no limits), then their table goes.
            migrationBuilder.Sql("""
                INSERT INTO commerce_promotions ("Id", "Name", "Code", "Kind", "PercentOff", "AmountOffMinor", "Currency", "BuyQuantity", "GetQuantity", "MinimumSubtotalMinor", "EndsAt", "Audience", "Stackable", "Paused", "Redeemed", "CreatedAt", "UpdatedAt")
                SELECT upper(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-' || hex(randomblob(2)) || '-' || hex(randomblob(2)) || '-' || hex(randomblob(6))),
                       "Code", "Code", CASE WHEN "PercentOff" > 0 THEN 0 ELSE 1 END, "PercentOff", "AmountOffMinor", 'EUR', 0, 0, "MinimumSubtotalMinor", "ValidUntil", 0, 0,
                       CASE WHEN "Active" THEN 0 ELSE 1 END, 0, strftime('%Y-%m-%d %H:%M:%f', 'now'), strftime('%Y-%m-%d %H:%M:%f', 'now')
                FROM commerce_promo_codes;
                """);

            migrationBuilder.DropTable(
                name: "commerce_promo_codes");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "commerce_promotion_redemptions");

            migrationBuilder.DropTable(
                name: "commerce_promotions");

            migrationBuilder.CreateTable(
                name: "commerce_promo_codes",
                columns: table => new
                {
                    Code = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Active = table.Column<bool>(type: "INTEGER", nullable: false),
                    AmountOffMinor = table.Column<long>(type: "INTEGER", nullable: false),
                    MinimumSubtotalMinor = table.Column<long>(type: "INTEGER", nullable: false),
                    PercentOff = table.Column<int>(type: "INTEGER", nullable: false),
                    ValidUntil = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_commerce_promo_codes", x => x.Code);
                });
        }
    }
}
