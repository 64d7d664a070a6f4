using System.Security.Cryptography;
using Centric.Server.Platform.Data;
using Centric.Server.Platform.Errors;
using ImageMagick;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Commerce.Catalog;

/// <summary>
/// A product's photo as uploaded (the original bytes, never served as they are). Kept in the database, so every node
/// behind the load balancer serves it and a backup holds it; one image per product (a new upload replaces the old one).
/// </summary>
public sealed class ProductImage
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid ProductId { get; set; }
    /// <summary>image/jpeg, image/png or image/webp, from the bytes (never from the file name).</summary>
    public required string ContentType { get; set; }
    public int Width { get; set; }
    public int Height { get; set; }
    public required byte[] Original { get; set; }
    /// <summary>Hex SHA-256 of the original, for operators comparing uploads.</summary>
    public required string Sha256 { get; set; }
    public DateTime CreatedAt { get; set; }
}

/// <summary>One served size of an image (WebP), made on first request and kept, so each size is resized once for all nodes.</summary>
public sealed class ProductImageRendition
{
    public Guid ImageId { get; set; }
    public int Width { get; set; }
    public required byte[] Bytes { get; set; }
    public DateTime CreatedAt { get; set; }
}

/// <summary>What a page needs to draw a product's picture: the image id and the original's size (for width/height and srcset).</summary>
public sealed record ProductImageRef(Guid Id, int Width, int Height)
{
    /// <summary>The stable URL of one size; the URL names the image, so a new upload gets new URLs and caches never go stale.</summary>
    public string Url(int width) => ProductImages.Url(Id, width);

    /// <summary>The sizes that exist for this image: no size wider than the original (the smallest always).</summary>
    public IEnumerable<int> Widths => ProductImages.Widths.Where((w, i) => i == 0 || w <= Width);

    public string SrcSet => string.Join(", ", Widths.Select(w => $"{Url(w)} {Math.Min(w, Width)}w"));

    /// <summary>Height of the image at a given display width, keeping the aspect ratio.</summary>
    public int HeightAt(int width) => Width == 0 ? width : (int)Math.Round((double)Height * width / Width);
}

/// <summary>
/// Product photos: uploads are checked by their bytes (JPEG, PNG or WebP only, at most <see cref="MaxBytes"/> and
/// <see cref="MaxPixels"/>), stored as uploaded, and served in a few widths as WebP at
/// <c>/media/products/{imageId}/{width}.webp</c>.
/// </summary>
public sealed class ProductImages(CentricDbContext db, TimeProvider clock)
{
    public const int MaxBytes = 8 * 1024 * 1024;
    public const long MaxPixels = 40_000_000;
    public const int MaxSide = 10_000;
    public static readonly int[] Widths = [160, 320, 640, 1024];
    public const string RenditionContentType = "image/webp";

    /// <summary>Resizing is CPU and memory heavy: at most one per core at a time on a node.</summary>
    private static readonly SemaphoreSlim Resizers = new(Environment.ProcessorCount, Environment.ProcessorCount);

    static ProductImages()
    {
        // A decompression bomb stops at the limits instead of taking the node's memory.
        ResourceLimits.Width = MaxSide;
        ResourceLimits.Height = MaxSide;
        ResourceLimits.Area = (ulong)MaxPixels * 2;
        // One thread per image: work is spread over images instead (requests, the demo's parallel drawing), and ImageMagick's
        // own worker threads spin while they wait, which on a busy node burns more processor time than the image takes.
        ResourceLimits.Thread = 1;
    }

    /// <summary>Applies the image limits (the static constructor does it once); for code that draws without going through this class.</summary>
    public static void Configure() { }

    public static string Url(Guid imageId, int width) => $"/media/products/{imageId}/{width}.webp";

    /// <summary>Reads an upload up to the size limit; a larger one is refused without reading it all.</summary>
    public static async Task<byte[]> ReadLimitedAsync(Stream stream, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > MaxBytes) throw TooLarge();
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    private static DomainException TooLarge() =>
        new("image-too-large", $"The image is larger than {MaxBytes / 1024 / 1024} MB.", StatusCodes.Status413PayloadTooLarge);

