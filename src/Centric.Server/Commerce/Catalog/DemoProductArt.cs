using System.Collections.Concurrent;
using ImageMagick;
using ImageMagick.Drawing;

namespace Centric.Server.Commerce.Catalog;

/// <summary>
/// Studio-style illustrations for the demo catalogue: a soft gradient backdrop, a floor shadow and a simple drawing of
/// the kind of thing the category sells, in a colour taken from the product's slug — the same product always gets the
/// same picture. Drawn with flat shapes only (no blur). ImageMagick's drawing costs in proportion to the pixels each shape
/// covers, so the picture is drawn at the largest width pages show it (<see cref="Size"/>) and the backdrop with its
/// shadow, the same for a whole category, is drawn once per category and reused: a few hundred take seconds.
/// </summary>
public sealed class DemoProductArt
{
    /// <summary>
    /// The picture's width and height: the widest size pages ask for (the product page and the storefront's hero use the
    /// 640 size; a wider original would only be stored, never shown).
    /// </summary>
    public const int Size = 640;

    /// <summary>The drawings are written on an 800-unit square, scaled to <see cref="Size"/>.</summary>
    private const double Units = 800;

    private static readonly PixelReadSettings Pixels = new(Size, Size, StorageType.Char, PixelMapping.RGB);

    /// <summary>Each category's backdrop and floor shadow as raw RGB pixels, drawn on first use.</summary>
    private readonly ConcurrentDictionary<string, byte[]> backdrops = new(StringComparer.Ordinal);

    /// <summary>A JPEG of the product's illustration. Safe to call from several threads at once.</summary>
    public byte[] Draw(string categorySlug, string productSlug)
    {
        ProductImages.Configure();
        var hash = Hash(productSlug);
        var hue = (hash % 360 + 360) % 360;
        var accent = Hsl(hue, 0.55, 0.52);
        var accentDark = Hsl(hue, 0.55, 0.36);
        var accentLight = Hsl(hue, 0.60, 0.72);

        using var image = new MagickImage(backdrops.GetOrAdd(categorySlug, DrawBackdrop), Pixels);
        IDrawables<byte> d = Canvas();
        var variant = (int)((uint)hash / 360 % 3);
        var white = new MagickColor("#fbfaf7");
        // The product's own noun picks the drawing; the category's is the fallback.
        switch (Noun(productSlug) ?? categorySlug)
        {
            case "pillow" or "cushion": Pillow(d, accent, accentDark, accentLight); break;
            case "towel" or "sheet" or "duvet" or "mat" or "runner" or "bed_bath_table": Towels(d, accent, accentDark, accentLight, variant); break;
            case "cream": Bottle(d, accent, accentDark, accentLight, 2); break;
            case "shampoo" or "lotion" or "health_beauty": Bottle(d, accent, accentDark, accentLight, variant % 2); break;
            case "perfume": Perfume(d, accent, accentDark, accentLight); break;
            case "balm": Tube(d, accent, accentDark, white); break;
            case "dryer": HairDryer(d, accent, accentDark); break;
            case "yoga": YogaMat(d, accent, accentDark, accentLight); break;
            case "bottle": WaterBottle(d, accent, accentDark, accentLight); break;
            case "bag": Bag(d, accent, accentDark, accentLight); break;
            case "racket": Racket(d, accent, accentDark); break;
            case "jersey": Shirt(d, accent, accentDark, accentLight); break;
            case "shoes" or "sports_leisure": Shoe(d, accent, accentDark, accentLight); break;
            case "clock": Clock(d, accent, accentDark, white); break;
            case "frame" or "album": Frame(d, accent, accentDark, accentLight, hue); break;
            case "table": SideTable(d, accent, accentDark); break;
            case "vase": Lamp(d, accent, accentDark, accentLight, 2); break;
            case "lamp" or "furniture_decor": Lamp(d, accent, accentDark, accentLight, 0); break;
            case "mouse": Mouse(d, accent, accentDark, accentLight); break;
            case "keyboard": Keyboard(d, accent, accentDark, white); break;
            case "hub": Hub(d, accent, accentDark); break;
            case "webcam": Webcam(d, accent, accentDark); break;
            case "headset": Headset(d, accent, accentDark, accentLight); break;
            case "stand" or "computers_accessories": Laptop(d, accent, accentDark); break;
            case "pan": Pan(d, accent, accentDark); break;
            case "knife": KnifeBlock(d, accent, accentDark); break;
            case "kettle" or "coffee": Kettle(d, accent, accentDark, accentLight); break;
            case "jars": Jars(d, accent, accentDark, accentLight); break;
            case "board" when categorySlug == "housewares": CuttingBoard(d); break;
            case "wallet": Wallet(d, accent, accentDark); break;
            case "keyring": Keyring(d, accent, accentDark); break;
            case "candle": Candle(d, accent, accentDark, white); break;
            case "watch": Gift(d, accent, accentDark, accentLight, 2); break;
            case "gift" or "watches_gifts": Gift(d, accent, accentDark, accentLight, 0); break;
            case "bear": Bear(d, accent, accentDark, accentLight); break;
            case "car": Car(d, accent, accentDark, white); break;
            case "kite": Kite(d, hue); break;
            case "puzzle": Puzzle(d, hue); break;
            case "board": BoardGame(d, hue, white); break;
            case "housewares": Mug(d, accent, accentDark, accentLight); break;
            case "blocks" or "toys": Blocks(d, hue); break;
            default: Box(d, accent, accentDark, accentLight); break;
        }
        d.Draw(image);
        image.Quality = 85;
        return image.ToByteArray(MagickFormat.Jpeg);
    }

