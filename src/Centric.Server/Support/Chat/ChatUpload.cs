using Centric.Server.Platform.Errors;

namespace Centric.Server.Support.Chat;

/// <summary>A file a customer sends in a chat, accepted only when its content is one of the allowed kinds.</summary>
public sealed record ChatUpload(string FileName, string ContentType, byte[] Content)
{
    /// <summary>
    /// Checks the bytes, not the name or the declared type: a file is accepted only when its first bytes are those of an
    /// allowed format, and it is stored (and later served) with that format's type.
    /// </summary>
    public static ChatUpload Check(string? fileName, byte[] content, long maxBytes)
    {
        if (content.Length == 0) throw RequestValidationException.For("file", "The file is empty.");
        if (content.Length > maxBytes)
            throw new DomainException("attachment-too-large", $"Files may be at most {maxBytes / 1024} KiB.", StatusCodes.Status413PayloadTooLarge);
        var type = Sniff(content)
            ?? throw new DomainException("attachment-type", "Send a PNG, JPEG, GIF or WebP picture or a PDF.", StatusCodes.Status415UnsupportedMediaType);
        var name = Path.GetFileName((fileName ?? "").Replace('\\', '/')).Trim();
        name = new string([.. name.Where(c => !char.IsControl(c) && c is not ('"' or ';'))]);
        if (name.Length == 0) name = "file";
        return new ChatUpload(name[..Math.Min(name.Length, 200)], type, content);
    }

    public static string? Sniff(ReadOnlySpan<byte> b) => b switch
    {
        [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, ..] => "image/png",
        [0xFF, 0xD8, 0xFF, ..] => "image/jpeg",
        [0x47, 0x49, 0x46, 0x38, 0x37 or 0x39, 0x61, ..] => "image/gif",
        [0x52, 0x49, 0x46, 0x46, _, _, _, _, 0x57, 0x45, 0x42, 0x50, ..] => "image/webp",
        [0x25, 0x50, 0x44, 0x46, 0x2D, ..] => "application/pdf",
        _ => null,
    };
}
