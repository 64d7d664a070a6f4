using Centric.Server.Platform.Http;
using Centric.Server.Platform.Identity;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace Centric.Server.Commerce.Catalog;

public sealed record ProductImageUploaded(Guid ImageId, int Width, int Height, IReadOnlyDictionary<int, string> Urls);

/// <summary>Product photos: served to anyone at stable, immutable URLs; uploaded by staff who manage the catalogue.</summary>
internal static class ProductImagesApi
{
    public static IEndpointRouteBuilder MapProductImages(this IEndpointRouteBuilder app)
    {
        app.MapGet("/media/products/{imageId:guid}/{width:int}.webp", Serve).WithName("GetProductImage").WithTags("Catalog")
            .WithSummary("A product image at one width (160, 320, 640 or 1024; never wider than the original), as WebP. The URL never changes meaning: a new upload gets a new image id.")
            .AllowAnonymous();
        // The console's upload (a form post with the antiforgery token, as the product editor sends it), for staff who manage the catalogue.
        app.MapPost("/console/products/{productId:guid}/image", Upload).WithName("UploadProductImage").WithTags("Catalog")
            .RequireAuthorization(Policies.Catalog).WithRequestSizeLimit(ProductImages.MaxBytes + 64 * 1024).ExcludeFromDescription();
        return app;
    }

    private static async Task<Results<FileContentHttpResult, StatusCodeHttpResult, ProblemHttpResult>> Serve(Guid imageId, int width, ProductImages images,
        HttpContext http, CancellationToken ct)
    {
        var etag = new EntityTagHeaderValue($"\"{imageId:N}-{width}\"");
        if (http.Request.GetTypedHeaders().IfNoneMatch.Any(t => t.Compare(etag, useStrongComparison: false)))
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        if (!ProductImages.Widths.Contains(width)) return ApiProblems.NotFound("image width");
        var bytes = await images.RenditionAsync(imageId, width, ct);
        if (bytes is null) return ApiProblems.NotFound("image");
        // The URL names one image at one width for ever, so browsers and proxies may keep it a year without asking again.
        http.Response.Headers.CacheControl = "public, max-age=31536000, immutable";
        return TypedResults.File(bytes, ProductImages.RenditionContentType, entityTag: etag);
    }

    private static async Task<Results<Ok<ProductImageUploaded>, RedirectHttpResult, ProblemHttpResult>> Upload(Guid productId, HttpRequest request, ProductImages images,
        Microsoft.AspNetCore.Antiforgery.IAntiforgery antiforgery, CancellationToken ct)
    {
        var browser = Platform.Errors.ErrorPages.WantsPage(request.HttpContext);
        // The staff cookie signs this request in, so it must come from Centric's own form (the editor's antiforgery token).
        if (request.HasFormContentType && !await antiforgery.IsRequestValidAsync(request.HttpContext))
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, type: Platform.Errors.ProblemTypes.ForStatus(400),
                title: "The form has expired or did not come from the product editor; open the editor again.");
        try
        {
            if (!request.HasFormContentType) throw Platform.Errors.RequestValidationException.For("file", "Send the image as multipart/form-data in a field named file.");
            var form = await request.ReadFormAsync(ct);
            var file = form.Files.GetFile("file") ?? throw Platform.Errors.RequestValidationException.For("file", "Choose an image to upload.");
            if (file.Length > ProductImages.MaxBytes)
                throw new Platform.Errors.DomainException("image-too-large", $"The image is larger than {ProductImages.MaxBytes / 1024 / 1024} MB.", StatusCodes.Status413PayloadTooLarge);
            await using var stream = file.OpenReadStream();
            var image = await images.StoreAsync(productId, await ProductImages.ReadLimitedAsync(stream, ct), ct);
            if (browser) return TypedResults.Redirect($"/console/products/{productId}?image=saved");
            return TypedResults.Ok(new ProductImageUploaded(image.Id, image.Width, image.Height, image.Widths.ToDictionary(w => w, image.Url)));
        }
        catch (Exception e) when (browser && e is Platform.Errors.DomainException or Platform.Errors.RequestValidationException)
        {
            // A person using the editor gets the editor back with the reason beside the field, not an error page.
            var code = e is Platform.Errors.DomainException d ? d.Code : "image-missing";
            return TypedResults.Redirect($"/console/products/{productId}?image={Uri.EscapeDataString(code)}");
        }
    }

    /// <summary>Kestrel's default request limit (30 MB) is above the image limit; the endpoint states its own so the limit is documented where it applies.</summary>
    private static RouteHandlerBuilder WithRequestSizeLimit(this RouteHandlerBuilder builder, long limit) =>
        builder.WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(limit));
}