    /// <summary>Drawing in the 800-unit space, with no outline until a drawing asks for one.</summary>
    /// <remarks>Scaling rather than an affine matrix: Magick.NET applies a drawing's affine twice.</remarks>
    private static IDrawables<byte> Canvas() =>
        new Drawables().Scaling(Size / Units, Size / Units).StrokeOpacity(new Percentage(0)).StrokeWidth(0);

    /// <summary>The category's gradient with the floor shadow on it, as raw RGB pixels.</summary>
    private static byte[] DrawBackdrop(string categorySlug)
    {
        var (top, bottom) = Backdrop(categorySlug);
        using var image = new MagickImage($"gradient:{top}-{bottom}", new MagickReadSettings { Width = Size, Height = Size });
        var d = Canvas();
        // The floor shadow: nested ellipses of rising opacity read as a soft contact shadow without a blur pass.
        for (var i = 0; i < 6; i++)
            d.FillColor(new MagickColor(0, 0, 0, (byte)(10 + i * 4))).Ellipse(400, 640, 230 - i * 22, 34 - i * 4, 0, 360);
        d.Draw(image);
        using var pixels = image.GetPixelsUnsafe();
        return pixels.ToByteArray(PixelMapping.RGB) ?? throw new InvalidOperationException("The backdrop has no pixels.");
    }

    private static (string Top, string Bottom) Backdrop(string category) => category switch
    {
        "bed_bath_table" => ("#f6efe6", "#e6d8c5"),
        "health_beauty" => ("#fbeef0", "#efd4da"),
        "sports_leisure" => ("#eaf4ee", "#cfe5d7"),
        "furniture_decor" => ("#f4efe8", "#e2d6c6"),
        "computers_accessories" => ("#eef1f6", "#d5dbe6"),
        "housewares" => ("#f3f1ec", "#dedad0"),
        "watches_gifts" => ("#f6f0e4", "#e8d9bd"),
        "toys" => ("#eef4fb", "#d3e3f3"),
        _ => ("#f2f2f2", "#dcdcdc"),
    };

    private static void Towels(IDrawables<byte> d, MagickColor a, MagickColor dark, MagickColor light, int variant)
    {
        // Three folded towels, stacked, each a little narrower.
        var colours = variant switch { 0 => new[] { dark, a, light }, 1 => new[] { light, a, dark }, _ => new[] { a, light, a } };
        for (var i = 0; i < 3; i++)
        {
            var top = 520 - i * 96;
            var inset = i * 14;
            d.FillColor(colours[i]).RoundRectangle(190 + inset, top, 610 - inset, top + 100, 26, 26);
            d.FillColor(new MagickColor(255, 255, 255, 70)).RoundRectangle(190 + inset, top + 8, 610 - inset, top + 24, 8, 8);
            d.FillColor(new MagickColor(0, 0, 0, 26)).Rectangle(190 + inset + 30, top + 64, 610 - inset - 30, top + 70);
        }
    }

    private static void Bottle(IDrawables<byte> d, MagickColor a, MagickColor dark, MagickColor light, int variant)
    {
        if (variant == 2)
        {
            // A jar of cream.
            d.FillColor(dark).RoundRectangle(250, 380, 550, 440, 18, 18);
            d.FillColor(a).RoundRectangle(240, 430, 560, 640, 40, 40);
            d.FillColor(new MagickColor("#ffffffcc")).RoundRectangle(290, 490, 510, 580, 12, 12);
            d.FillColor(new MagickColor(255, 255, 255, 60)).RoundRectangle(262, 450, 290, 620, 14, 14);
            return;
        }
        // A pump or dropper bottle with a label.
        d.FillColor(a).RoundRectangle(290, 300, 510, 640, 56, 56);
        d.FillColor(dark).RoundRectangle(350, 230, 450, 310, 14, 14);
        if (variant == 0) d.FillColor(dark).RoundRectangle(380, 170, 420, 240, 8, 8).RoundRectangle(380, 170, 470, 192, 8, 8);
        else d.FillColor(dark).Ellipse(400, 215, 34, 40, 0, 360);
        d.FillColor(new MagickColor("#ffffffd9")).RoundRectangle(320, 420, 480, 540, 10, 10);
        d.FillColor(light).Rectangle(345, 455, 455, 463).Rectangle(345, 480, 430, 488);
        d.FillColor(new MagickColor(255, 255, 255, 70)).RoundRectangle(306, 330, 330, 610, 12, 12);
    }

