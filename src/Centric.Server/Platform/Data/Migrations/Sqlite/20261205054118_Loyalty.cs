using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Centric.Server.Platform.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Loyalty : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "LoyaltyTier",
                table: "commerce_promotions",
                type: "TEXT",
                maxLength: 40,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "CardFingerprint",
                table: "commerce_payments",
                type: "TEXT",
                maxLength: 40,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "commerce_loyalty_accounts",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    ProfileId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ReferralCode = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Tier = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    TierChangedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_commerce_loyalty_accounts", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "commerce_loyalty_daily_runs",
                columns: table => new
                {
                    Job = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Day = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    RanAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_commerce_loyalty_daily_runs", x => new { x.Job, x.Day });
                });

            migrationBuilder.CreateTable(
                name: "commerce_loyalty_entries",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    ProfileId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Points = table.Column<int>(type: "INTEGER", nullable: false),
                    Kind = table.Column<int>(type: "INTEGER", nullable: false),
                    SourceKey = table.Column<string>(type: "TEXT", maxLength: 120, nullable: false),
                    OrderId = table.Column<Guid>(type: "TEXT", nullable: true),
                    OrderNumber = table.Column<string>(type: "TEXT", maxLength: 20, nullable: true),
                    LotId = table.Column<Guid>(type: "TEXT", nullable: true),
                    ExpiresAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Note = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_commerce_loyalty_entries", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "commerce_loyalty_programs",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false),
                    Enabled = table.Column<bool>(type: "INTEGER", nullable: false),
                    Currency = table.Column<string>(type: "TEXT", maxLength: 3, nullable: false),
                    PointsPerCurrencyUnit = table.Column<int>(type: "INTEGER", nullable: false),
                    ReviewPoints = table.Column<int>(type: "INTEGER", nullable: false),
                    ReferralPoints = table.Column<int>(type: "INTEGER", nullable: false),
                    BirthdayPoints = table.Column<int>(type: "INTEGER", nullable: false),
                    PointsPerCurrencyUnitRedeemed = table.Column<int>(type: "INTEGER", nullable: false),
                    MinimumRedeem = table.Column<int>(type: "INTEGER", nullable: false),
                    ExpiryMonths = table.Column<int>(type: "INTEGER", nullable: false),
                    ReferralMonthlyLimit = table.Column<int>(type: "INTEGER", nullable: false),
                    Tiers = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_commerce_loyalty_programs", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "commerce_referrals",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    ProfileId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ReferrerProfileId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Code = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    OrderId = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrderNumber = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Status = table.Column<int>(type: "INTEGER", nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    SettledAt = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_commerce_referrals", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_commerce_payments_CardFingerprint",
                table: "commerce_payments",
                column: "CardFingerprint");

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
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "commerce_loyalty_accounts");

            migrationBuilder.DropTable(
                name: "commerce_loyalty_daily_runs");

            migrationBuilder.DropTable(
                name: "commerce_loyalty_entries");

            migrationBuilder.DropTable(
                name: "commerce_loyalty_programs");

            migrationBuilder.DropTable(
                name: "commerce_referrals");

            migrationBuilder.DropIndex(
                name: "IX_commerce_payments_CardFingerprint",
                table: "commerce_payments");

            migrationBuilder.DropColumn(
                name: "LoyaltyTier",
                table: "commerce_promotions");

            migrationBuilder.DropColumn(
                name: "CardFingerprint",
                table: "commerce_payments");
        }
    }
}
