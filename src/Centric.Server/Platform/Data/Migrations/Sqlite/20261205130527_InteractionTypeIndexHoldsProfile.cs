using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Centric.Server.Platform.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class InteractionTypeIndexHoldsProfile : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_customers_interactions_Type_OccurredAt",
                table: "customers_interactions");

            migrationBuilder.CreateIndex(
                name: "IX_customers_interactions_Type_OccurredAt_ProfileId",
                table: "customers_interactions",
                columns: new[] { "Type", "OccurredAt", "ProfileId" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_customers_interactions_Type_OccurredAt_ProfileId",
                table: "customers_interactions");

            migrationBuilder.CreateIndex(
                name: "IX_customers_interactions_Type_OccurredAt",
                table: "customers_interactions",
                columns: new[] { "Type", "OccurredAt" });
        }
    }
}