    private static void Shoe(IDrawables<byte> d, MagickColor a, MagickColor dark, MagickColor light)
    {
        // A running shoe in profile: sole, upper, laces and a swoosh-free stripe.
        d.FillColor(new MagickColor("#f7f7f5")).RoundRectangle(150, 580, 660, 636, 28, 28);
        d.FillColor(new MagickColor(0, 0, 0, 30)).Rectangle(170, 612, 640, 618);
        d.FillColor(a).Polygon(
            new PointD(170, 585), new PointD(185, 470), new PointD(260, 430), new PointD(330, 380), new PointD(400, 360),
            new PointD(440, 420), new PointD(540, 470), new PointD(630, 510), new PointD(655, 585));
        d.FillColor(dark).Polygon(new PointD(185, 470), new PointD(260, 430), new PointD(300, 585), new PointD(170, 585));
        d.FillColor(light).Polygon(new PointD(340, 520), new PointD(600, 540), new PointD(610, 565), new PointD(330, 560));
        d.StrokeColor(new MagickColor("#ffffff")).StrokeOpacity(new Percentage(90)).StrokeWidth(8)
            .Line(360, 400, 400, 440).Line(385, 392, 428, 432).Line(412, 388, 452, 428)
            .StrokeOpacity(new Percentage(0)).StrokeWidth(0);
    }

    private static void Lamp(IDrawables<byte> d, MagickColor a, MagickColor dark, MagickColor light, int variant)
    {
        if (variant == 2)
        {
            // A vase with a stem.
            d.FillColor(a).Ellipse(400, 520, 120, 120, 0, 360);
            d.FillColor(a).RoundRectangle(350, 330, 450, 460, 30, 30);
            d.FillColor(dark).RoundRectangle(340, 320, 460, 346, 10, 10);
            d.StrokeColor(new MagickColor("#4f7a4f")).StrokeOpacity(new Percentage(100)).StrokeWidth(8).Line(400, 320, 380, 160).Line(400, 320, 450, 190)
                .StrokeOpacity(new Percentage(0)).StrokeWidth(0);
            d.FillColor(new MagickColor("#6f9f6a")).Ellipse(380, 160, 30, 16, 0, 360).Ellipse(450, 190, 30, 16, 0, 360);
            d.FillColor(new MagickColor(255, 255, 255, 60)).Ellipse(350, 490, 22, 60, 0, 360);
            return;
        }
        // A table lamp: a shade, a stem and a base.
        d.FillColor(dark).RoundRectangle(300, 600, 500, 640, 16, 16);
        d.FillColor(new MagickColor("#b9a07a")).Rectangle(392, 400, 408, 605);
        d.FillColor(a).Polygon(new PointD(300, 180), new PointD(500, 180), new PointD(570, 410), new PointD(230, 410));
        d.FillColor(light).Polygon(new PointD(300, 180), new PointD(330, 180), new PointD(280, 410), new PointD(230, 410));
        d.FillColor(new MagickColor(255, 240, 200, 120)).Ellipse(400, 412, 170, 14, 0, 360);
    }

    private static void Laptop(IDrawables<byte> d, MagickColor a, MagickColor dark)
    {
        d.FillColor(new MagickColor("#3b4252")).RoundRectangle(200, 250, 600, 530, 18, 18);
        d.FillColor(a).Rectangle(222, 272, 578, 508);
        d.FillColor(new MagickColor(255, 255, 255, 80)).Polygon(new PointD(222, 272), new PointD(420, 272), new PointD(300, 508), new PointD(222, 508));
        d.FillColor(dark).RoundRectangle(250, 320, 420, 340, 6, 6).RoundRectangle(250, 360, 360, 376, 6, 6);
        d.FillColor(new MagickColor("#c9ced8")).Polygon(new PointD(150, 560), new PointD(650, 560), new PointD(610, 530), new PointD(190, 530));
        d.FillColor(new MagickColor("#aeb4c0")).RoundRectangle(150, 558, 650, 580, 10, 10);
        d.FillColor(new MagickColor("#8e95a3")).RoundRectangle(360, 538, 440, 550, 4, 4);
    }

    private static void Mug(IDrawables<byte> d, MagickColor a, MagickColor dark, MagickColor light)
    {
        d.StrokeColor(a).StrokeOpacity(new Percentage(100)).StrokeWidth(34).FillOpacity(new Percentage(0)).Ellipse(520, 460, 70, 80, 0, 360)
            .StrokeOpacity(new Percentage(0)).StrokeWidth(0).FillOpacity(new Percentage(100));
        d.FillColor(a).RoundRectangle(250, 320, 530, 630, 40, 40);
        d.FillColor(dark).Ellipse(390, 322, 140, 26, 0, 360);
        d.FillColor(new MagickColor("#5a3b2a")).Ellipse(390, 326, 124, 18, 0, 360);
        d.FillColor(light).Rectangle(250, 430, 530, 470);
        d.FillColor(new MagickColor(255, 255, 255, 70)).RoundRectangle(272, 350, 298, 600, 12, 12);
    }

    private static void Gift(IDrawables<byte> d, MagickColor a, MagickColor dark, MagickColor light, int variant)
    {
        if (variant == 2)
        {
            // A wrist watch: strap, case and hands.
            d.FillColor(new MagickColor("#6b4a33")).RoundRectangle(355, 150, 445, 650, 30, 30);
            d.FillColor(new MagickColor("#c8ccd2")).Ellipse(400, 400, 128, 128, 0, 360);
            d.FillColor(new MagickColor("#fbfaf7")).Ellipse(400, 400, 108, 108, 0, 360);
            d.FillColor(a).Ellipse(400, 400, 10, 10, 0, 360);
            d.StrokeColor(dark).StrokeOpacity(new Percentage(100)).StrokeWidth(8).Line(400, 400, 400, 320).StrokeWidth(6).Line(400, 400, 460, 430)
                .StrokeOpacity(new Percentage(0)).StrokeWidth(0);
            return;
        }
        // A wrapped box with a ribbon and a bow.
        d.FillColor(a).RoundRectangle(230, 370, 570, 630, 14, 14);
        d.FillColor(dark).RoundRectangle(215, 320, 585, 390, 14, 14);
        d.FillColor(light).Rectangle(380, 320, 420, 630);
        d.FillColor(light).Ellipse(345, 290, 60, 36, 20, 360).Ellipse(455, 290, 60, 36, 0, 360);
        d.FillColor(dark).Ellipse(400, 305, 22, 22, 0, 360);
        d.FillColor(new MagickColor(255, 255, 255, 60)).Rectangle(250, 400, 270, 610);
    }

