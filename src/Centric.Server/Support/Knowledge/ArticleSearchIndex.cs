using Centric.Server.Platform.Data;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Centric.Server.Support.Knowledge;

// The full-text structures live outside the EF model (EF cannot describe an FTS5 table, and the tsvector column is never
// read by EF), so these two migrations are written by hand and kept beside the search that uses them. They depend only on
// support_articles' Id, Title, Body, Category and Published columns.

/// <summary>
/// SQLite: an FTS5 table with porter stemming and prefix indexes (2–4 characters, for search as you type), filled and kept in step by triggers on support_articles, so every write to an
/// article updates the index in the same transaction whoever makes it. Only published articles are indexed.
/// A future migration that makes SQLite rebuild support_articles drops these triggers and must create them again.
/// </summary>
[DbContext(typeof(SqliteCentricDbContext))]
[Migration("20261205115600_ArticleSearchIndex")]
public sealed class ArticleSearchIndexOnSqlite : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("""
            CREATE VIRTUAL TABLE support_articles_fts USING fts5(title, body, category, article_id UNINDEXED,
                tokenize = 'porter unicode61 remove_diacritics 2', prefix = '2 3 4');
            """);
        migrationBuilder.Sql("""
            CREATE TRIGGER support_articles_fts_insert AFTER INSERT ON support_articles WHEN new.Published BEGIN
                INSERT INTO support_articles_fts (title, body, category, article_id) VALUES (new.Title, new.Body, new.Category, new.Id);
            END;
            """);
        migrationBuilder.Sql("""
            CREATE TRIGGER support_articles_fts_update AFTER UPDATE OF Id, Title, Body, Category, Published ON support_articles BEGIN
                DELETE FROM support_articles_fts WHERE article_id = old.Id;
                INSERT INTO support_articles_fts (title, body, category, article_id) SELECT new.Title, new.Body, new.Category, new.Id WHERE new.Published;
            END;
            """);
        migrationBuilder.Sql("""
            CREATE TRIGGER support_articles_fts_delete AFTER DELETE ON support_articles BEGIN
                DELETE FROM support_articles_fts WHERE article_id = old.Id;
            END;
            """);
        migrationBuilder.Sql("""
            INSERT INTO support_articles_fts (title, body, category, article_id) SELECT Title, Body, Category, Id FROM support_articles WHERE Published;
            """);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("DROP TRIGGER IF EXISTS support_articles_fts_insert;");
        migrationBuilder.Sql("DROP TRIGGER IF EXISTS support_articles_fts_update;");
        migrationBuilder.Sql("DROP TRIGGER IF EXISTS support_articles_fts_delete;");
        migrationBuilder.Sql("DROP TABLE IF EXISTS support_articles_fts;");
    }
}

/// <summary>PostgreSQL: a stored generated tsvector (title A, category B, body C; english configuration) with a GIN index.</summary>
[DbContext(typeof(PostgresCentricDbContext))]
[Migration("20261205115600_ArticleSearchIndex")]
public sealed class ArticleSearchIndexOnPostgres : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("""
            ALTER TABLE support_articles ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
                setweight(to_tsvector('english', coalesce("Title", '')), 'A') ||
                setweight(to_tsvector('english', coalesce("Category", '')), 'B') ||
                setweight(to_tsvector('english', coalesce("Body", '')), 'C')) STORED;
            """);
        migrationBuilder.Sql("CREATE INDEX ix_support_articles_search_vector ON support_articles USING GIN (search_vector);");
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("DROP INDEX IF EXISTS ix_support_articles_search_vector;");
        migrationBuilder.Sql("ALTER TABLE support_articles DROP COLUMN IF EXISTS search_vector;");
    }
}
