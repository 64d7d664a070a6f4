using Centric.Server.Support.Knowledge;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Platform.Data;

public partial class CentricDbContext
{
    static void ConfigureKnowledge(ModelBuilder builder)
    {
        builder.Entity<ArticleVersion>(e =>
        {
            e.ToTable("support_article_versions");
            e.Property(v => v.Title).HasMaxLength(200);
            e.Property(v => v.Category).HasMaxLength(100);
            e.Property(v => v.SavedBy).HasMaxLength(450);
            e.HasIndex(v => new { v.ArticleId, v.Number }).IsUnique();
            e.HasOne<Article>().WithMany().HasForeignKey(v => v.ArticleId).OnDelete(DeleteBehavior.Cascade);
        });
        builder.Entity<ArticleSlugRedirect>(e =>
        {
            e.ToTable("support_article_slug_redirects");
            e.Property(r => r.Slug).HasMaxLength(KnowledgeBase.MaxSlugLength);
            e.HasIndex(r => r.Slug).IsUnique();
            e.HasOne<Article>().WithMany().HasForeignKey(r => r.ArticleId).OnDelete(DeleteBehavior.Cascade);
        });
        builder.Entity<ArticleFeedback>(e =>
        {
            e.ToTable("support_article_feedback");
            e.Property(f => f.VisitorId).HasMaxLength(64);
            // One vote per visitor per article.
            e.HasIndex(f => new { f.ArticleId, f.VisitorId }).IsUnique();
            e.HasOne<Article>().WithMany().HasForeignKey(f => f.ArticleId).OnDelete(DeleteBehavior.Cascade);
        });
    }
}