    private static void Blocks(IDrawables<byte> d, int hue)
    {
        // Three toy blocks in three colours, one on top.
        var colours = new[] { Hsl(hue, 0.7, 0.55), Hsl((hue + 120) % 360, 0.7, 0.55), Hsl((hue + 240) % 360, 0.7, 0.55) };
        void Block(int x, int y, MagickColor c)
        {
            d.FillColor(c).RoundRectangle(x, y, x + 170, y + 170, 18, 18);
            d.FillColor(new MagickColor(255, 255, 255, 70)).RoundRectangle(x + 14, y + 14, x + 156, y + 40, 10, 10);
            d.FillColor(new MagickColor(255, 255, 255, 200)).Ellipse(x + 85, y + 100, 34, 34, 0, 360);
        }
        Block(215, 460, colours[0]);
        Block(415, 460, colours[1]);
        Block(315, 290, colours[2]);
    }

    private static void Box(IDrawables<byte> d, MagickColor a, MagickColor dark, MagickColor light)
    {
        d.FillColor(a).RoundRectangle(240, 330, 560, 630, 20, 20);
        d.FillColor(dark).Rectangle(240, 330, 560, 380);
        d.FillColor(light).Rectangle(380, 330, 420, 630);
    }

    private static readonly string[] Nouns =
    [
        "pillow", "cushion", "towel", "sheet", "duvet", "runner", "cream", "shampoo", "lotion", "perfume", "balm", "dryer", "yoga", "bottle", "bag",
        "racket", "jersey", "shoes", "clock", "frame", "album", "table", "vase", "lamp", "mouse", "keyboard", "hub", "webcam", "headset", "stand",
        "pan", "knife", "kettle", "coffee", "jars", "board", "wallet", "keyring", "candle", "watch", "gift", "bear", "car", "kite", "puzzle", "blocks", "mat",
    ];

    private static string? Noun(string slug)
    {
        var words = slug.Split('-');
        return Nouns.FirstOrDefault(n => words.Contains(n, StringComparer.Ordinal));
    }

    private static MagickColor Shade(byte alpha) => new(0, 0, 0, alpha);
    private static MagickColor Shine(byte alpha) => new(255, 255, 255, alpha);

    private static void Stroke(IDrawables<byte> d, MagickColor colour, double width) =>
        d.StrokeColor(colour).StrokeOpacity(new Percentage(100)).StrokeWidth(width).FillOpacity(new Percentage(0));

    private static void NoStroke(IDrawables<byte> d) => d.StrokeOpacity(new Percentage(0)).StrokeWidth(0).FillOpacity(new Percentage(100));

    private static void Pillow(IDrawables<byte> d, MagickColor a, MagickColor dark, MagickColor light)
    {
        d.FillColor(a).RoundRectangle(200, 330, 600, 630, 90, 70);
        d.FillColor(light).RoundRectangle(230, 355, 570, 600, 70, 55);
        d.FillColor(a).RoundRectangle(250, 375, 550, 585, 60, 45);
        d.FillColor(dark).Ellipse(400, 480, 12, 12, 0, 360);
        d.FillColor(Shine(60)).Ellipse(320, 400, 60, 18, 0, 360);
    }

    private static void Perfume(IDrawables<byte> d, MagickColor a, MagickColor dark, MagickColor light)
    {
        d.FillColor(a).RoundRectangle(270, 360, 530, 640, 30, 30);
        d.FillColor(light).RoundRectangle(300, 390, 500, 610, 20, 20);
        d.FillColor(dark).Rectangle(375, 310, 425, 365);
        d.FillColor(dark).Ellipse(400, 280, 60, 44, 0, 360);
        d.FillColor(Shine(80)).RoundRectangle(315, 405, 340, 590, 10, 10);
    }

    private static void Tube(IDrawables<byte> d, MagickColor a, MagickColor dark, MagickColor white)
    {
        d.FillColor(dark).RoundRectangle(355, 250, 445, 400, 30, 30);
        d.FillColor(a).RoundRectangle(345, 390, 455, 640, 12, 12);
        d.FillColor(white).Rectangle(345, 470, 455, 530);
        d.FillColor(Shine(70)).RoundRectangle(358, 270, 372, 390, 6, 6);
    }

    private static void HairDryer(IDrawables<byte> d, MagickColor a, MagickColor dark)
    {
        d.FillColor(a).RoundRectangle(355, 400, 425, 630, 24, 24);
        d.FillColor(a).RoundRectangle(220, 250, 560, 400, 75, 75);
        d.FillColor(dark).RoundRectangle(540, 270, 610, 380, 16, 16);
        d.FillColor(Shade(60)).Ellipse(260, 325, 30, 55, 0, 360);
        d.FillColor(dark).RoundRectangle(375, 450, 405, 500, 8, 8);
        d.FillColor(Shine(60)).RoundRectangle(260, 265, 520, 290, 12, 12);
    }

