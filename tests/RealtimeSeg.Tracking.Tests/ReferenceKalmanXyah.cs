using RealtimeSeg.Core;

namespace RealtimeSeg.Tracking.Tests;

/// <summary>
/// ByteTrack's KalmanFilterXYAH written out with full 8×8 matrices, straight from the reference Python, to check
/// that the tracker's four 2×2 blocks compute the same thing.
/// </summary>
internal sealed class ReferenceKalmanXyah
{
    private const double Wp = 1d / 20d;
    private const double Wv = 1d / 160d;

    public ReferenceKalmanXyah(BoundingBox box)
    {
        double h = box.Height;
        Mean = [box.CenterX, box.CenterY, box.Width / (double)box.Height, h, 0, 0, 0, 0];
        double[] std = [2 * Wp * h, 2 * Wp * h, 1e-2, 2 * Wp * h, 10 * Wv * h, 10 * Wv * h, 1e-5, 10 * Wv * h];
        Cov = Diag(std);
    }

    public double[] Mean { get; private set; }
    public double[,] Cov { get; private set; }

    public void Predict()
    {
        double h = Mean[3];
        double[] std = [Wp * h, Wp * h, 1e-2, Wp * h, Wv * h, Wv * h, 1e-5, Wv * h];
        double[,] f = Identity(8);
        for (int i = 0; i < 4; i++)
        {
            f[i, i + 4] = 1;
        }
        Mean = Mul(f, Mean);
        Cov = Add(Mul(Mul(f, Cov), Transpose(f)), Diag(std));
    }

    public void Update(BoundingBox z)
    {
        double h = Mean[3];
        double[] std = [Wp * h, Wp * h, 1e-1, Wp * h];
        double[,] hm = new double[4, 8];
        for (int i = 0; i < 4; i++)
        {
            hm[i, i] = 1;
        }
        double[] projMean = Mul(hm, Mean);
        double[,] s = Add(Mul(Mul(hm, Cov), Transpose(hm)), Diag(std));
        double[,] k = Mul(Mul(Cov, Transpose(hm)), Inverse(s));
        double[] meas = [z.CenterX, z.CenterY, z.Width / (double)z.Height, z.Height];
        double[] innovation = new double[4];
        for (int i = 0; i < 4; i++)
        {
            innovation[i] = meas[i] - projMean[i];
        }
        double[] dx = Mul(k, innovation);
        for (int i = 0; i < 8; i++)
        {
            Mean[i] += dx[i];
        }
        Cov = Sub(Cov, Mul(Mul(k, s), Transpose(k)));
    }

    private static double[,] Diag(double[] std)
    {
        var m = new double[std.Length, std.Length];
        for (int i = 0; i < std.Length; i++)
        {
            m[i, i] = std[i] * std[i];
        }
        return m;
    }

    private static double[,] Identity(int n)
    {
        var m = new double[n, n];
        for (int i = 0; i < n; i++)
        {
            m[i, i] = 1;
        }
        return m;
    }

    private static double[,] Mul(double[,] a, double[,] b)
    {
        int n = a.GetLength(0), k = a.GetLength(1), m = b.GetLength(1);
        var r = new double[n, m];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < m; j++)
            {
                double s = 0;
                for (int x = 0; x < k; x++)
                {
                    s += a[i, x] * b[x, j];
                }
                r[i, j] = s;
            }
        }
        return r;
    }

    private static double[] Mul(double[,] a, double[] v)
    {
        var r = new double[a.GetLength(0)];
        for (int i = 0; i < r.Length; i++)
        {
            for (int x = 0; x < v.Length; x++)
            {
                r[i] += a[i, x] * v[x];
            }
        }
        return r;
    }

    private static double[,] Transpose(double[,] a)
    {
        var r = new double[a.GetLength(1), a.GetLength(0)];
        for (int i = 0; i < a.GetLength(0); i++)
        {
            for (int j = 0; j < a.GetLength(1); j++)
            {
                r[j, i] = a[i, j];
            }
        }
        return r;
    }

    private static double[,] Add(double[,] a, double[,] b) => Combine(a, b, 1);
    private static double[,] Sub(double[,] a, double[,] b) => Combine(a, b, -1);

    private static double[,] Combine(double[,] a, double[,] b, double sign)
    {
        var r = new double[a.GetLength(0), a.GetLength(1)];
        for (int i = 0; i < a.GetLength(0); i++)
        {
            for (int j = 0; j < a.GetLength(1); j++)
            {
                r[i, j] = a[i, j] + sign * b[i, j];
            }
        }
        return r;
    }

    // Gauss–Jordan with partial pivoting; S is small, symmetric and positive definite.
    private static double[,] Inverse(double[,] a)
    {
        int n = a.GetLength(0);
        var m = new double[n, 2 * n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                m[i, j] = a[i, j];
            }
            m[i, n + i] = 1;
        }
        for (int c = 0; c < n; c++)
        {
            int pivot = c;
            for (int r = c + 1; r < n; r++)
            {
                if (Math.Abs(m[r, c]) > Math.Abs(m[pivot, c]))
                {
                    pivot = r;
                }
            }
            for (int j = 0; j < 2 * n; j++)
            {
                (m[c, j], m[pivot, j]) = (m[pivot, j], m[c, j]);
            }
            double d = m[c, c];
            for (int j = 0; j < 2 * n; j++)
            {
                m[c, j] /= d;
            }
            for (int r = 0; r < n; r++)
            {
                if (r == c)
                {
                    continue;
                }
                double factor = m[r, c];
                for (int j = 0; j < 2 * n; j++)
                {
                    m[r, j] -= factor * m[c, j];
                }
            }
        }
        var inv = new double[n, n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                inv[i, j] = m[i, n + j];
            }
        }
        return inv;
    }
}