    /// <summary>The format the bytes are, by their signature; null for anything but JPEG, PNG and WebP.</summary>
    public static (MagickFormat Format, string ContentType)? Sniff(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length >= 3 && bytes[0] == 0xFF && bytes[1] == 0xD8 && bytes[2] == 0xFF) return (MagickFormat.Jpeg, "image/jpeg");
        if (bytes.Length >= 8 && bytes[..8].SequenceEqual((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])) return (MagickFormat.Png, "image/png");
        if (bytes.Length >= 12 && bytes[..4].SequenceEqual("RIFF"u8) && bytes[8..12].SequenceEqual("WEBP"u8)) return (MagickFormat.WebP, "image/webp");
        return null;
    }

    /// <summary>Checks the bytes and stores them as the product's image, replacing the one it had.</summary>
    public async Task<ProductImageRef> StoreAsync(Guid productId, byte[] bytes, CancellationToken ct)
    {
        if (bytes.Length > MaxBytes) throw TooLarge();
        if (Sniff(bytes) is not var (format, contentType))
            throw new DomainException("image-format", "Upload a JPEG, PNG or WebP image.", StatusCodes.Status415UnsupportedMediaType);
        if (!await db.Products.AnyAsync(p => p.Id == productId, ct)) throw new DomainException("product-not-found", "No such product.", StatusCodes.Status404NotFound);
        var (width, height) = Measure(bytes, format);
        var image = new ProductImage
        {
            ProductId = productId, ContentType = contentType, Width = width, Height = height, Original = bytes,
            Sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes)), CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        var old = await db.Set<ProductImage>().Where(i => i.ProductId == productId).Select(i => i.Id).ToListAsync(ct);
        db.Set<ProductImage>().Add(image);
        await db.SaveChangesAsync(ct);
        // The new image is stored first: pages show a product's newest image, so the product is never without one in between.
        if (old.Count > 0)
        {
            await db.Set<ProductImageRendition>().Where(r => old.Contains(r.ImageId)).ExecuteDeleteAsync(ct);
            await db.Set<ProductImage>().Where(i => old.Contains(i.Id)).ExecuteDeleteAsync(ct);
        }
        return new ProductImageRef(image.Id, width, height);
    }

    /// <summary>Decodes the image once, so a file that only starts like an image is refused at upload rather than when served.</summary>
    private static (int Width, int Height) Measure(byte[] bytes, MagickFormat format)
    {
        try
        {
            var info = new MagickImageInfo(bytes, new MagickReadSettings { Format = format });
            if (info.Width == 0 || info.Height == 0 || info.Width > MaxSide || info.Height > MaxSide || (long)info.Width * info.Height > MaxPixels)
                throw new DomainException("image-dimensions", $"The image must be at most {MaxSide} pixels a side and {MaxPixels / 1_000_000} megapixels.", StatusCodes.Status422UnprocessableEntity);
            using var image = new MagickImage(bytes, new MagickReadSettings { Format = format });
            image.AutoOrient();
            return ((int)image.Width, (int)image.Height);
        }
        catch (MagickException)
        {
            throw new DomainException("image-unreadable", "The file is not a readable JPEG, PNG or WebP image.", StatusCodes.Status422UnprocessableEntity);
        }
    }

    /// <summary>One size of an image as WebP, made and stored on first request; null when the image does not exist or the width is not served.</summary>
    public async Task<byte[]?> RenditionAsync(Guid imageId, int width, CancellationToken ct)
    {
        if (!Widths.Contains(width)) return null;
        var stored = await db.Set<ProductImageRendition>().AsNoTracking().Where(r => r.ImageId == imageId && r.Width == width).Select(r => r.Bytes).FirstOrDefaultAsync(ct);
        if (stored is not null) return stored;
        var original = await db.Set<ProductImage>().AsNoTracking().Where(i => i.Id == imageId).Select(i => new { i.Original, i.ContentType }).FirstOrDefaultAsync(ct);
        if (original is null) return null;
        byte[] bytes;
        await Resizers.WaitAsync(ct);
        try
        {
            bytes = Resize(original.Original, width);
        }
        finally
        {
            Resizers.Release();
        }
        var rendition = new ProductImageRendition { ImageId = imageId, Width = width, Bytes = bytes, CreatedAt = clock.GetUtcNow().UtcDateTime };
        db.Set<ProductImageRendition>().Add(rendition);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Another request (or node) stored the same size first, or the image was replaced meanwhile: the bytes are still right to serve.
            db.Entry(rendition).State = EntityState.Detached;
        }
        return bytes;
    }

    /// <summary>Resized to the width (never enlarged), metadata stripped (no camera or location data leaves), WebP.</summary>
    public static byte[] Resize(byte[] original, int width)
    {
        using var image = new MagickImage(original, new MagickReadSettings { Format = Sniff(original)?.Format ?? MagickFormat.Unknown });
        image.AutoOrient();
        if (image.Width > width) image.Resize((uint)width, 0);
        image.Strip();
        image.Quality = 80;
        return image.ToByteArray(MagickFormat.WebP);
    }
}