    private static void YogaMat(IDrawables<byte> d, MagickColor a, MagickColor dark, MagickColor light)
    {
        d.FillColor(a).RoundRectangle(190, 440, 580, 630, 95, 95);
        d.FillColor(light).Ellipse(560, 535, 62, 95, 0, 360);
        Stroke(d, dark, 6); d.Ellipse(560, 535, 40, 64, 0, 360).Ellipse(560, 535, 20, 34, 0, 360); NoStroke(d);
        d.FillColor(Shine(60)).RoundRectangle(230, 460, 520, 480, 10, 10);
        d.FillColor(dark).Rectangle(300, 440, 316, 630).Rectangle(450, 440, 466, 630);
    }

    private static void WaterBottle(IDrawables<byte> d, MagickColor a, MagickColor dark, MagickColor light)
    {
        d.FillColor(a).RoundRectangle(320, 260, 480, 640, 50, 50);
        d.FillColor(dark).RoundRectangle(345, 190, 455, 270, 16, 16);
        Stroke(d, dark, 12); d.Ellipse(400, 185, 34, 28, 180, 360); NoStroke(d);
        d.FillColor(light).Rectangle(320, 400, 480, 470);
        d.FillColor(Shine(70)).RoundRectangle(338, 290, 360, 610, 10, 10);
    }

    private static void Bag(IDrawables<byte> d, MagickColor a, MagickColor dark, MagickColor light)
    {
        Stroke(d, dark, 22); d.Ellipse(400, 400, 120, 110, 180, 360); NoStroke(d);
        d.FillColor(a).RoundRectangle(180, 390, 620, 630, 60, 60);
        d.FillColor(dark).Rectangle(180, 470, 620, 486);
        d.FillColor(light).RoundRectangle(330, 520, 470, 590, 12, 12);
        d.FillColor(Shine(60)).RoundRectangle(210, 405, 590, 425, 10, 10);
    }

    private static void Racket(IDrawables<byte> d, MagickColor a, MagickColor dark)
    {
        d.FillColor(new MagickColor("#2f2f35")).RoundRectangle(380, 450, 420, 640, 12, 12);
        d.FillColor(dark).Polygon(new PointD(370, 420), new PointD(430, 420), new PointD(412, 470), new PointD(388, 470));
        Stroke(d, new MagickColor(255, 255, 255, 170), 3);
        // Strings end at the frame: each line's half length follows the ellipse.
        for (var x = 300; x <= 500; x += 25) { var h = 155 * Math.Sqrt(1 - Math.Pow((x - 400) / 125.0, 2)); d.Line(x, 290 - h, x, 290 + h); }
        for (var y = 160; y <= 420; y += 25) { var w = 125 * Math.Sqrt(1 - Math.Pow((y - 290) / 155.0, 2)); d.Line(400 - w, y, 400 + w, y); }
        NoStroke(d);
        Stroke(d, a, 26); d.Ellipse(400, 290, 125, 155, 0, 360); NoStroke(d);
    }

    private static void Shirt(IDrawables<byte> d, MagickColor a, MagickColor dark, MagickColor light)
    {
        d.FillColor(a).Polygon(new PointD(300, 200), new PointD(360, 190), new PointD(400, 225), new PointD(440, 190), new PointD(500, 200),
            new PointD(620, 290), new PointD(570, 370), new PointD(520, 340), new PointD(520, 630), new PointD(280, 630), new PointD(280, 340),
            new PointD(230, 370), new PointD(180, 290));
        d.FillColor(dark).Polygon(new PointD(360, 190), new PointD(400, 225), new PointD(440, 190), new PointD(425, 185), new PointD(400, 205), new PointD(375, 185));
        d.FillColor(light).Rectangle(280, 420, 520, 460);
        d.FillColor(light).Polygon(new PointD(180, 290), new PointD(215, 265), new PointD(265, 345), new PointD(230, 370));
        d.FillColor(light).Polygon(new PointD(620, 290), new PointD(585, 265), new PointD(535, 345), new PointD(570, 370));
    }

    private static void Clock(IDrawables<byte> d, MagickColor a, MagickColor dark, MagickColor white)
    {
        d.FillColor(a).Ellipse(400, 400, 200, 200, 0, 360);
        d.FillColor(white).Ellipse(400, 400, 170, 170, 0, 360);
        d.FillColor(dark);
        for (var i = 0; i < 12; i++)
        {
            var angle = i * Math.PI / 6;
            d.Ellipse(400 + 145 * Math.Sin(angle), 400 - 145 * Math.Cos(angle), i % 3 == 0 ? 9 : 5, i % 3 == 0 ? 9 : 5, 0, 360);
        }
        Stroke(d, dark, 12); d.Line(400, 400, 400, 290); Stroke(d, dark, 8); d.Line(400, 400, 480, 440); NoStroke(d);
        d.FillColor(a).Ellipse(400, 400, 14, 14, 0, 360);
    }

