using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Centric.Server.Platform.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Initial : Migration
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
                name: "commerce_loyalty_accounts",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    ProfileId = table.Column<Guid>(type: "uuid", nullable: false),
                    ReferralCode = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Tier = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    TierChangedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_commerce_loyalty_accounts", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "commerce_loyalty_daily_runs",
                columns: table => new
                {
                    Job = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Day = table.Column<DateOnly>(type: "date", nullable: false),
                    RanAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_commerce_loyalty_daily_runs", x => new { x.Job, x.Day });
                });

            migrationBuilder.CreateTable(
                name: "commerce_loyalty_entries",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    ProfileId = table.Column<Guid>(type: "uuid", nullable: false),
                    Points = table.Column<int>(type: "integer", nullable: false),
                    Kind = table.Column<int>(type: "integer", nullable: false),
                    SourceKey = table.Column<string>(type: "character varying(120)", maxLength: 120, nullable: false),
                    OrderId = table.Column<Guid>(type: "uuid", nullable: true),
                    OrderNumber = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    LotId = table.Column<Guid>(type: "uuid", nullable: true),
                    ExpiresAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Note = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_commerce_loyalty_entries", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "commerce_loyalty_programs",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false),
                    Enabled = table.Column<bool>(type: "boolean", nullable: false),
                    Currency = table.Column<string>(type: "character varying(3)", maxLength: 3, nullable: false),
                    PointsPerCurrencyUnit = table.Column<int>(type: "integer", nullable: false),
                    ReviewPoints = table.Column<int>(type: "integer", nullable: false),
                    ReferralPoints = table.Column<int>(type: "integer", nullable: false),
                    BirthdayPoints = table.Column<int>(type: "integer", nullable: false),
                    PointsPerCurrencyUnitRedeemed = table.Column<int>(type: "integer", nullable: false),
                    MinimumRedeem = table.Column<int>(type: "integer", nullable: false),
                    ExpiryMonths = table.Column<int>(type: "integer", nullable: false),
                    ReferralMonthlyLimit = table.Column<int>(type: "integer", nullable: false),
                    Tiers = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    UpdatedBy = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_commerce_loyalty_programs", x => x.Id);
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
                    DeliveredAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    RefundedMinor = table.Column<long>(type: "bigint", nullable: false),
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
                    CardFingerprint = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    IdempotencyKey = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_commerce_payments", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "commerce_product_image_renditions",
                columns: table => new
                {
                    ImageId = table.Column<Guid>(type: "uuid", nullable: false),
                    Width = table.Column<int>(type: "integer", nullable: false),
                    Bytes = table.Column<byte[]>(type: "bytea", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_commerce_product_image_renditions", x => new { x.ImageId, x.Width });
                });

            migrationBuilder.CreateTable(
                name: "commerce_product_images",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    ProductId = table.Column<Guid>(type: "uuid", nullable: false),
                    ContentType = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Width = table.Column<int>(type: "integer", nullable: false),
                    Height = table.Column<int>(type: "integer", nullable: false),
                    Original = table.Column<byte[]>(type: "bytea", nullable: false),
                    Sha256 = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_commerce_product_images", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "commerce_product_slug_redirects",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Slug = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    ProductId = table.Column<Guid>(type: "uuid", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_commerce_product_slug_redirects", x => x.Id);
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
                    LoyaltyTier = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
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
                name: "commerce_referrals",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    ProfileId = table.Column<Guid>(type: "uuid", nullable: false),
                    ReferrerProfileId = table.Column<Guid>(type: "uuid", nullable: false),
                    Code = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    OrderId = table.Column<Guid>(type: "uuid", nullable: false),
                    OrderNumber = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Status = table.Column<int>(type: "integer", nullable: false),
                    Reason = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    SettledAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_commerce_referrals", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "commerce_returns",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Number = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    OrderId = table.Column<Guid>(type: "uuid", nullable: false),
                    ProfileId = table.Column<Guid>(type: "uuid", nullable: false),
                    Status = table.Column<int>(type: "integer", nullable: false),
                    Resolution = table.Column<int>(type: "integer", nullable: false),
                    Reason = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Comment = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    ExchangeVariantId = table.Column<Guid>(type: "uuid", nullable: true),
                    RefundMinor = table.Column<long>(type: "bigint", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_commerce_returns", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "commerce_reviews",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    ProductId = table.Column<Guid>(type: "uuid", nullable: false),
                    ProfileId = table.Column<Guid>(type: "uuid", nullable: false),
                    Rating = table.Column<int>(type: "integer", nullable: false),
                    Title = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    Body = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                    AuthorName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    VerifiedPurchase = table.Column<bool>(type: "boolean", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_commerce_reviews", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "commerce_saved_addresses",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    ProfileId = table.Column<Guid>(type: "uuid", nullable: false),
                    Name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Line1 = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Line2 = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    City = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    PostalCode = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    Country = table.Column<string>(type: "character varying(2)", maxLength: 2, nullable: false),
                    IsDefault = table.Column<bool>(type: "boolean", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_commerce_saved_addresses", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "commerce_saved_cards",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    ProfileId = table.Column<Guid>(type: "uuid", nullable: false),
                    Token = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Brand = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Last4 = table.Column<string>(type: "character varying(4)", maxLength: 4, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_commerce_saved_cards", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "commerce_shipment_events",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    ShipmentId = table.Column<Guid>(type: "uuid", nullable: false),
                    ExternalId = table.Column<string>(type: "character varying(140)", maxLength: 140, nullable: false),
                    Code = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    Description = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    Location = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    OccurredAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    ReceivedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_commerce_shipment_events", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "commerce_shipments",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    OrderId = table.Column<Guid>(type: "uuid", nullable: false),
                    ProfileId = table.Column<Guid>(type: "uuid", nullable: false),
                    Carrier = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    TrackingNumber = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Status = table.Column<int>(type: "integer", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_commerce_shipments", x => x.Id);
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
                    WeightGrams = table.Column<int>(type: "integer", nullable: false),
                    SubscriptionIntervalDays = table.Column<int>(type: "integer", nullable: true),
                    SubscriptionPriceMinor = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_commerce_variants", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "customers_consent_changes",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    ProfileId = table.Column<Guid>(type: "uuid", nullable: false),
                    Channel = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Purpose = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Granted = table.Column<bool>(type: "boolean", nullable: false),
                    At = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Source = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    ChangedBy = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_customers_consent_changes", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "customers_consents",
                columns: table => new
                {
                    ProfileId = table.Column<Guid>(type: "uuid", nullable: false),
                    Channel = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Purpose = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Granted = table.Column<bool>(type: "boolean", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Source = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_customers_consents", x => new { x.ProfileId, x.Channel, x.Purpose });
                });

            migrationBuilder.CreateTable(
                name: "customers_identities",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    ProfileId = table.Column<Guid>(type: "uuid", nullable: false),
                    Kind = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Value = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: false),
                    Key = table.Column<string>(type: "character varying(340)", maxLength: 340, nullable: false),
                    Verified = table.Column<bool>(type: "boolean", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_customers_identities", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "customers_interactions",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    ProfileId = table.Column<Guid>(type: "uuid", nullable: false),
                    EventId = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Type = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Channel = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    OccurredAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    ReceivedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    AnonymousId = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    Properties = table.Column<string>(type: "text", nullable: false),
                    SourceKind = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: true),
                    SourceId = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_customers_interactions", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "customers_notifications",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    ProfileId = table.Column<Guid>(type: "uuid", nullable: false),
                    Topic = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    Title = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Body = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    Link = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    ReadAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_customers_notifications", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "customers_profiles",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Kind = table.Column<int>(type: "integer", nullable: false),
                    FirstName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    LastName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    Email = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: true),
                    Phone = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    Traits = table.Column<string>(type: "text", nullable: false),
                    SearchText = table.Column<string>(type: "character varying(600)", maxLength: 600, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    MergedIntoId = table.Column<Guid>(type: "uuid", nullable: true),
                    ErasedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    FirstSeenAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    LastSeenAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    InteractionCount = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_customers_profiles", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "engagement_campaign_recipients",
                columns: table => new
                {
                    CampaignId = table.Column<Guid>(type: "uuid", nullable: false),
                    ProfileId = table.Column<Guid>(type: "uuid", nullable: false),
                    Variant = table.Column<string>(type: "character varying(4)", maxLength: 4, nullable: false),
                    Status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    At = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_engagement_campaign_recipients", x => new { x.CampaignId, x.ProfileId });
                });

            migrationBuilder.CreateTable(
                name: "engagement_campaigns",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Name = table.Column<string>(type: "character varying(120)", maxLength: 120, nullable: false),
                    SegmentId = table.Column<Guid>(type: "uuid", nullable: false),
                    Channel = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Purpose = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    TemplateId = table.Column<Guid>(type: "uuid", nullable: true),
                    Subject = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    SubjectB = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    Body = table.Column<string>(type: "character varying(20000)", maxLength: 20000, nullable: false),
                    Link = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    TestPercent = table.Column<int>(type: "integer", nullable: false),
                    TestHours = table.Column<int>(type: "integer", nullable: false),
                    Winner = table.Column<string>(type: "character varying(1)", maxLength: 1, nullable: true),
                    RatePerMinute = table.Column<int>(type: "integer", nullable: false),
                    Status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    ScheduledAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    StartedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    FinishedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    SentUpTo = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    Audience = table.Column<int>(type: "integer", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    CreatedBy = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: true),
                    ClaimToken = table.Column<Guid>(type: "uuid", nullable: true),
                    ClaimedUntil = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_engagement_campaigns", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "engagement_journey_runs",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    JourneyId = table.Column<Guid>(type: "uuid", nullable: false),
                    Version = table.Column<int>(type: "integer", nullable: false),
                    ProfileId = table.Column<Guid>(type: "uuid", nullable: false),
                    EntryKey = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    StepId = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    DueAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    Arm = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    EnteredAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    EndedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    ConvertedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    Attempts = table.Column<int>(type: "integer", nullable: false),
                    Revision = table.Column<int>(type: "integer", nullable: false),
                    ClaimToken = table.Column<Guid>(type: "uuid", nullable: true),
                    ClaimedUntil = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_engagement_journey_runs", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "engagement_journey_step_log",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    RunId = table.Column<Guid>(type: "uuid", nullable: false),
                    JourneyId = table.Column<Guid>(type: "uuid", nullable: false),
                    Version = table.Column<int>(type: "integer", nullable: false),
                    StepId = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Outcome = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    At = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_engagement_journey_step_log", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "engagement_journey_versions",
                columns: table => new
                {
                    JourneyId = table.Column<Guid>(type: "uuid", nullable: false),
                    Version = table.Column<int>(type: "integer", nullable: false),
                    Definition = table.Column<string>(type: "character varying(100000)", maxLength: 100000, nullable: false),
                    PublishedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    PublishedBy = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_engagement_journey_versions", x => new { x.JourneyId, x.Version });
                });

            migrationBuilder.CreateTable(
                name: "engagement_journeys",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Name = table.Column<string>(type: "character varying(120)", maxLength: 120, nullable: false),
                    NameKey = table.Column<string>(type: "character varying(120)", maxLength: 120, nullable: false),
                    Description = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    ShippedKey = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    Status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Draft = table.Column<string>(type: "character varying(100000)", maxLength: 100000, nullable: false),
                    LiveVersion = table.Column<int>(type: "integer", nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    UpdatedBy = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_engagement_journeys", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "engagement_message_templates",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Name = table.Column<string>(type: "character varying(120)", maxLength: 120, nullable: false),
                    NameKey = table.Column<string>(type: "character varying(120)", maxLength: 120, nullable: false),
                    Channel = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Purpose = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Subject = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    Body = table.Column<string>(type: "character varying(20000)", maxLength: 20000, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    UpdatedBy = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_engagement_message_templates", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "engagement_messages",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    ProfileId = table.Column<Guid>(type: "uuid", nullable: false),
                    Channel = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Purpose = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    SendKey = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Source = table.Column<string>(type: "character varying(120)", maxLength: 120, nullable: false),
                    TemplateId = table.Column<Guid>(type: "uuid", nullable: true),
                    To = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: true),
                    Subject = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    Body = table.Column<string>(type: "character varying(20000)", maxLength: 20000, nullable: false),
                    Link = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    Status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    DeliveredAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    OpenedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    ClickedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    FailedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    FailureReason = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    Attempts = table.Column<int>(type: "integer", nullable: false),
                    NextAttemptAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    ClaimToken = table.Column<Guid>(type: "uuid", nullable: true),
                    ClaimedUntil = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    ProviderMessageId = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_engagement_messages", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "engagement_push_deliveries",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    MessageId = table.Column<Guid>(type: "uuid", nullable: false),
                    SubscriptionId = table.Column<Guid>(type: "uuid", nullable: false),
                    Status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Attempts = table.Column<int>(type: "integer", nullable: false),
                    NextAttemptAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    ClaimToken = table.Column<Guid>(type: "uuid", nullable: true),
                    ClaimedUntil = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    SentAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    LastError = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_engagement_push_deliveries", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "engagement_push_keys",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false),
                    PublicKey = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    PrivateKey = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_engagement_push_keys", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "engagement_push_subscriptions",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    ProfileId = table.Column<Guid>(type: "uuid", nullable: false),
                    Endpoint = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    P256dh = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Auth = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    UserAgent = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    LastSuccessAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_engagement_push_subscriptions", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "engagement_sandbox_sms",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    MessageId = table.Column<Guid>(type: "uuid", nullable: false),
                    To = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Text = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    Reference = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    SentAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_engagement_sandbox_sms", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "engagement_segment_members",
                columns: table => new
                {
                    SegmentId = table.Column<Guid>(type: "uuid", nullable: false),
                    ProfileId = table.Column<Guid>(type: "uuid", nullable: false),
                    EnteredAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_engagement_segment_members", x => new { x.SegmentId, x.ProfileId });
                });

            migrationBuilder.CreateTable(
                name: "engagement_segments",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Name = table.Column<string>(type: "character varying(120)", maxLength: 120, nullable: false),
                    NameKey = table.Column<string>(type: "character varying(120)", maxLength: 120, nullable: false),
                    Description = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    Kind = table.Column<int>(type: "integer", nullable: false),
                    Rule = table.Column<string>(type: "character varying(20000)", maxLength: 20000, nullable: true),
                    TimeBased = table.Column<bool>(type: "boolean", nullable: false),
                    MemberCount = table.Column<int>(type: "integer", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    EvaluatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    CreatedBy = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_engagement_segments", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "engagement_surveys",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Kind = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    Name = table.Column<string>(type: "character varying(120)", maxLength: 120, nullable: false),
                    Question = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    CommentPrompt = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    Active = table.Column<bool>(type: "boolean", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    CreatedBy = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_engagement_surveys", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "engagement_tasks",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Title = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    ProfileId = table.Column<Guid>(type: "uuid", nullable: true),
                    Role = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Source = table.Column<string>(type: "character varying(120)", maxLength: 120, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    DoneAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    DoneBy = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_engagement_tasks", x => x.Id);
                });

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
                name: "insights_croi_weights",
                columns: table => new
                {
                    Part = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    Weight = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_insights_croi_weights", x => x.Part);
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
                name: "insights_model_versions",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Kind = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Version = table.Column<int>(type: "integer", nullable: false),
                    WindowFrom = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    WindowTo = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Rows = table.Column<int>(type: "integer", nullable: false),
                    HoldoutRows = table.Column<int>(type: "integer", nullable: false),
                    RocAuc = table.Column<double>(type: "double precision", nullable: true),
                    LogLoss = table.Column<double>(type: "double precision", nullable: true),
                    NdcgAt10 = table.Column<double>(type: "double precision", nullable: true),
                    LogLikelihood = table.Column<double>(type: "double precision", nullable: true),
                    Accuracy = table.Column<double>(type: "double precision", nullable: true),
                    ActiveScoreOnHoldout = table.Column<double>(type: "double precision", nullable: true),
                    TrainedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    IsActive = table.Column<bool>(type: "boolean", nullable: false),
                    ActivatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    Decision = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    Payload = table.Column<byte[]>(type: "bytea", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_insights_model_versions", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "insights_order_facts",
                columns: table => new
                {
                    OrderId = table.Column<Guid>(type: "uuid", nullable: false),
                    ProfileId = table.Column<Guid>(type: "uuid", nullable: false),
                    PlacedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Channel = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    ValueMinor = table.Column<long>(type: "bigint", nullable: false),
                    Currency = table.Column<string>(type: "character varying(3)", maxLength: 3, nullable: false),
                    DeliveredAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    DeliveryDays = table.Column<double>(type: "double precision", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_insights_order_facts", x => x.OrderId);
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
                    ValueMinor = table.Column<long>(type: "bigint", nullable: false),
                    CrossSell = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_insights_order_lines", x => new { x.OrderId, x.Line });
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

            migrationBuilder.CreateTable(
                name: "insights_profile_scores",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    ProfileId = table.Column<Guid>(type: "uuid", nullable: false),
                    Clv12m = table.Column<double>(type: "double precision", nullable: true),
                    PAlive = table.Column<double>(type: "double precision", nullable: true),
                    ExpectedPurchases12m = table.Column<double>(type: "double precision", nullable: true),
                    ChurnRisk = table.Column<double>(type: "double precision", nullable: true),
                    ChurnReasons = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    Decile = table.Column<int>(type: "integer", nullable: true),
                    DecileBy = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: true),
                    RfmRecency = table.Column<int>(type: "integer", nullable: true),
                    RfmFrequency = table.Column<int>(type: "integer", nullable: true),
                    RfmMonetary = table.Column<int>(type: "integer", nullable: true),
                    Revenue = table.Column<double>(type: "double precision", nullable: false),
                    Sentiment = table.Column<double>(type: "double precision", nullable: true),
                    ChurnModelVersion = table.Column<int>(type: "integer", nullable: true),
                    ClvModelVersion = table.Column<int>(type: "integer", nullable: true),
                    ScoredAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_insights_profile_scores", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "insights_report_recipients",
                columns: table => new
                {
                    UserId = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: false),
                    ChosenAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_insights_report_recipients", x => x.UserId);
                });

            migrationBuilder.CreateTable(
                name: "insights_report_sends",
                columns: table => new
                {
                    WeekStart = table.Column<DateOnly>(type: "date", nullable: false),
                    SentAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Recipients = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_insights_report_sends", x => x.WeekStart);
                });

            migrationBuilder.CreateTable(
                name: "insights_revenue_adjustments",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    OrderId = table.Column<Guid>(type: "uuid", nullable: false),
                    ProfileId = table.Column<Guid>(type: "uuid", nullable: false),
                    At = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Channel = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    ValueMinor = table.Column<long>(type: "bigint", nullable: false),
                    Kind = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_insights_revenue_adjustments", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "insights_text_sentiments",
                columns: table => new
                {
                    InteractionId = table.Column<Guid>(type: "uuid", nullable: false),
                    ProfileId = table.Column<Guid>(type: "uuid", nullable: false),
                    OccurredAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Source = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Channel = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Score = table.Column<double>(type: "double precision", nullable: false),
                    Label = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    Scorer = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_insights_text_sentiments", x => x.InteractionId);
                });

            migrationBuilder.CreateTable(
                name: "insights_training_runs",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Kind = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Trigger = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    RequestedBy = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    SlotKey = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    Status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Progress = table.Column<int>(type: "integer", nullable: false),
                    Stage = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    RequestedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    StartedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    FinishedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    ClaimToken = table.Column<Guid>(type: "uuid", nullable: true),
                    ClaimedUntil = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    Error = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    ModelVersionId = table.Column<Guid>(type: "uuid", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_insights_training_runs", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "personalisation_alerts",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    ProfileId = table.Column<Guid>(type: "uuid", nullable: false),
                    ProductId = table.Column<Guid>(type: "uuid", nullable: false),
                    Kind = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    PriceMinor = table.Column<long>(type: "bigint", nullable: true),
                    LastSentAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    SentCount = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_personalisation_alerts", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "personalisation_placements",
                columns: table => new
                {
                    Placement = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Mode = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    ChangedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    ChangedBy = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_personalisation_placements", x => x.Placement);
                });

            migrationBuilder.CreateTable(
                name: "personalisation_rules",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Kind = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    ProductId = table.Column<Guid>(type: "uuid", nullable: true),
                    Category = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    Placement = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    CreatedBy = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_personalisation_rules", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "personalisation_wish_list_items",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    ProfileId = table.Column<Guid>(type: "uuid", nullable: false),
                    ProductId = table.Column<Guid>(type: "uuid", nullable: false),
                    AddedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_personalisation_wish_list_items", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "platform_api_keys",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Prefix = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    SecretHash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Scopes = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    CreatedBy = table.Column<string>(type: "text", nullable: true),
                    RevokedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    LastUsedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_platform_api_keys", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "platform_audit_log",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    At = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    ActorKind = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    ActorId = table.Column<string>(type: "text", nullable: true),
                    ActorName = table.Column<string>(type: "text", nullable: true),
                    Action = table.Column<string>(type: "character varying(80)", maxLength: 80, nullable: false),
                    ProfileId = table.Column<Guid>(type: "uuid", nullable: true),
                    Details = table.Column<string>(type: "text", nullable: true),
                    IpAddress = table.Column<string>(type: "text", nullable: true),
                    UserAgent = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_platform_audit_log", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "platform_data_protection_keys",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    FriendlyName = table.Column<string>(type: "text", nullable: true),
                    Xml = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_platform_data_protection_keys", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "platform_dead_letters",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Subscriber = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    InteractionId = table.Column<Guid>(type: "uuid", nullable: false),
                    TransactionId = table.Column<long>(type: "bigint", nullable: false),
                    Position = table.Column<long>(type: "bigint", nullable: false),
                    Error = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                    Attempts = table.Column<int>(type: "integer", nullable: false),
                    FirstFailedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    LastFailedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_platform_dead_letters", x => x.Id);
                });

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

            migrationBuilder.CreateTable(
                name: "platform_mail_outbox",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    To = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: false),
                    Subject = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    HtmlBody = table.Column<string>(type: "text", nullable: false),
                    Headers = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Delivery = table.Column<int>(type: "integer", nullable: false),
                    Attempts = table.Column<int>(type: "integer", nullable: false),
                    NextAttemptAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    ClaimToken = table.Column<Guid>(type: "uuid", nullable: true),
                    ClaimedUntil = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    SentAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    LastError = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_platform_mail_outbox", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "platform_outbox",
                columns: table => new
                {
                    Position = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    TransactionId = table.Column<long>(type: "bigint", nullable: false, defaultValueSql: "(pg_current_xact_id()::text::bigint)"),
                    InteractionId = table.Column<Guid>(type: "uuid", nullable: false),
                    ProfileId = table.Column<Guid>(type: "uuid", nullable: false),
                    Type = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_platform_outbox", x => x.Position);
                });

            migrationBuilder.CreateTable(
                name: "platform_roles",
                columns: table => new
                {
                    Id = table.Column<string>(type: "text", nullable: false),
                    Name = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    NormalizedName = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    ConcurrencyStamp = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_platform_roles", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "platform_subscriber_checkpoints",
                columns: table => new
                {
                    Subscriber = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    TransactionId = table.Column<long>(type: "bigint", nullable: false),
                    Position = table.Column<long>(type: "bigint", nullable: false),
                    LeaseToken = table.Column<Guid>(type: "uuid", nullable: true),
                    LeaseUntil = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    UpdatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_platform_subscriber_checkpoints", x => x.Subscriber);
                });

            migrationBuilder.CreateTable(
                name: "platform_users",
                columns: table => new
                {
                    Id = table.Column<string>(type: "text", nullable: false),
                    ProfileId = table.Column<Guid>(type: "uuid", nullable: true),
                    DisplayName = table.Column<string>(type: "text", nullable: true),
                    IsStaff = table.Column<bool>(type: "boolean", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    UserName = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    NormalizedUserName = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    Email = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    NormalizedEmail = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    EmailConfirmed = table.Column<bool>(type: "boolean", nullable: false),
                    PasswordHash = table.Column<string>(type: "text", nullable: true),
                    SecurityStamp = table.Column<string>(type: "text", nullable: true),
                    ConcurrencyStamp = table.Column<string>(type: "text", nullable: true),
                    PhoneNumber = table.Column<string>(type: "text", nullable: true),
                    PhoneNumberConfirmed = table.Column<bool>(type: "boolean", nullable: false),
                    TwoFactorEnabled = table.Column<bool>(type: "boolean", nullable: false),
                    LockoutEnd = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    LockoutEnabled = table.Column<bool>(type: "boolean", nullable: false),
                    AccessFailedCount = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_platform_users", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "platform_webhook_attempts",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    DeliveryId = table.Column<Guid>(type: "uuid", nullable: false),
                    Number = table.Column<int>(type: "integer", nullable: false),
                    At = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    StatusCode = table.Column<int>(type: "integer", nullable: true),
                    Error = table.Column<string>(type: "text", nullable: true),
                    ResponseSnippet = table.Column<string>(type: "text", nullable: true),
                    DurationMs = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_platform_webhook_attempts", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "platform_webhook_deliveries",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    SubscriptionId = table.Column<Guid>(type: "uuid", nullable: false),
                    Sequence = table.Column<long>(type: "bigint", nullable: false),
                    InteractionId = table.Column<Guid>(type: "uuid", nullable: false),
                    ProfileId = table.Column<Guid>(type: "uuid", nullable: false),
                    EventType = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Payload = table.Column<string>(type: "text", nullable: false),
                    Status = table.Column<int>(type: "integer", nullable: false),
                    Attempts = table.Column<int>(type: "integer", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    NextAttemptAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    DeliveredAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    LastStatusCode = table.Column<int>(type: "integer", nullable: true),
                    LastError = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_platform_webhook_deliveries", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "platform_webhook_subscriptions",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Url = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    Secret = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    EventTypes = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    Description = table.Column<string>(type: "text", nullable: true),
                    Active = table.Column<bool>(type: "boolean", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    SenderToken = table.Column<Guid>(type: "uuid", nullable: true),
                    SenderUntil = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_platform_webhook_subscriptions", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "support_agents",
                columns: table => new
                {
                    UserId = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: false),
                    Name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Queues = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    Skills = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    Capacity = table.Column<int>(type: "integer", nullable: false),
                    Presence = table.Column<int>(type: "integer", nullable: false),
                    LastSeenAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    LastAssignedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_support_agents", x => x.UserId);
                });

            migrationBuilder.CreateTable(
                name: "support_articles",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Slug = table.Column<string>(type: "character varying(120)", maxLength: 120, nullable: false),
                    Title = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Body = table.Column<string>(type: "text", nullable: false),
                    Category = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Published = table.Column<bool>(type: "boolean", nullable: false),
                    PublishedVersion = table.Column<int>(type: "integer", nullable: true),
                    LatestVersion = table.Column<int>(type: "integer", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_support_articles", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "support_business_calendar",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false),
                    TimeZone = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Hours = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    Holidays = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_support_business_calendar", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "support_chat_email_claims",
                columns: table => new
                {
                    VisitorId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Email = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: false),
                    CodeHash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Attempts = table.Column<int>(type: "integer", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    ExpiresAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_support_chat_email_claims", x => x.VisitorId);
                });

            migrationBuilder.CreateTable(
                name: "support_macros",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Body = table.Column<string>(type: "character varying(10000)", maxLength: 10000, nullable: false),
                    SetStatus = table.Column<int>(type: "integer", nullable: true),
                    AddTags = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_support_macros", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "support_outbound_messages",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    TicketMessageId = table.Column<Guid>(type: "uuid", nullable: false),
                    ProfileId = table.Column<Guid>(type: "uuid", nullable: false),
                    TicketNumber = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Channel = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    To = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Text = table.Column<string>(type: "text", nullable: false),
                    Status = table.Column<int>(type: "integer", nullable: false),
                    Attempts = table.Column<int>(type: "integer", nullable: false),
                    NextAttemptAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    ClaimToken = table.Column<Guid>(type: "uuid", nullable: true),
                    ClaimedUntil = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    LastStatusCode = table.Column<int>(type: "integer", nullable: true),
                    LastError = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    SentAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_support_outbound_messages", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "support_queues",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Key = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Strategy = table.Column<int>(type: "integer", nullable: false),
                    IsDefault = table.Column<bool>(type: "boolean", nullable: false),
                    LastAssignedUserId = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_support_queues", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "support_sla_policies",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Priority = table.Column<int>(type: "integer", nullable: true),
                    Tier = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    FirstResponseMinutes = table.Column<int>(type: "integer", nullable: false),
                    NextResponseMinutes = table.Column<int>(type: "integer", nullable: false),
                    ResolutionMinutes = table.Column<int>(type: "integer", nullable: false),
                    WarnBeforeMinutes = table.Column<int>(type: "integer", nullable: false),
                    PauseOnHold = table.Column<bool>(type: "boolean", nullable: false),
                    RaisePriorityOnBreach = table.Column<bool>(type: "boolean", nullable: false),
                    ReassignOnBreach = table.Column<bool>(type: "boolean", nullable: false),
                    SupervisorEmail = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_support_sla_policies", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "support_tickets",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Number = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    ProfileId = table.Column<Guid>(type: "uuid", nullable: false),
                    Channel = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Status = table.Column<int>(type: "integer", nullable: false),
                    Priority = table.Column<int>(type: "integer", nullable: false),
                    Type = table.Column<int>(type: "integer", nullable: false),
                    Tags = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    Subject = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    AssigneeUserId = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: true),
                    OrderNumber = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    FirstResponseAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    SolvedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    LastSequence = table.Column<long>(type: "bigint", nullable: false),
                    MergedIntoTicketId = table.Column<Guid>(type: "uuid", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_support_tickets", x => x.Id);
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

            migrationBuilder.CreateTable(
                name: "commerce_return_lines",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    ReturnRequestId = table.Column<Guid>(type: "uuid", nullable: false),
                    OrderLineId = table.Column<Guid>(type: "uuid", nullable: false),
                    Quantity = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_commerce_return_lines", x => x.Id);
                    table.ForeignKey(
                        name: "FK_commerce_return_lines_commerce_returns_ReturnRequestId",
                        column: x => x.ReturnRequestId,
                        principalTable: "commerce_returns",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "engagement_survey_invitations",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    SurveyId = table.Column<Guid>(type: "uuid", nullable: false),
                    ProfileId = table.Column<Guid>(type: "uuid", nullable: false),
                    KeyHash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    SendKey = table.Column<string>(type: "character varying(160)", maxLength: 160, nullable: false),
                    OrderNumber = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    TicketNumber = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    Product = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    Channel = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    Agent = table.Column<string>(type: "character varying(120)", maxLength: 120, nullable: true),
                    SentAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    AnsweredAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    UpdatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    Score = table.Column<int>(type: "integer", nullable: true),
                    Comment = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    AnswerInteractionId = table.Column<Guid>(type: "uuid", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_engagement_survey_invitations", x => x.Id);
                    table.ForeignKey(
                        name: "FK_engagement_survey_invitations_engagement_surveys_SurveyId",
                        column: x => x.SurveyId,
                        principalTable: "engagement_surveys",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "platform_role_claims",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    RoleId = table.Column<string>(type: "text", nullable: false),
                    ClaimType = table.Column<string>(type: "text", nullable: true),
                    ClaimValue = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_platform_role_claims", x => x.Id);
                    table.ForeignKey(
                        name: "FK_platform_role_claims_platform_roles_RoleId",
                        column: x => x.RoleId,
                        principalTable: "platform_roles",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "platform_user_claims",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    UserId = table.Column<string>(type: "text", nullable: false),
                    ClaimType = table.Column<string>(type: "text", nullable: true),
                    ClaimValue = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_platform_user_claims", x => x.Id);
                    table.ForeignKey(
                        name: "FK_platform_user_claims_platform_users_UserId",
                        column: x => x.UserId,
                        principalTable: "platform_users",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "platform_user_logins",
                columns: table => new
                {
                    LoginProvider = table.Column<string>(type: "text", nullable: false),
                    ProviderKey = table.Column<string>(type: "text", nullable: false),
                    ProviderDisplayName = table.Column<string>(type: "text", nullable: true),
                    UserId = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_platform_user_logins", x => new { x.LoginProvider, x.ProviderKey });
                    table.ForeignKey(
                        name: "FK_platform_user_logins_platform_users_UserId",
                        column: x => x.UserId,
                        principalTable: "platform_users",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "platform_user_roles",
                columns: table => new
                {
                    UserId = table.Column<string>(type: "text", nullable: false),
                    RoleId = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_platform_user_roles", x => new { x.UserId, x.RoleId });
                    table.ForeignKey(
                        name: "FK_platform_user_roles_platform_roles_RoleId",
                        column: x => x.RoleId,
                        principalTable: "platform_roles",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_platform_user_roles_platform_users_UserId",
                        column: x => x.UserId,
                        principalTable: "platform_users",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "platform_user_tokens",
                columns: table => new
                {
                    UserId = table.Column<string>(type: "text", nullable: false),
                    LoginProvider = table.Column<string>(type: "text", nullable: false),
                    Name = table.Column<string>(type: "text", nullable: false),
                    Value = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_platform_user_tokens", x => new { x.UserId, x.LoginProvider, x.Name });
                    table.ForeignKey(
                        name: "FK_platform_user_tokens_platform_users_UserId",
                        column: x => x.UserId,
                        principalTable: "platform_users",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "support_article_feedback",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    ArticleId = table.Column<Guid>(type: "uuid", nullable: false),
                    VisitorId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Helpful = table.Column<bool>(type: "boolean", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_support_article_feedback", x => x.Id);
                    table.ForeignKey(
                        name: "FK_support_article_feedback_support_articles_ArticleId",
                        column: x => x.ArticleId,
                        principalTable: "support_articles",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "support_article_slug_redirects",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Slug = table.Column<string>(type: "character varying(120)", maxLength: 120, nullable: false),
                    ArticleId = table.Column<Guid>(type: "uuid", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_support_article_slug_redirects", x => x.Id);
                    table.ForeignKey(
                        name: "FK_support_article_slug_redirects_support_articles_ArticleId",
                        column: x => x.ArticleId,
                        principalTable: "support_articles",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "support_article_versions",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    ArticleId = table.Column<Guid>(type: "uuid", nullable: false),
                    Number = table.Column<int>(type: "integer", nullable: false),
                    Title = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Body = table.Column<string>(type: "text", nullable: false),
                    Category = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    SavedBy = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    PublishedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_support_article_versions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_support_article_versions_support_articles_ArticleId",
                        column: x => x.ArticleId,
                        principalTable: "support_articles",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "support_routing_rules",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Position = table.Column<int>(type: "integer", nullable: false),
                    Name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Enabled = table.Column<bool>(type: "boolean", nullable: false),
                    Channel = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    Language = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: true),
                    Keywords = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    Tier = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    MinLifetimeSpendMinor = table.Column<long>(type: "bigint", nullable: true),
                    QueueId = table.Column<Guid>(type: "uuid", nullable: false),
                    Skill = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_support_routing_rules", x => x.Id);
                    table.ForeignKey(
                        name: "FK_support_routing_rules_support_queues_QueueId",
                        column: x => x.QueueId,
                        principalTable: "support_queues",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "support_chat_attachments",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    TicketId = table.Column<Guid>(type: "uuid", nullable: false),
                    ProfileId = table.Column<Guid>(type: "uuid", nullable: false),
                    MessageId = table.Column<Guid>(type: "uuid", nullable: false),
                    FileName = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    ContentType = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Size = table.Column<long>(type: "bigint", nullable: false),
                    Content = table.Column<byte[]>(type: "bytea", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_support_chat_attachments", x => x.Id);
                    table.ForeignKey(
                        name: "FK_support_chat_attachments_support_tickets_TicketId",
                        column: x => x.TicketId,
                        principalTable: "support_tickets",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "support_chat_conversations",
                columns: table => new
                {
                    TicketId = table.Column<Guid>(type: "uuid", nullable: false),
                    ProfileId = table.Column<Guid>(type: "uuid", nullable: false),
                    VisitorId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    CustomerReadSequence = table.Column<long>(type: "bigint", nullable: false),
                    AgentReadSequence = table.Column<long>(type: "bigint", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_support_chat_conversations", x => x.TicketId);
                    table.ForeignKey(
                        name: "FK_support_chat_conversations_support_tickets_TicketId",
                        column: x => x.TicketId,
                        principalTable: "support_tickets",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "support_csat_surveys",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    TicketId = table.Column<Guid>(type: "uuid", nullable: false),
                    ProfileId = table.Column<Guid>(type: "uuid", nullable: false),
                    TicketNumber = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    AccessKey = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    SentAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Rating = table.Column<int>(type: "integer", nullable: true),
                    Comment = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    AnsweredAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_support_csat_surveys", x => x.Id);
                    table.ForeignKey(
                        name: "FK_support_csat_surveys_support_tickets_TicketId",
                        column: x => x.TicketId,
                        principalTable: "support_tickets",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "support_ticket_messages",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    TicketId = table.Column<Guid>(type: "uuid", nullable: false),
                    ProfileId = table.Column<Guid>(type: "uuid", nullable: false),
                    Direction = table.Column<int>(type: "integer", nullable: false),
                    Channel = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    AuthorUserId = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: true),
                    AuthorName = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    BodyText = table.Column<string>(type: "text", nullable: false),
                    BodyHtml = table.Column<string>(type: "text", nullable: true),
                    ExternalMessageId = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    Attachments = table.Column<string>(type: "text", nullable: true),
                    CallSeconds = table.Column<int>(type: "integer", nullable: true),
                    CallOutcome = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    CallRecordingUrl = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    Kind = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: true),
                    Sequence = table.Column<long>(type: "bigint", nullable: false),
                    ClientMessageId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_support_ticket_messages", x => x.Id);
                    table.ForeignKey(
                        name: "FK_support_ticket_messages_support_tickets_TicketId",
                        column: x => x.TicketId,
                        principalTable: "support_tickets",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "support_ticket_work",
                columns: table => new
                {
                    TicketId = table.Column<Guid>(type: "uuid", nullable: false),
                    ProfileId = table.Column<Guid>(type: "uuid", nullable: false),
                    QueueId = table.Column<Guid>(type: "uuid", nullable: true),
                    Skill = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    Tier = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    RuleName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    PolicyId = table.Column<Guid>(type: "uuid", nullable: true),
                    FirstResponseDueAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    NextResponseDueAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    ResolutionDueAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    PausedSince = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    Warned = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Breached = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    TargetsMet = table.Column<int>(type: "integer", nullable: false),
                    TargetsMissed = table.Column<int>(type: "integer", nullable: false),
                    NextCheckAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    ClaimToken = table.Column<Guid>(type: "uuid", nullable: true),
                    ClaimedUntil = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    AssistantAnswered = table.Column<bool>(type: "boolean", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_support_ticket_work", x => x.TicketId);
                    table.ForeignKey(
                        name: "FK_support_ticket_work_support_tickets_TicketId",
                        column: x => x.TicketId,
                        principalTable: "support_tickets",
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
                name: "IX_commerce_loyalty_accounts_ProfileId",
                table: "commerce_loyalty_accounts",
                column: "ProfileId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_commerce_loyalty_accounts_ReferralCode",
                table: "commerce_loyalty_accounts",
                column: "ReferralCode",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_commerce_loyalty_entries_ExpiresAt",
                table: "commerce_loyalty_entries",
                column: "ExpiresAt");

            migrationBuilder.CreateIndex(
                name: "IX_commerce_loyalty_entries_LotId",
                table: "commerce_loyalty_entries",
                column: "LotId");

            migrationBuilder.CreateIndex(
                name: "IX_commerce_loyalty_entries_OrderId",
                table: "commerce_loyalty_entries",
                column: "OrderId");

            migrationBuilder.CreateIndex(
                name: "IX_commerce_loyalty_entries_ProfileId_CreatedAt",
                table: "commerce_loyalty_entries",
                columns: new[] { "ProfileId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_commerce_loyalty_entries_SourceKey",
                table: "commerce_loyalty_entries",
                column: "SourceKey",
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
                name: "IX_commerce_payments_CardFingerprint",
                table: "commerce_payments",
                column: "CardFingerprint");

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
                name: "IX_commerce_product_images_ProductId_CreatedAt",
                table: "commerce_product_images",
                columns: new[] { "ProductId", "CreatedAt" });

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
                name: "IX_commerce_products_CategoryId",
                table: "commerce_products",
                column: "CategoryId");

            migrationBuilder.CreateIndex(
                name: "IX_commerce_products_Slug",
                table: "commerce_products",
                column: "Slug",
                unique: true);

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

            migrationBuilder.CreateIndex(
                name: "IX_commerce_referrals_ProfileId",
                table: "commerce_referrals",
                column: "ProfileId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_commerce_referrals_ReferrerProfileId_Status",
                table: "commerce_referrals",
                columns: new[] { "ReferrerProfileId", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_commerce_referrals_Status_CreatedAt",
                table: "commerce_referrals",
                columns: new[] { "Status", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_commerce_return_lines_ReturnRequestId",
                table: "commerce_return_lines",
                column: "ReturnRequestId");

            migrationBuilder.CreateIndex(
                name: "IX_commerce_returns_Number",
                table: "commerce_returns",
                column: "Number",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_commerce_returns_OrderId",
                table: "commerce_returns",
                column: "OrderId");

            migrationBuilder.CreateIndex(
                name: "IX_commerce_returns_Status_CreatedAt",
                table: "commerce_returns",
                columns: new[] { "Status", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_commerce_reviews_ProductId_CreatedAt",
                table: "commerce_reviews",
                columns: new[] { "ProductId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_commerce_reviews_ProductId_ProfileId",
                table: "commerce_reviews",
                columns: new[] { "ProductId", "ProfileId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_commerce_saved_addresses_ProfileId",
                table: "commerce_saved_addresses",
                column: "ProfileId");

            migrationBuilder.CreateIndex(
                name: "IX_commerce_saved_cards_ProfileId",
                table: "commerce_saved_cards",
                column: "ProfileId");

            migrationBuilder.CreateIndex(
                name: "IX_commerce_shipment_events_ExternalId",
                table: "commerce_shipment_events",
                column: "ExternalId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_commerce_shipment_events_ShipmentId",
                table: "commerce_shipment_events",
                column: "ShipmentId");

            migrationBuilder.CreateIndex(
                name: "IX_commerce_shipments_Carrier_TrackingNumber",
                table: "commerce_shipments",
                columns: new[] { "Carrier", "TrackingNumber" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_commerce_shipments_OrderId",
                table: "commerce_shipments",
                column: "OrderId");

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
                name: "IX_commerce_subscriptions_ProfileId",
                table: "commerce_subscriptions",
                column: "ProfileId");

            migrationBuilder.CreateIndex(
                name: "IX_commerce_subscriptions_Status_NextRenewalAt",
                table: "commerce_subscriptions",
                columns: new[] { "Status", "NextRenewalAt" });

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

            migrationBuilder.CreateIndex(
                name: "IX_customers_consent_changes_ProfileId_At",
                table: "customers_consent_changes",
                columns: new[] { "ProfileId", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_customers_identities_Key",
                table: "customers_identities",
                column: "Key",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_customers_identities_ProfileId",
                table: "customers_identities",
                column: "ProfileId");

            migrationBuilder.CreateIndex(
                name: "IX_customers_interactions_EventId",
                table: "customers_interactions",
                column: "EventId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_customers_interactions_ProfileId_OccurredAt_Id",
                table: "customers_interactions",
                columns: new[] { "ProfileId", "OccurredAt", "Id" },
                descending: new[] { false, true, true });

            migrationBuilder.CreateIndex(
                name: "IX_customers_interactions_Type_OccurredAt",
                table: "customers_interactions",
                columns: new[] { "Type", "OccurredAt" });

            migrationBuilder.CreateIndex(
                name: "IX_customers_notifications_ProfileId_CreatedAt",
                table: "customers_notifications",
                columns: new[] { "ProfileId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_customers_notifications_ProfileId_ReadAt",
                table: "customers_notifications",
                columns: new[] { "ProfileId", "ReadAt" });

            migrationBuilder.CreateIndex(
                name: "IX_customers_profiles_Email",
                table: "customers_profiles",
                column: "Email");

            migrationBuilder.CreateIndex(
                name: "IX_customers_profiles_LastSeenAt",
                table: "customers_profiles",
                column: "LastSeenAt");

            migrationBuilder.CreateIndex(
                name: "IX_customers_profiles_Phone",
                table: "customers_profiles",
                column: "Phone");

            migrationBuilder.CreateIndex(
                name: "IX_engagement_campaign_recipients_CampaignId_Status",
                table: "engagement_campaign_recipients",
                columns: new[] { "CampaignId", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_engagement_campaign_recipients_ProfileId",
                table: "engagement_campaign_recipients",
                column: "ProfileId");

            migrationBuilder.CreateIndex(
                name: "IX_engagement_campaigns_Status_ScheduledAt",
                table: "engagement_campaigns",
                columns: new[] { "Status", "ScheduledAt" });

            migrationBuilder.CreateIndex(
                name: "IX_engagement_journey_runs_JourneyId_EntryKey",
                table: "engagement_journey_runs",
                columns: new[] { "JourneyId", "EntryKey" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_engagement_journey_runs_ProfileId_JourneyId",
                table: "engagement_journey_runs",
                columns: new[] { "ProfileId", "JourneyId" });

            migrationBuilder.CreateIndex(
                name: "IX_engagement_journey_runs_Status_DueAt",
                table: "engagement_journey_runs",
                columns: new[] { "Status", "DueAt" });

            migrationBuilder.CreateIndex(
                name: "IX_engagement_journey_step_log_JourneyId_StepId",
                table: "engagement_journey_step_log",
                columns: new[] { "JourneyId", "StepId" });

            migrationBuilder.CreateIndex(
                name: "IX_engagement_journey_step_log_RunId",
                table: "engagement_journey_step_log",
                column: "RunId");

            migrationBuilder.CreateIndex(
                name: "IX_engagement_journeys_NameKey",
                table: "engagement_journeys",
                column: "NameKey",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_engagement_journeys_ShippedKey",
                table: "engagement_journeys",
                column: "ShippedKey",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_engagement_message_templates_NameKey",
                table: "engagement_message_templates",
                column: "NameKey",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_engagement_messages_ProfileId_CreatedAt",
                table: "engagement_messages",
                columns: new[] { "ProfileId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_engagement_messages_ProviderMessageId",
                table: "engagement_messages",
                column: "ProviderMessageId");

            migrationBuilder.CreateIndex(
                name: "IX_engagement_messages_SendKey",
                table: "engagement_messages",
                column: "SendKey",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_engagement_messages_Status_NextAttemptAt",
                table: "engagement_messages",
                columns: new[] { "Status", "NextAttemptAt" });

            migrationBuilder.CreateIndex(
                name: "IX_engagement_push_deliveries_ClaimToken",
                table: "engagement_push_deliveries",
                column: "ClaimToken");

            migrationBuilder.CreateIndex(
                name: "IX_engagement_push_deliveries_MessageId",
                table: "engagement_push_deliveries",
                column: "MessageId");

            migrationBuilder.CreateIndex(
                name: "IX_engagement_push_deliveries_Status_NextAttemptAt",
                table: "engagement_push_deliveries",
                columns: new[] { "Status", "NextAttemptAt" });

            migrationBuilder.CreateIndex(
                name: "IX_engagement_push_deliveries_SubscriptionId",
                table: "engagement_push_deliveries",
                column: "SubscriptionId");

            migrationBuilder.CreateIndex(
                name: "IX_engagement_push_subscriptions_Endpoint",
                table: "engagement_push_subscriptions",
                column: "Endpoint",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_engagement_push_subscriptions_ProfileId",
                table: "engagement_push_subscriptions",
                column: "ProfileId");

            migrationBuilder.CreateIndex(
                name: "IX_engagement_sandbox_sms_SentAt",
                table: "engagement_sandbox_sms",
                column: "SentAt");

            migrationBuilder.CreateIndex(
                name: "IX_engagement_segment_members_ProfileId",
                table: "engagement_segment_members",
                column: "ProfileId");

            migrationBuilder.CreateIndex(
                name: "IX_engagement_segments_NameKey",
                table: "engagement_segments",
                column: "NameKey",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_engagement_survey_invitations_AnswerInteractionId",
                table: "engagement_survey_invitations",
                column: "AnswerInteractionId");

            migrationBuilder.CreateIndex(
                name: "IX_engagement_survey_invitations_KeyHash",
                table: "engagement_survey_invitations",
                column: "KeyHash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_engagement_survey_invitations_ProfileId",
                table: "engagement_survey_invitations",
                column: "ProfileId");

            migrationBuilder.CreateIndex(
                name: "IX_engagement_survey_invitations_SendKey",
                table: "engagement_survey_invitations",
                column: "SendKey",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_engagement_survey_invitations_SurveyId_AnsweredAt",
                table: "engagement_survey_invitations",
                columns: new[] { "SurveyId", "AnsweredAt" });

            migrationBuilder.CreateIndex(
                name: "IX_engagement_survey_invitations_SurveyId_SentAt",
                table: "engagement_survey_invitations",
                columns: new[] { "SurveyId", "SentAt" });

            migrationBuilder.CreateIndex(
                name: "IX_engagement_tasks_Role_DoneAt",
                table: "engagement_tasks",
                columns: new[] { "Role", "DoneAt" });

            migrationBuilder.CreateIndex(
                name: "IX_insights_cost_drivers_At",
                table: "insights_cost_drivers",
                column: "At");

            migrationBuilder.CreateIndex(
                name: "IX_insights_cost_drivers_ProfileId_At",
                table: "insights_cost_drivers",
                columns: new[] { "ProfileId", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_insights_first_orders_PlacedAt",
                table: "insights_first_orders",
                column: "PlacedAt");

            migrationBuilder.CreateIndex(
                name: "IX_insights_model_versions_Kind_Version",
                table: "insights_model_versions",
                columns: new[] { "Kind", "Version" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_insights_model_versions_Kind_active",
                table: "insights_model_versions",
                column: "Kind",
                unique: true,
                filter: "\"IsActive\"");

            migrationBuilder.CreateIndex(
                name: "IX_insights_order_facts_DeliveredAt",
                table: "insights_order_facts",
                column: "DeliveredAt");

            migrationBuilder.CreateIndex(
                name: "IX_insights_order_facts_PlacedAt",
                table: "insights_order_facts",
                column: "PlacedAt");

            migrationBuilder.CreateIndex(
                name: "IX_insights_order_facts_ProfileId_PlacedAt",
                table: "insights_order_facts",
                columns: new[] { "ProfileId", "PlacedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_insights_order_lines_PlacedAt",
                table: "insights_order_lines",
                column: "PlacedAt");

            migrationBuilder.CreateIndex(
                name: "IX_insights_order_lines_ProfileId_PlacedAt",
                table: "insights_order_lines",
                columns: new[] { "ProfileId", "PlacedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_insights_product_visits_ProfileId",
                table: "insights_product_visits",
                column: "ProfileId");

            migrationBuilder.CreateIndex(
                name: "IX_insights_profile_scores_ChurnRisk",
                table: "insights_profile_scores",
                column: "ChurnRisk");

            migrationBuilder.CreateIndex(
                name: "IX_insights_profile_scores_Decile",
                table: "insights_profile_scores",
                column: "Decile");

            migrationBuilder.CreateIndex(
                name: "IX_insights_profile_scores_ProfileId",
                table: "insights_profile_scores",
                column: "ProfileId");

            migrationBuilder.CreateIndex(
                name: "IX_insights_revenue_adjustments_At",
                table: "insights_revenue_adjustments",
                column: "At");

            migrationBuilder.CreateIndex(
                name: "IX_insights_revenue_adjustments_OrderId",
                table: "insights_revenue_adjustments",
                column: "OrderId");

            migrationBuilder.CreateIndex(
                name: "IX_insights_revenue_adjustments_ProfileId",
                table: "insights_revenue_adjustments",
                column: "ProfileId");

            migrationBuilder.CreateIndex(
                name: "IX_insights_text_sentiments_ProfileId_OccurredAt",
                table: "insights_text_sentiments",
                columns: new[] { "ProfileId", "OccurredAt" });

            migrationBuilder.CreateIndex(
                name: "IX_insights_training_runs_SlotKey",
                table: "insights_training_runs",
                column: "SlotKey",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_insights_training_runs_Status_RequestedAt",
                table: "insights_training_runs",
                columns: new[] { "Status", "RequestedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_personalisation_alerts_ProductId_Kind_Status",
                table: "personalisation_alerts",
                columns: new[] { "ProductId", "Kind", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_personalisation_alerts_ProfileId_ProductId_Kind",
                table: "personalisation_alerts",
                columns: new[] { "ProfileId", "ProductId", "Kind" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_personalisation_wish_list_items_ProfileId_ProductId",
                table: "personalisation_wish_list_items",
                columns: new[] { "ProfileId", "ProductId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_platform_api_keys_SecretHash",
                table: "platform_api_keys",
                column: "SecretHash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_platform_audit_log_At",
                table: "platform_audit_log",
                column: "At");

            migrationBuilder.CreateIndex(
                name: "IX_platform_audit_log_ProfileId_At",
                table: "platform_audit_log",
                columns: new[] { "ProfileId", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_platform_dead_letters_LastFailedAt",
                table: "platform_dead_letters",
                column: "LastFailedAt");

            migrationBuilder.CreateIndex(
                name: "IX_platform_dead_letters_Subscriber_InteractionId",
                table: "platform_dead_letters",
                columns: new[] { "Subscriber", "InteractionId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_platform_idempotency_keys_CreatedAt",
                table: "platform_idempotency_keys",
                column: "CreatedAt");

            migrationBuilder.CreateIndex(
                name: "IX_platform_idempotency_keys_KeyHash",
                table: "platform_idempotency_keys",
                column: "KeyHash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_platform_mail_outbox_CreatedAt",
                table: "platform_mail_outbox",
                column: "CreatedAt");

            migrationBuilder.CreateIndex(
                name: "IX_platform_mail_outbox_Delivery_NextAttemptAt",
                table: "platform_mail_outbox",
                columns: new[] { "Delivery", "NextAttemptAt" });

            migrationBuilder.CreateIndex(
                name: "IX_platform_outbox_ProfileId",
                table: "platform_outbox",
                column: "ProfileId");

            migrationBuilder.CreateIndex(
                name: "IX_platform_outbox_TransactionId_Position",
                table: "platform_outbox",
                columns: new[] { "TransactionId", "Position" });

            migrationBuilder.CreateIndex(
                name: "IX_platform_role_claims_RoleId",
                table: "platform_role_claims",
                column: "RoleId");

            migrationBuilder.CreateIndex(
                name: "RoleNameIndex",
                table: "platform_roles",
                column: "NormalizedName",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_platform_user_claims_UserId",
                table: "platform_user_claims",
                column: "UserId");

            migrationBuilder.CreateIndex(
                name: "IX_platform_user_logins_UserId",
                table: "platform_user_logins",
                column: "UserId");

            migrationBuilder.CreateIndex(
                name: "IX_platform_user_roles_RoleId",
                table: "platform_user_roles",
                column: "RoleId");

            migrationBuilder.CreateIndex(
                name: "EmailIndex",
                table: "platform_users",
                column: "NormalizedEmail");

            migrationBuilder.CreateIndex(
                name: "UserNameIndex",
                table: "platform_users",
                column: "NormalizedUserName",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_platform_webhook_attempts_DeliveryId",
                table: "platform_webhook_attempts",
                column: "DeliveryId");

            migrationBuilder.CreateIndex(
                name: "IX_platform_webhook_deliveries_InteractionId_SubscriptionId",
                table: "platform_webhook_deliveries",
                columns: new[] { "InteractionId", "SubscriptionId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_platform_webhook_deliveries_ProfileId",
                table: "platform_webhook_deliveries",
                column: "ProfileId");

            migrationBuilder.CreateIndex(
                name: "IX_platform_webhook_deliveries_SubscriptionId_Sequence",
                table: "platform_webhook_deliveries",
                columns: new[] { "SubscriptionId", "Sequence" });

            migrationBuilder.CreateIndex(
                name: "IX_platform_webhook_deliveries_pending",
                table: "platform_webhook_deliveries",
                columns: new[] { "SubscriptionId", "NextAttemptAt", "Sequence" },
                filter: "\"Status\" = 0");

            migrationBuilder.CreateIndex(
                name: "IX_support_article_feedback_ArticleId_VisitorId",
                table: "support_article_feedback",
                columns: new[] { "ArticleId", "VisitorId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_support_article_slug_redirects_ArticleId",
                table: "support_article_slug_redirects",
                column: "ArticleId");

            migrationBuilder.CreateIndex(
                name: "IX_support_article_slug_redirects_Slug",
                table: "support_article_slug_redirects",
                column: "Slug",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_support_article_versions_ArticleId_Number",
                table: "support_article_versions",
                columns: new[] { "ArticleId", "Number" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_support_articles_Published_Category",
                table: "support_articles",
                columns: new[] { "Published", "Category" });

            migrationBuilder.CreateIndex(
                name: "IX_support_articles_Slug",
                table: "support_articles",
                column: "Slug",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_support_chat_attachments_MessageId",
                table: "support_chat_attachments",
                column: "MessageId");

            migrationBuilder.CreateIndex(
                name: "IX_support_chat_attachments_ProfileId",
                table: "support_chat_attachments",
                column: "ProfileId");

            migrationBuilder.CreateIndex(
                name: "IX_support_chat_attachments_TicketId",
                table: "support_chat_attachments",
                column: "TicketId");

            migrationBuilder.CreateIndex(
                name: "IX_support_chat_conversations_ProfileId_UpdatedAt",
                table: "support_chat_conversations",
                columns: new[] { "ProfileId", "UpdatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_support_chat_conversations_VisitorId_UpdatedAt",
                table: "support_chat_conversations",
                columns: new[] { "VisitorId", "UpdatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_support_csat_surveys_AnsweredAt",
                table: "support_csat_surveys",
                column: "AnsweredAt");

            migrationBuilder.CreateIndex(
                name: "IX_support_csat_surveys_ProfileId",
                table: "support_csat_surveys",
                column: "ProfileId");

            migrationBuilder.CreateIndex(
                name: "IX_support_csat_surveys_TicketId",
                table: "support_csat_surveys",
                column: "TicketId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_support_macros_Name",
                table: "support_macros",
                column: "Name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_support_outbound_messages_ClaimToken",
                table: "support_outbound_messages",
                column: "ClaimToken");

            migrationBuilder.CreateIndex(
                name: "IX_support_outbound_messages_ProfileId",
                table: "support_outbound_messages",
                column: "ProfileId");

            migrationBuilder.CreateIndex(
                name: "IX_support_outbound_messages_Status_NextAttemptAt",
                table: "support_outbound_messages",
                columns: new[] { "Status", "NextAttemptAt" });

            migrationBuilder.CreateIndex(
                name: "IX_support_outbound_messages_TicketMessageId",
                table: "support_outbound_messages",
                column: "TicketMessageId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_support_queues_Key",
                table: "support_queues",
                column: "Key",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_support_routing_rules_QueueId",
                table: "support_routing_rules",
                column: "QueueId");

            migrationBuilder.CreateIndex(
                name: "IX_support_ticket_messages_ExternalMessageId",
                table: "support_ticket_messages",
                column: "ExternalMessageId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_support_ticket_messages_ProfileId",
                table: "support_ticket_messages",
                column: "ProfileId");

            migrationBuilder.CreateIndex(
                name: "IX_support_ticket_messages_TicketId_ClientMessageId",
                table: "support_ticket_messages",
                columns: new[] { "TicketId", "ClientMessageId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_support_ticket_messages_TicketId_CreatedAt",
                table: "support_ticket_messages",
                columns: new[] { "TicketId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_support_ticket_messages_TicketId_Sequence",
                table: "support_ticket_messages",
                columns: new[] { "TicketId", "Sequence" },
                unique: true,
                filter: "\"Sequence\" > 0");

            migrationBuilder.CreateIndex(
                name: "IX_support_ticket_work_NextCheckAt",
                table: "support_ticket_work",
                column: "NextCheckAt");

            migrationBuilder.CreateIndex(
                name: "IX_support_ticket_work_ProfileId",
                table: "support_ticket_work",
                column: "ProfileId");

            migrationBuilder.CreateIndex(
                name: "IX_support_tickets_Number",
                table: "support_tickets",
                column: "Number",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_support_tickets_ProfileId_UpdatedAt",
                table: "support_tickets",
                columns: new[] { "ProfileId", "UpdatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_support_tickets_Status_AssigneeUserId_UpdatedAt",
                table: "support_tickets",
                columns: new[] { "Status", "AssigneeUserId", "UpdatedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "commerce_cart_lines");

            migrationBuilder.DropTable(
                name: "commerce_categories");

            migrationBuilder.DropTable(
                name: "commerce_loyalty_accounts");

            migrationBuilder.DropTable(
                name: "commerce_loyalty_daily_runs");

            migrationBuilder.DropTable(
                name: "commerce_loyalty_entries");

            migrationBuilder.DropTable(
                name: "commerce_loyalty_programs");

            migrationBuilder.DropTable(
                name: "commerce_order_lines");

            migrationBuilder.DropTable(
                name: "commerce_payments");

            migrationBuilder.DropTable(
                name: "commerce_product_image_renditions");

            migrationBuilder.DropTable(
                name: "commerce_product_images");

            migrationBuilder.DropTable(
                name: "commerce_product_slug_redirects");

            migrationBuilder.DropTable(
                name: "commerce_products");

            migrationBuilder.DropTable(
                name: "commerce_promotion_redemptions");

            migrationBuilder.DropTable(
                name: "commerce_referrals");

            migrationBuilder.DropTable(
                name: "commerce_return_lines");

            migrationBuilder.DropTable(
                name: "commerce_reviews");

            migrationBuilder.DropTable(
                name: "commerce_saved_addresses");

            migrationBuilder.DropTable(
                name: "commerce_saved_cards");

            migrationBuilder.DropTable(
                name: "commerce_shipment_events");

            migrationBuilder.DropTable(
                name: "commerce_shipments");

            migrationBuilder.DropTable(
                name: "commerce_stock_levels");

            migrationBuilder.DropTable(
                name: "commerce_stock_locations");

            migrationBuilder.DropTable(
                name: "commerce_stock_reservations");

            migrationBuilder.DropTable(
                name: "commerce_subscriptions");

            migrationBuilder.DropTable(
                name: "commerce_variants");

            migrationBuilder.DropTable(
                name: "customers_consent_changes");

            migrationBuilder.DropTable(
                name: "customers_consents");

            migrationBuilder.DropTable(
                name: "customers_identities");

            migrationBuilder.DropTable(
                name: "customers_interactions");

            migrationBuilder.DropTable(
                name: "customers_notifications");

            migrationBuilder.DropTable(
                name: "customers_profiles");

            migrationBuilder.DropTable(
                name: "engagement_campaign_recipients");

            migrationBuilder.DropTable(
                name: "engagement_campaigns");

            migrationBuilder.DropTable(
                name: "engagement_journey_runs");

            migrationBuilder.DropTable(
                name: "engagement_journey_step_log");

            migrationBuilder.DropTable(
                name: "engagement_journey_versions");

            migrationBuilder.DropTable(
                name: "engagement_journeys");

            migrationBuilder.DropTable(
                name: "engagement_message_templates");

            migrationBuilder.DropTable(
                name: "engagement_messages");

            migrationBuilder.DropTable(
                name: "engagement_push_deliveries");

            migrationBuilder.DropTable(
                name: "engagement_push_keys");

            migrationBuilder.DropTable(
                name: "engagement_push_subscriptions");

            migrationBuilder.DropTable(
                name: "engagement_sandbox_sms");

            migrationBuilder.DropTable(
                name: "engagement_segment_members");

            migrationBuilder.DropTable(
                name: "engagement_segments");

            migrationBuilder.DropTable(
                name: "engagement_survey_invitations");

            migrationBuilder.DropTable(
                name: "engagement_tasks");

            migrationBuilder.DropTable(
                name: "insights_churn_definition");

            migrationBuilder.DropTable(
                name: "insights_cost_drivers");

            migrationBuilder.DropTable(
                name: "insights_cost_rates");

            migrationBuilder.DropTable(
                name: "insights_croi_weights");

            migrationBuilder.DropTable(
                name: "insights_first_orders");

            migrationBuilder.DropTable(
                name: "insights_model_versions");

            migrationBuilder.DropTable(
                name: "insights_order_facts");

            migrationBuilder.DropTable(
                name: "insights_order_lines");

            migrationBuilder.DropTable(
                name: "insights_product_visits");

            migrationBuilder.DropTable(
                name: "insights_profile_scores");

            migrationBuilder.DropTable(
                name: "insights_report_recipients");

            migrationBuilder.DropTable(
                name: "insights_report_sends");

            migrationBuilder.DropTable(
                name: "insights_revenue_adjustments");

            migrationBuilder.DropTable(
                name: "insights_text_sentiments");

            migrationBuilder.DropTable(
                name: "insights_training_runs");

            migrationBuilder.DropTable(
                name: "personalisation_alerts");

            migrationBuilder.DropTable(
                name: "personalisation_placements");

            migrationBuilder.DropTable(
                name: "personalisation_rules");

            migrationBuilder.DropTable(
                name: "personalisation_wish_list_items");

            migrationBuilder.DropTable(
                name: "platform_api_keys");

            migrationBuilder.DropTable(
                name: "platform_audit_log");

            migrationBuilder.DropTable(
                name: "platform_data_protection_keys");

            migrationBuilder.DropTable(
                name: "platform_dead_letters");

            migrationBuilder.DropTable(
                name: "platform_idempotency_keys");

            migrationBuilder.DropTable(
                name: "platform_mail_outbox");

            migrationBuilder.DropTable(
                name: "platform_outbox");

            migrationBuilder.DropTable(
                name: "platform_role_claims");

            migrationBuilder.DropTable(
                name: "platform_subscriber_checkpoints");

            migrationBuilder.DropTable(
                name: "platform_user_claims");

            migrationBuilder.DropTable(
                name: "platform_user_logins");

            migrationBuilder.DropTable(
                name: "platform_user_roles");

            migrationBuilder.DropTable(
                name: "platform_user_tokens");

            migrationBuilder.DropTable(
                name: "platform_webhook_attempts");

            migrationBuilder.DropTable(
                name: "platform_webhook_deliveries");

            migrationBuilder.DropTable(
                name: "platform_webhook_subscriptions");

            migrationBuilder.DropTable(
                name: "support_agents");

            migrationBuilder.DropTable(
                name: "support_article_feedback");

            migrationBuilder.DropTable(
                name: "support_article_slug_redirects");

            migrationBuilder.DropTable(
                name: "support_article_versions");

            migrationBuilder.DropTable(
                name: "support_business_calendar");

            migrationBuilder.DropTable(
                name: "support_chat_attachments");

            migrationBuilder.DropTable(
                name: "support_chat_conversations");

            migrationBuilder.DropTable(
                name: "support_chat_email_claims");

            migrationBuilder.DropTable(
                name: "support_csat_surveys");

            migrationBuilder.DropTable(
                name: "support_macros");

            migrationBuilder.DropTable(
                name: "support_outbound_messages");

            migrationBuilder.DropTable(
                name: "support_routing_rules");

            migrationBuilder.DropTable(
                name: "support_sla_policies");

            migrationBuilder.DropTable(
                name: "support_ticket_messages");

            migrationBuilder.DropTable(
                name: "support_ticket_work");

            migrationBuilder.DropTable(
                name: "commerce_carts");

            migrationBuilder.DropTable(
                name: "commerce_orders");

            migrationBuilder.DropTable(
                name: "commerce_promotions");

            migrationBuilder.DropTable(
                name: "commerce_returns");

            migrationBuilder.DropTable(
                name: "engagement_surveys");

            migrationBuilder.DropTable(
                name: "platform_roles");

            migrationBuilder.DropTable(
                name: "platform_users");

            migrationBuilder.DropTable(
                name: "support_articles");

            migrationBuilder.DropTable(
                name: "support_queues");

            migrationBuilder.DropTable(
                name: "support_tickets");
        }
    }
}
