using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Centric.Server.Platform.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Returns : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "DeliveredAt",
                table: "commerce_orders",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "RefundedMinor",
                table: "commerce_orders",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

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
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "commerce_return_lines");

            migrationBuilder.DropTable(
                name: "commerce_returns");

            migrationBuilder.DropColumn(
                name: "DeliveredAt",
                table: "commerce_orders");

            migrationBuilder.DropColumn(
                name: "RefundedMinor",
                table: "commerce_orders");
        }
    }
}