    private static void Frame(IDrawables<byte> d, MagickColor a, MagickColor dark, MagickColor light, int hue)
    {
        d.FillColor(dark).Rectangle(220, 200, 580, 620);
        d.FillColor(new MagickColor("#f7f4ee")).Rectangle(250, 230, 550, 590);
        d.FillColor(Hsl((hue + 180) % 360, 0.45, 0.80)).Rectangle(280, 260, 520, 560);
        d.FillColor(new MagickColor("#f2c14e")).Ellipse(460, 320, 30, 30, 0, 360);
        d.FillColor(a).Polygon(new PointD(280, 560), new PointD(370, 400), new PointD(440, 500), new PointD(480, 450), new PointD(520, 520), new PointD(520, 560));
        d.FillColor(light).Polygon(new PointD(370, 400), new PointD(395, 445), new PointD(345, 445));
    }

    private static void SideTable(IDrawables<byte> d, MagickColor a, MagickColor dark)
    {
        d.FillColor(dark).Polygon(new PointD(300, 380), new PointD(320, 380), new PointD(290, 640), new PointD(270, 640));
        d.FillColor(dark).Polygon(new PointD(480, 380), new PointD(500, 380), new PointD(530, 640), new PointD(510, 640));
        d.FillColor(dark).Rectangle(395, 380, 410, 610);
        d.FillColor(a).Ellipse(400, 370, 190, 46, 0, 360);
        d.FillColor(Shine(70)).Ellipse(380, 362, 140, 24, 0, 360);
        d.FillColor(new MagickColor("#6f9f6a")).Ellipse(450, 300, 26, 40, 0, 360);
        d.FillColor(new MagickColor("#c97b4a")).RoundRectangle(425, 320, 475, 365, 8, 8);
    }

    private static void Mouse(IDrawables<byte> d, MagickColor a, MagickColor dark, MagickColor light)
    {
        d.FillColor(a).Ellipse(400, 460, 120, 175, 0, 360);
        Stroke(d, dark, 6); d.Line(400, 290, 400, 420); d.Line(285, 420, 515, 420); NoStroke(d);
        d.FillColor(dark).RoundRectangle(388, 330, 412, 385, 10, 10);
        d.FillColor(Shine(70)).Ellipse(340, 520, 24, 70, 0, 360);
        d.FillColor(light).Ellipse(400, 600, 50, 10, 0, 360);
    }

    private static void Keyboard(IDrawables<byte> d, MagickColor a, MagickColor dark, MagickColor white)
    {
        d.FillColor(a).RoundRectangle(130, 420, 670, 620, 22, 22);
        d.FillColor(white);
        for (var row = 0; row < 4; row++)
        for (var col = 0; col < 11; col++)
            d.RoundRectangle(152 + col * 46, 440 + row * 42, 188 + col * 46, 474 + row * 42, 6, 6);
        d.FillColor(dark).RoundRectangle(290, 612, 510, 618, 3, 3);
    }

    private static void Hub(IDrawables<byte> d, MagickColor a, MagickColor dark)
    {
        Stroke(d, dark, 14); d.Line(220, 520, 120, 480); NoStroke(d);
        d.FillColor(a).RoundRectangle(220, 470, 600, 590, 30, 30);
        d.FillColor(dark);
        for (var i = 0; i < 4; i++) d.RoundRectangle(270 + i * 80, 515, 320 + i * 80, 540, 4, 4);
        d.FillColor(new MagickColor("#7ee2a0")).Ellipse(570, 500, 7, 7, 0, 360);
    }

    private static void Webcam(IDrawables<byte> d, MagickColor a, MagickColor dark)
    {
        d.FillColor(dark).Polygon(new PointD(370, 460), new PointD(430, 460), new PointD(470, 630), new PointD(330, 630));
        d.FillColor(a).RoundRectangle(230, 290, 570, 470, 90, 90);
        d.FillColor(new MagickColor("#1f2430")).Ellipse(400, 380, 70, 70, 0, 360);
        d.FillColor(new MagickColor("#3b4a6b")).Ellipse(400, 380, 42, 42, 0, 360);
        d.FillColor(Shine(150)).Ellipse(385, 365, 12, 12, 0, 360);
    }

    private static void Headset(IDrawables<byte> d, MagickColor a, MagickColor dark, MagickColor light)
    {
        Stroke(d, dark, 30); d.Ellipse(400, 420, 170, 190, 180, 360); NoStroke(d);
        d.FillColor(a).RoundRectangle(195, 400, 285, 580, 40, 40).RoundRectangle(515, 400, 605, 580, 40, 40);
        d.FillColor(light).RoundRectangle(265, 420, 295, 560, 12, 12).RoundRectangle(505, 420, 535, 560, 12, 12);
    }

    private static void Pan(IDrawables<byte> d, MagickColor a, MagickColor dark)
    {
        d.FillColor(new MagickColor("#2f2f35")).RoundRectangle(520, 470, 700, 500, 14, 14);
        d.FillColor(a).Ellipse(360, 500, 200, 110, 0, 360);
        d.FillColor(new MagickColor("#33363d")).Ellipse(360, 490, 175, 90, 0, 360);
        d.FillColor(Shine(40)).Ellipse(320, 470, 80, 30, 0, 360);
        d.FillColor(dark).Ellipse(560, 485, 12, 10, 0, 360);
    }

