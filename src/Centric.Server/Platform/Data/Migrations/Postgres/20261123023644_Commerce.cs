using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Centric.Server.Platform.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Commerce : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "commerce_carts",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    ProfileId = table.Column<Guid>(type: "uuid", nullable: true),
                    Token = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    PromoCode = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    UpdatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_commerce_carts", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "commerce_categories",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Slug = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_commerce_categories", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "commerce_orders",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Number = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    ProfileId = table.Column<Guid>(type: "uuid", nullable: false),
                    Email = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: false),
                    Status = table.Column<int>(type: "integer", nullable: false),
                    Currency = table.Column<string>(type: "character varying(3)", maxLength: 3, nullable: false),
                    SubtotalMinor = table.Column<long>(type: "bigint", nullable: false),
                    DiscountMinor = table.Column<long>(type: "bigint", nullable: false),
                    ShippingMinor = table.Column<long>(type: "bigint", nullable: false),
                    TaxMinor = table.Column<long>(type: "bigint", nullable: false),
                    TotalMinor = table.Column<long>(type: "bigint", nullable: false),
                    PromoCode = table.Column<string>(type: "text", nullable: true),
                    ShippingMethod = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    PickupLocationId = table.Column<Guid>(type: "uuid", nullable: true),
                    ShipName = table.Column<string>(type: "text", nullable: true),
                    ShipLine1 = table.Column<string>(type: "text", nullable: true),
                    ShipLine2 = table.Column<string>(type: "text", nullable: true),
                    ShipCity = table.Column<string>(type: "text", nullable: true),
                    ShipPostalCode = table.Column<string>(type: "text", nullable: true),
                    ShipCountry = table.Column<string>(type: "text", nullable: true),
                    EstimatedDeliveryFrom = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    EstimatedDeliveryTo = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    IdempotencyKey = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    AccessKey = table.Column<string>(type: "text", nullable: false),
                    PlacedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    PaidAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    UpdatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_commerce_orders", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "commerce_payments",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    OrderId = table.Column<Guid>(type: "uuid", nullable: false),
                    ProfileId = table.Column<Guid>(type: "uuid", nullable: false),
                    AmountMinor = table.Column<long>(type: "bigint", nullable: false),
                    Currency = table.Column<string>(type: "character varying(3)", maxLength: 3, nullable: false),
                    Status = table.Column<int>(type: "integer", nullable: false),
                    Gateway = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    GatewayReference = table.Column<string>(type: "text", nullable: true),
                    FailureCode = table.Column<string>(type: "text", nullable: true),
                    CardBrand = table.Column<string>(type: "text", nullable: true),
                    CardLast4 = table.Column<string>(type: "text", nullable: true),
                    IdempotencyKey = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_commerce_payments", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "commerce_products",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Slug = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Name = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    Description = table.Column<string>(type: "text", nullable: false),
                    CategoryId = table.Column<Guid>(type: "uuid", nullable: false),
                    Brand = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    SearchText = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    ImageUrl = table.Column<string>(type: "text", nullable: true),
                    RatingX100 = table.Column<int>(type: "integer", nullable: false),
                    ReviewCount = table.Column<int>(type: "integer", nullable: false),
                    Active = table.Column<bool>(type: "boolean", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    PriceFromMinor = table.Column<long>(type: "bigint", nullable: false),
                    Currency = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_commerce_products", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "commerce_promo_codes",
                columns: table => new
                {
                    Code = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    PercentOff = table.Column<int>(type: "integer", nullable: false),
                    AmountOffMinor = table.Column<long>(type: "bigint", nullable: false),
                    MinimumSubtotalMinor = table.Column<long>(type: "bigint", nullable: false),
                    ValidUntil = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    Active = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_commerce_promo_codes", x => x.Code);
                });

            migrationBuilder.CreateTable(
                name: "commerce_stock_levels",
                columns: table => new
                {
                    VariantId = table.Column<Guid>(type: "uuid", nullable: false),
                    LocationId = table.Column<Guid>(type: "uuid", nullable: false),
                    OnHand = table.Column<int>(type: "integer", nullable: false),
                    Reserved = table.Column<int>(type: "integer", nullable: false),
                    LowStockThreshold = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_commerce_stock_levels", x => new { x.VariantId, x.LocationId });
                });

            migrationBuilder.CreateTable(
                name: "commerce_stock_locations",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Code = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Name = table.Column<string>(type: "text", nullable: false),
                    IsStore = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_commerce_stock_locations", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "commerce_stock_reservations",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    OrderId = table.Column<Guid>(type: "uuid", nullable: false),
                    VariantId = table.Column<Guid>(type: "uuid", nullable: false),
                    LocationId = table.Column<Guid>(type: "uuid", nullable: false),
                    Quantity = table.Column<int>(type: "integer", nullable: false),
                    Status = table.Column<int>(type: "integer", nullable: false),
                    ExpiresAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_commerce_stock_reservations", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "commerce_variants",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    ProductId = table.Column<Guid>(type: "uuid", nullable: false),
                    Sku = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Gtin = table.Column<string>(type: "character varying(14)", maxLength: 14, nullable: true),
                    Options = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    PriceMinor = table.Column<long>(type: "bigint", nullable: false),
                    Currency = table.Column<string>(type: "character varying(3)", maxLength: 3, nullable: false),
                    WeightGrams = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_commerce_variants", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "commerce_cart_lines",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    CartId = table.Column<Guid>(type: "uuid", nullable: false),
                    VariantId = table.Column<Guid>(type: "uuid", nullable: false),
                    Quantity = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_commerce_cart_lines", x => x.Id);
                    table.ForeignKey(
                        name: "FK_commerce_cart_lines_commerce_carts_CartId",
                        column: x => x.CartId,
                        principalTable: "commerce_carts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "commerce_order_lines",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    OrderId = table.Column<Guid>(type: "uuid", nullable: false),
                    VariantId = table.Column<Guid>(type: "uuid", nullable: false),
                    ProductId = table.Column<Guid>(type: "uuid", nullable: false),
                    Sku = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Name = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    Category = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    UnitPriceMinor = table.Column<long>(type: "bigint", nullable: false),
                    Quantity = table.Column<int>(type: "integer", nullable: false),
                    LineTotalMinor = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_commerce_order_lines", x => x.Id);
                    table.ForeignKey(
                        name: "FK_commerce_order_lines_commerce_orders_OrderId",
                        column: x => x.OrderId,
                        principalTable: "commerce_orders",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_commerce_cart_lines_CartId",
                table: "commerce_cart_lines",
                column: "CartId");

            migrationBuilder.CreateIndex(
                name: "IX_commerce_carts_ProfileId",
                table: "commerce_carts",
                column: "ProfileId");

            migrationBuilder.CreateIndex(
                name: "IX_commerce_carts_Token",
                table: "commerce_carts",
                column: "Token",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_commerce_categories_Slug",
                table: "commerce_categories",
                column: "Slug",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_commerce_order_lines_OrderId",
                table: "commerce_order_lines",
                column: "OrderId");

            migrationBuilder.CreateIndex(
                name: "IX_commerce_orders_IdempotencyKey",
                table: "commerce_orders",
                column: "IdempotencyKey",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_commerce_orders_Number",
                table: "commerce_orders",
                column: "Number",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_commerce_orders_ProfileId_PlacedAt",
                table: "commerce_orders",
                columns: new[] { "ProfileId", "PlacedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_commerce_payments_IdempotencyKey",
                table: "commerce_payments",
                column: "IdempotencyKey",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_commerce_payments_OrderId",
                table: "commerce_payments",
                column: "OrderId");

            migrationBuilder.CreateIndex(
                name: "IX_commerce_products_CategoryId",
                table: "commerce_products",
                column: "CategoryId");

            migrationBuilder.CreateIndex(
                name: "IX_commerce_products_Slug",
                table: "commerce_products",
                column: "Slug",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_commerce_stock_locations_Code",
                table: "commerce_stock_locations",
                column: "Code",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_commerce_stock_reservations_OrderId",
                table: "commerce_stock_reservations",
                column: "OrderId");

            migrationBuilder.CreateIndex(
                name: "IX_commerce_stock_reservations_Status_ExpiresAt",
                table: "commerce_stock_reservations",
                columns: new[] { "Status", "ExpiresAt" });

            migrationBuilder.CreateIndex(
                name: "IX_commerce_variants_Gtin",
                table: "commerce_variants",
                column: "Gtin");

            migrationBuilder.CreateIndex(
                name: "IX_commerce_variants_ProductId",
                table: "commerce_variants",
                column: "ProductId");

            migrationBuilder.CreateIndex(
                name: "IX_commerce_variants_Sku",
                table: "commerce_variants",
                column: "Sku",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "commerce_cart_lines");

            migrationBuilder.DropTable(
                name: "commerce_categories");

            migrationBuilder.DropTable(
                name: "commerce_order_lines");

            migrationBuilder.DropTable(
                name: "commerce_payments");

            migrationBuilder.DropTable(
                name: "commerce_products");

            migrationBuilder.DropTable(
                name: "commerce_promo_codes");

            migrationBuilder.DropTable(
                name: "commerce_stock_levels");

            migrationBuilder.DropTable(
                name: "commerce_stock_locations");

            migrationBuilder.DropTable(
                name: "commerce_stock_reservations");

            migrationBuilder.DropTable(
                name: "commerce_variants");

            migrationBuilder.DropTable(
                name: "commerce_carts");

            migrationBuilder.DropTable(
                name: "commerce_orders");
        }
    }
}
