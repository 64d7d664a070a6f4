using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Centric.Server.Platform.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class KnowledgeVersions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "LatestVersion",
                table: "support_articles",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "PublishedVersion",
                table: "support_articles",
                type: "integer",
                nullable: true);

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

            migrationBuilder.CreateIndex(
                name: "IX_support_article_feedback_ArticleId_VisitorId",
                table: "support_article_feedback",
                columns: new[] { "ArticleId", "VisitorId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_support_article_versions_ArticleId_Number",
                table: "support_article_versions",
                columns: new[] { "ArticleId", "Number" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "support_article_feedback");

            migrationBuilder.DropTable(
                name: "support_article_versions");

            migrationBuilder.DropColumn(
                name: "LatestVersion",
                table: "support_articles");

            migrationBuilder.DropColumn(
                name: "PublishedVersion",
                table: "support_articles");
        }
    }
}