    private static void KnifeBlock(IDrawables<byte> d, MagickColor a, MagickColor dark)
    {
        d.FillColor(new MagickColor("#1f2329"));
        for (var i = 0; i < 4; i++) d.RoundRectangle(300 + i * 50, 220 + i * 15, 330 + i * 50, 360, 10, 10);
        d.FillColor(a).Polygon(new PointD(260, 350), new PointD(540, 350), new PointD(580, 640), new PointD(230, 640));
        d.FillColor(dark).Rectangle(230, 600, 580, 640);
        d.FillColor(Shine(50)).Polygon(new PointD(270, 370), new PointD(300, 370), new PointD(280, 590), new PointD(250, 590));
    }

    private static void Kettle(IDrawables<byte> d, MagickColor a, MagickColor dark, MagickColor light)
    {
        Stroke(d, dark, 24); d.Ellipse(400, 330, 110, 90, 180, 360); NoStroke(d);
        d.FillColor(a).Polygon(new PointD(230, 420), new PointD(170, 340), new PointD(200, 330), new PointD(280, 400));
        d.FillColor(a).RoundRectangle(250, 340, 550, 630, 70, 70);
        d.FillColor(dark).Rectangle(250, 600, 550, 630);
        d.FillColor(light).Ellipse(400, 345, 110, 18, 0, 360);
        d.FillColor(Shine(70)).RoundRectangle(280, 380, 305, 580, 12, 12);
    }

    private static void Jars(IDrawables<byte> d, MagickColor a, MagickColor dark, MagickColor light)
    {
        foreach (var (x, top, w) in new[] { (200, 420, 120), (340, 330, 130), (490, 460, 110) })
        {
            d.FillColor(dark).RoundRectangle(x - 4, top - 30, x + w + 4, top + 4, 8, 8);
            d.FillColor(Shine(150)).RoundRectangle(x, top, x + w, 630, 20, 20);
            d.FillColor(a).RoundRectangle(x + 8, top + (630 - top) / 3, x + w - 8, 622, 14, 14);
            d.FillColor(light).Rectangle(x + 20, top + 30, x + w - 20, top + 60);
        }
    }

    private static void CuttingBoard(IDrawables<byte> d)
    {
        d.FillColor(new MagickColor("#b98a55")).RoundRectangle(210, 250, 590, 630, 40, 40);
        d.FillColor(new MagickColor("#a27645")).RoundRectangle(240, 290, 560, 600, 26, 26);
        d.FillColor(new MagickColor("#c99b66")).Ellipse(400, 285, 26, 16, 0, 360);
        Stroke(d, new MagickColor(90, 60, 30, 60), 4);
        for (var y = 330; y < 590; y += 45) d.Line(260, y, 540, y + 10);
        NoStroke(d);
    }

    private static void Wallet(IDrawables<byte> d, MagickColor a, MagickColor dark)
    {
        d.FillColor(a).RoundRectangle(190, 360, 610, 620, 30, 30);
        d.FillColor(dark).RoundRectangle(440, 440, 640, 540, 22, 22);
        d.FillColor(new MagickColor("#e7c873")).Ellipse(480, 490, 14, 14, 0, 360);
        Stroke(d, new MagickColor(255, 255, 255, 110), 3); d.RoundRectangle(206, 376, 594, 604, 22, 22); NoStroke(d);
    }

    private static void Keyring(IDrawables<byte> d, MagickColor a, MagickColor dark)
    {
        Stroke(d, new MagickColor("#b9bec7"), 14); d.Ellipse(330, 330, 80, 80, 0, 360); NoStroke(d);
        d.FillColor(a).RoundRectangle(350, 380, 520, 470, 40, 40);
        d.FillColor(new MagickColor("#c9a94f")).Ellipse(440, 520, 50, 50, 0, 360);
        d.FillColor(new MagickColor("#c9a94f")).Rectangle(430, 560, 450, 640).Rectangle(450, 600, 475, 612).Rectangle(450, 625, 470, 637);
        d.FillColor(dark).Ellipse(440, 520, 16, 16, 0, 360);
    }

    private static void Candle(IDrawables<byte> d, MagickColor a, MagickColor dark, MagickColor white)
    {
        d.FillColor(a).RoundRectangle(270, 380, 530, 630, 30, 30);
        d.FillColor(white).RoundRectangle(300, 450, 500, 560, 10, 10);
        d.FillColor(dark).Rectangle(330, 490, 470, 500).Rectangle(350, 515, 450, 523);
        d.FillColor(new MagickColor("#f4e6c8")).Ellipse(400, 385, 130, 22, 0, 360);
        Stroke(d, new MagickColor("#333333"), 5); d.Line(400, 385, 400, 350); NoStroke(d);
        d.FillColor(new MagickColor("#f6a623")).Ellipse(400, 320, 20, 38, 0, 360);
        d.FillColor(new MagickColor("#ffe08a")).Ellipse(400, 330, 9, 20, 0, 360);
    }

    private static void Bear(IDrawables<byte> d, MagickColor a, MagickColor dark, MagickColor light)
    {
        d.FillColor(a).Ellipse(400, 520, 130, 120, 0, 360);
        d.FillColor(a).Ellipse(290, 600, 55, 40, 0, 360).Ellipse(510, 600, 55, 40, 0, 360);
        d.FillColor(a).Ellipse(310, 230, 45, 45, 0, 360).Ellipse(490, 230, 45, 45, 0, 360);
        d.FillColor(light).Ellipse(310, 230, 24, 24, 0, 360).Ellipse(490, 230, 24, 24, 0, 360);
        d.FillColor(a).Ellipse(400, 320, 115, 105, 0, 360);
        d.FillColor(light).Ellipse(400, 355, 50, 38, 0, 360).Ellipse(400, 530, 70, 70, 0, 360);
        d.FillColor(dark).Ellipse(360, 300, 11, 11, 0, 360).Ellipse(440, 300, 11, 11, 0, 360).Ellipse(400, 342, 16, 11, 0, 360);
    }

