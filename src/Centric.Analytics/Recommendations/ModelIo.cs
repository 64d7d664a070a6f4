using System.Runtime.InteropServices;

namespace Centric.Analytics.Recommendations;

/// <summary>Bulk array reads and writes for the saved model (little-endian, as on every platform .NET ships for).</summary>
internal static class ModelIo
{
    public static void WriteFloats(BinaryWriter writer, ReadOnlySpan<float> values) => writer.Write(MemoryMarshal.AsBytes(values));

    public static void WriteInts(BinaryWriter writer, ReadOnlySpan<int> values) => writer.Write(MemoryMarshal.AsBytes(values));

    public static float[] ReadFloats(BinaryReader reader, int count)
    {
        var values = new float[CheckCount(count)];
        ReadExactly(reader, MemoryMarshal.AsBytes(values.AsSpan()));
        foreach (var v in values)
            if (!float.IsFinite(v)) throw new AnalyticsException("saved model holds a non-finite number; it is corrupt");
        return values;
    }

    public static int[] ReadInts(BinaryReader reader, int count)
    {
        var values = new int[CheckCount(count)];
        ReadExactly(reader, MemoryMarshal.AsBytes(values.AsSpan()));
        return values;
    }

    public static void WriteStrings(BinaryWriter writer, IReadOnlyList<string> values)
    {
        writer.Write(values.Count);
        foreach (var s in values) writer.Write(s);
    }

    public static string[] ReadStrings(BinaryReader reader)
    {
        var values = new string[CheckCount(reader.ReadInt32())];
        for (var k = 0; k < values.Length; k++) values[k] = reader.ReadString();
        return values;
    }

    public static int CheckCount(int count) =>
        count >= 0 && count <= Array.MaxLength ? count : throw new AnalyticsException("saved model is corrupt (bad length)");

    private static void ReadExactly(BinaryReader reader, Span<byte> into)
    {
        while (into.Length > 0)
        {
            var got = reader.Read(into);
            if (got == 0) throw new EndOfStreamException();
            into = into[got..];
        }
    }
}
