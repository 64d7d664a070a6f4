using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Centric.Analytics.Recommendations;

/// <summary>Inverse of a symmetric positive definite matrix in float, via Cholesky: A = L·Lᵀ, W = L⁻ᵀ, A⁻¹ = W·Wᵀ.</summary>
/// <remarks>Every inner loop is a dot product of two contiguous row segments, so rows stream through the cache
/// and four rows share each load. About n³/2 multiply-adds in all; the last two steps run rows in parallel.
/// Float is enough: EASE's ridge term keeps the condition number small.</remarks>
internal static class SymmetricInverse
{
    private const int Block = 4;

    /// <summary>Returns the full inverse of <paramref name="a"/> (row-major n×n; only its lower triangle is read,
    /// and it is overwritten).</summary>
    public static float[] Invert(float[] a, int n, int maxThreads)
    {
        if (a.Length < (long)n * n) throw new ArgumentException("matrix smaller than n×n", nameof(a));
        var diag = new float[n];
        Cholesky(a, n, diag);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, maxThreads) };
        var blocks = (n + Block - 1) / Block;
        // W = L⁻ᵀ goes into the upper triangle (diagonal included); L's diagonal lives on in diag.
        Parallel.For(0, blocks, parallel, b => InverseTransposeRows(a, n, diag, b * Block, Math.Min(n, b * Block + Block)));
        var p = new float[(long)n * n];
        Parallel.For(0, blocks, parallel, b => GramRows(a, p, n, b * Block, Math.Min(n, b * Block + Block)));
        return p;
    }

    private static void Cholesky(float[] a, int n, float[] diag)
    {
        ref var m = ref a[0];
        for (var i0 = 0; i0 < n; i0 += Block)
        {
            var i1 = Math.Min(n, i0 + Block);
            // Entries left of the diagonal block: rows j < i0 are final, four rows share each row j.
            if (i1 - i0 == Block)
            {
                for (var j = 0; j < i0; j++)
                {
                    Dot4(ref Unsafe.Add(ref m, i0 * n), ref Unsafe.Add(ref m, (i0 + 1) * n), ref Unsafe.Add(ref m, (i0 + 2) * n),
                        ref Unsafe.Add(ref m, (i0 + 3) * n), ref Unsafe.Add(ref m, j * n), j, out var s0, out var s1, out var s2, out var s3);
                    var inv = 1f / diag[j];
                    Unsafe.Add(ref m, i0 * n + j) = (Unsafe.Add(ref m, i0 * n + j) - s0) * inv;
                    Unsafe.Add(ref m, (i0 + 1) * n + j) = (Unsafe.Add(ref m, (i0 + 1) * n + j) - s1) * inv;
                    Unsafe.Add(ref m, (i0 + 2) * n + j) = (Unsafe.Add(ref m, (i0 + 2) * n + j) - s2) * inv;
                    Unsafe.Add(ref m, (i0 + 3) * n + j) = (Unsafe.Add(ref m, (i0 + 3) * n + j) - s3) * inv;
                }
            }
            else
            {
                for (var i = i0; i < i1; i++)
                    for (var j = 0; j < i0; j++)
                        Unsafe.Add(ref m, i * n + j) = (Unsafe.Add(ref m, i * n + j) - Dot(ref Unsafe.Add(ref m, i * n), ref Unsafe.Add(ref m, j * n), j)) / diag[j];
            }
            for (var i = i0; i < i1; i++)
            {
                for (var j = i0; j <= i; j++)
                {
                    var s = Unsafe.Add(ref m, i * n + j) - Dot(ref Unsafe.Add(ref m, i * n), ref Unsafe.Add(ref m, j * n), j);
                    if (j < i)
                    {
                        Unsafe.Add(ref m, i * n + j) = s / diag[j];
                    }
                    else
                    {
                        if (!(s > 0) || !float.IsFinite(s)) throw new AnalyticsException("item matrix is not positive definite; raise the ridge strength");
                        diag[i] = MathF.Sqrt(s);
                        Unsafe.Add(ref m, i * n + i) = diag[i];
                    }
                }
            }
        }
    }

    // Rows r in [r0, r1) of W = L⁻ᵀ: W[r,j] = (δrj − Σ_{k=r}^{j−1} W[r,k]·L[j,k]) / L[j,j], written over a[r, j ≥ r].
    private static void InverseTransposeRows(float[] a, int n, float[] diag, int r0, int r1)
    {
        ref var m = ref a[0];
        // The small triangle inside the block first, then the rest with a shared vector kernel.
        for (var r = r0; r < r1; r++)
        {
            for (var j = r; j < r1; j++)
            {
                if (j == r) { Unsafe.Add(ref m, r * n + r) = 1f / diag[r]; continue; }
                var s = 0f;
                for (var k = r; k < j; k++) s += Unsafe.Add(ref m, r * n + k) * Unsafe.Add(ref m, j * n + k);
                Unsafe.Add(ref m, r * n + j) = -s / diag[j];
            }
        }
        for (var j = r1; j < n; j++)
        {
            // Head terms k in [r, r1) differ per row; the tail k in [r1, j) is shared.
            ref var lj = ref Unsafe.Add(ref m, j * n);
            if (r1 - r0 == Block)
            {
                Dot4(ref Unsafe.Add(ref m, r0 * n + r1), ref Unsafe.Add(ref m, (r0 + 1) * n + r1), ref Unsafe.Add(ref m, (r0 + 2) * n + r1),
                    ref Unsafe.Add(ref m, (r0 + 3) * n + r1), ref Unsafe.Add(ref lj, r1), j - r1, out var s0, out var s1, out var s2, out var s3);
                Span<float> sums = [s0, s1, s2, s3];
                for (var r = r0; r < r1; r++)
                {
                    var s = sums[r - r0];
                    for (var k = r; k < r1; k++) s += Unsafe.Add(ref m, r * n + k) * Unsafe.Add(ref lj, k);
                    Unsafe.Add(ref m, r * n + j) = -s / diag[j];
                }
            }
            else
            {
                for (var r = r0; r < r1; r++)
                {
                    var s = Dot(ref Unsafe.Add(ref m, r * n + r1), ref Unsafe.Add(ref lj, r1), j - r1);
                    for (var k = r; k < r1; k++) s += Unsafe.Add(ref m, r * n + k) * Unsafe.Add(ref lj, k);
                    Unsafe.Add(ref m, r * n + j) = -s / diag[j];
                }
            }
        }
    }

    // Rows r in [r0, r1) of P = W·Wᵀ: P[r,c] = Σ_{k≥c} W[r,k]·W[c,k] for c ≥ r, mirrored to P[c,r].
    private static void GramRows(float[] w, float[] p, int n, int r0, int r1)
    {
        ref var m = ref w[0];
        for (var r = r0; r < r1; r++)
        {
            for (var c = r; c < r1; c++)
            {
                var s = Dot(ref Unsafe.Add(ref m, r * n + c), ref Unsafe.Add(ref m, c * n + c), n - c);
                p[(long)r * n + c] = s;
                p[(long)c * n + r] = s;
            }
        }
        for (var c = r1; c < n; c++)
        {
            ref var wc = ref Unsafe.Add(ref m, c * n + c);
            if (r1 - r0 == Block)
            {
                Dot4(ref Unsafe.Add(ref m, r0 * n + c), ref Unsafe.Add(ref m, (r0 + 1) * n + c), ref Unsafe.Add(ref m, (r0 + 2) * n + c),
                    ref Unsafe.Add(ref m, (r0 + 3) * n + c), ref wc, n - c, out var s0, out var s1, out var s2, out var s3);
                p[(long)r0 * n + c] = s0; p[(long)c * n + r0] = s0;
                p[(long)(r0 + 1) * n + c] = s1; p[(long)c * n + r0 + 1] = s1;
                p[(long)(r0 + 2) * n + c] = s2; p[(long)c * n + r0 + 2] = s2;
                p[(long)(r0 + 3) * n + c] = s3; p[(long)c * n + r0 + 3] = s3;
            }
            else
            {
                for (var r = r0; r < r1; r++)
                {
                    var s = Dot(ref Unsafe.Add(ref m, r * n + c), ref wc, n - c);
                    p[(long)r * n + c] = s;
                    p[(long)c * n + r] = s;
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Dot(ref float x, ref float y, int length)
    {
        var i = 0;
        var acc = Vector256<float>.Zero;
        for (; i <= length - 8; i += 8)
            acc = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref x, (nuint)i), Vector256.LoadUnsafe(ref y, (nuint)i), acc);
        var s = Vector256.Sum(acc);
        for (; i < length; i++) s += Unsafe.Add(ref x, i) * Unsafe.Add(ref y, i);
        return s;
    }

    // Four dot products against one shared row: one load of y feeds four multiply-adds.
    private static void Dot4(ref float x0, ref float x1, ref float x2, ref float x3, ref float y, int length,
        out float s0, out float s1, out float s2, out float s3)
    {
        var a0 = Vector256<float>.Zero;
        var a1 = Vector256<float>.Zero;
        var a2 = Vector256<float>.Zero;
        var a3 = Vector256<float>.Zero;
        var i = 0;
        for (; i <= length - 8; i += 8)
        {
            var v = Vector256.LoadUnsafe(ref y, (nuint)i);
            a0 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref x0, (nuint)i), v, a0);
            a1 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref x1, (nuint)i), v, a1);
            a2 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref x2, (nuint)i), v, a2);
            a3 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref x3, (nuint)i), v, a3);
        }
        s0 = Vector256.Sum(a0);
        s1 = Vector256.Sum(a1);
        s2 = Vector256.Sum(a2);
        s3 = Vector256.Sum(a3);
        for (; i < length; i++)
        {
            var v = Unsafe.Add(ref y, i);
            s0 += Unsafe.Add(ref x0, i) * v;
            s1 += Unsafe.Add(ref x1, i) * v;
            s2 += Unsafe.Add(ref x2, i) * v;
            s3 += Unsafe.Add(ref x3, i) * v;
        }
    }
}