    private static void Car(IDrawables<byte> d, MagickColor a, MagickColor dark, MagickColor white)
    {
        d.FillColor(a).RoundRectangle(160, 450, 640, 580, 40, 40);
        d.FillColor(a).Polygon(new PointD(260, 455), new PointD(320, 360), new PointD(500, 360), new PointD(570, 455));
        d.FillColor(Shine(170)).Polygon(new PointD(290, 450), new PointD(335, 380), new PointD(400, 380), new PointD(400, 450));
        d.FillColor(Shine(170)).Polygon(new PointD(420, 450), new PointD(420, 380), new PointD(490, 380), new PointD(540, 450));
        d.FillColor(new MagickColor("#23262d")).Ellipse(270, 585, 55, 55, 0, 360).Ellipse(530, 585, 55, 55, 0, 360);
        d.FillColor(white).Ellipse(270, 585, 22, 22, 0, 360).Ellipse(530, 585, 22, 22, 0, 360);
        d.FillColor(new MagickColor("#ffe08a")).RoundRectangle(610, 480, 640, 505, 6, 6);
        d.FillColor(dark).Rectangle(160, 530, 640, 540);
    }

    private static void Kite(IDrawables<byte> d, int hue)
    {
        Stroke(d, new MagickColor("#6b6b6b"), 4); d.Bezier(new PointD(400, 520), new PointD(330, 580), new PointD(470, 600), new PointD(380, 660)); NoStroke(d);
        d.FillColor(Hsl(hue, 0.7, 0.55)).Polygon(new PointD(400, 140), new PointD(560, 330), new PointD(400, 520), new PointD(240, 330));
        d.FillColor(Hsl((hue + 40) % 360, 0.7, 0.62)).Polygon(new PointD(400, 140), new PointD(560, 330), new PointD(400, 330));
        d.FillColor(Hsl((hue + 200) % 360, 0.6, 0.58)).Polygon(new PointD(240, 330), new PointD(400, 330), new PointD(400, 520));
        foreach (var (x, y) in new[] { (370, 570), (420, 610), (385, 645) })
            d.FillColor(Hsl((hue + 120) % 360, 0.7, 0.55)).Polygon(new PointD(x - 16, y), new PointD(x, y - 12), new PointD(x + 16, y), new PointD(x, y + 12));
    }

    private static void Puzzle(IDrawables<byte> d, int hue)
    {
        for (var i = 0; i < 4; i++)
        {
            var (x, y) = (250 + i % 2 * 150, 300 + i / 2 * 150);
            var c = Hsl((hue + i * 90) % 360, 0.65, 0.58);
            d.FillColor(c).RoundRectangle(x, y, x + 146, y + 146, 10, 10);
            if (i % 2 == 0) d.FillColor(c).Ellipse(x + 150, y + 73, 24, 24, 0, 360);
            if (i < 2) d.FillColor(c).Ellipse(x + 73, y + 150, 24, 24, 0, 360);
        }
    }

    private static void BoardGame(IDrawables<byte> d, int hue, MagickColor white)
    {
        d.FillColor(Hsl(hue, 0.55, 0.45)).RoundRectangle(170, 360, 630, 620, 16, 16);
        d.FillColor(white).RoundRectangle(200, 390, 600, 590, 8, 8);
        for (var row = 0; row < 4; row++)
        for (var col = 0; col < 8; col++)
            if ((row + col) % 2 == 0) d.FillColor(Hsl((hue + 180) % 360, 0.5, 0.6)).Rectangle(200 + col * 50, 390 + row * 50, 250 + col * 50, 440 + row * 50);
        d.FillColor(Hsl((hue + 60) % 360, 0.8, 0.5)).Ellipse(300, 330, 26, 26, 0, 360);
        d.FillColor(Hsl((hue + 240) % 360, 0.8, 0.5)).Ellipse(500, 330, 26, 26, 0, 360);
    }

    private static int Hash(string text)
    {
        // FNV-1a: stable across runs and platforms (string.GetHashCode is randomised per process).
        var h = 2166136261u;
        foreach (var c in text) h = (h ^ c) * 16777619u;
        return (int)(h & 0x7fffffff);
    }

    private static MagickColor Hsl(int hue, double saturation, double lightness)
    {
        var c = (1 - Math.Abs(2 * lightness - 1)) * saturation;
        var x = c * (1 - Math.Abs(hue / 60.0 % 2 - 1));
        var m = lightness - c / 2;
        var (r, g, b) = (hue / 60) switch
        {
            0 => (c, x, 0.0), 1 => (x, c, 0.0), 2 => (0.0, c, x), 3 => (0.0, x, c), 4 => (x, 0.0, c), _ => (c, 0.0, x),
        };
        static byte Byte(double v) => (byte)Math.Clamp(Math.Round(v * 255), 0, 255);
        return new MagickColor(Byte(r + m), Byte(g + m), Byte(b + m));
    }
}
