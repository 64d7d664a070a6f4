using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Centric.Server.Platform.Data.Migrations.Postgres
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
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Name = table.Column<string>(type: "character varying(120)", maxLength: 120, nullable: false),
                    Code = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    Kind = table.Column<int>(type: "integer", nullable: false),
                    PercentOff = table.Column<int>(type: "integer", nullable: false),
                    AmountOffMinor = table.Column<long>(type: "bigint", nullable: false),
                    Currency = table.Column<string>(type: "character varying(3)", maxLength: 3, nullable: false),
                    BuyQuantity = table.Column<int>(type: "integer", nullable: false),
                    GetQuantity = table.Column<int>(type: "integer", nullable: false),
                    TargetSku = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    TargetCategory = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    MinimumSubtotalMinor = table.Column<long>(type: "bigint", nullable: false),
                    StartsAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    EndsAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    TotalLimit = table.Column<int>(type: "integer", nullable: true),
                    PerCustomerLimit = table.Column<int>(type: "integer", nullable: true),
                    Audience = table.Column<int>(type: "integer", nullable: false),
                    SegmentId = table.Column<Guid>(type: "uuid", nullable: true),
                    SegmentName = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    DecileFrom = table.Column<int>(type: "integer", nullable: true),
                    DecileTo = table.Column<int>(type: "integer", nullable: true),
                    Stackable = table.Column<bool>(type: "boolean", nullable: false),
                    Paused = table.Column<bool>(type: "boolean", nullable: false),
                    Redeemed = table.Column<int>(type: "integer", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    CreatedBy = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_commerce_promotions", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "commerce_promotion_redemptions",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    PromotionId = table.Column<Guid>(type: "uuid", nullable: false),
                    ProfileId = table.Column<Guid>(type: "uuid", nullable: false),
                    OrderId = table.Column<Guid>(type: "uuid", nullable: false),
                    OrderNumber = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Code = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    AmountMinor = table.Column<long>(type: "bigint", nullable: false),
                    Currency = table.Column<string>(type: "character varying(3)", maxLength: 3, nullable: false),
                    CustomerSlot = table.Column<int>(type: "integer", nullable: true),
                    RedeemedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    ReleasedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_commerce_promotion_redemptions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_commerce_promotion_redemptions_commerce_promotions_Promotio~",
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
                name: "IX_commerce_promotion_redemptions_PromotionId_ProfileId_Custom~",
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
                SELECT gen_random_uuid(), "Code", "Code", CASE WHEN "PercentOff" > 0 THEN 0 ELSE 1 END, "PercentOff", "AmountOffMinor", 'EUR', 0, 0, "MinimumSubtotalMinor", "ValidUntil", 0, false,
                       NOT "Active", 0, now(), now()
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
                    Code = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Active = table.Column<bool>(type: "boolean", nullable: false),
                    AmountOffMinor = table.Column<long>(type: "bigint", nullable: false),
                    MinimumSubtotalMinor = table.Column<long>(type: "bigint", nullable: false),
                    PercentOff = table.Column<int>(type: "integer", nullable: false),
                    ValidUntil = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_commerce_promo_codes", x => x.Code);
                });
        }
    }
}
