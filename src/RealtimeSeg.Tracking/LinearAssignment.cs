using System.Diagnostics;

namespace RealtimeSeg.Tracking;

/// <summary>
/// Minimum-cost rectangular assignment with a cost limit, over buffers allocated once.
/// <para>
/// Semantics are those of ByteTrack's <c>lap.lapjv(cost, extend_cost=True, cost_limit=L)</c>: leaving a row or a
/// column unmatched costs L/2, so the solver picks the matching that minimises Σ (c − L) over matched pairs and
/// never keeps a pair with c ≥ L. That problem is solved exactly by a complete assignment on
/// c' = min(c, L) − L ≤ 0 (a pair at c' = 0 is the same as leaving both unmatched), which is what runs here:
/// the shortest-augmenting-path Hungarian method with potentials (Kuhn–Munkres in the Jonker–Volgenant form),
/// O(n²m) worst case and close to O(nm) on the sparse, well-separated IoU matrices a tracker sees.
/// </para>
/// </summary>
internal sealed class LinearAssignment
{
    private readonly int _maxRows;
    private readonly int _maxCols;
    private readonly float[] _work;   // n × m, n ≤ m, clamped and shifted costs
    private readonly double[] _u;     // row potentials, 1-based
    private readonly double[] _v;     // column potentials, 1-based
    private readonly double[] _minv;
    private readonly int[] _p;        // _p[j] = row (1-based) assigned to column j, 0 = none
    private readonly int[] _way;
    private readonly bool[] _used;

    public LinearAssignment(int maxRows, int maxCols)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxRows);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCols);
        _maxRows = maxRows;
        _maxCols = maxCols;
        int big = Math.Max(maxRows, maxCols);
        _work = new float[checked(maxRows * maxCols)];
        _u = new double[big + 1];
        _v = new double[big + 1];
        _minv = new double[big + 1];
        _p = new int[big + 1];
        _way = new int[big + 1];
        _used = new bool[big + 1];
    }

    /// <summary>
    /// Solves the assignment for a row-major <paramref name="rows"/> × <paramref name="cols"/> matrix.
    /// A pair is matched only if its cost is strictly below <paramref name="costLimit"/> (NaN never matches).
    /// </summary>
    /// <returns>The number of matched pairs; <paramref name="rowToCol"/>/<paramref name="colToRow"/> hold the partner or −1.</returns>
    public int Solve(ReadOnlySpan<float> cost, int rows, int cols, float costLimit, Span<int> rowToCol, Span<int> colToRow)
    {
        Debug.Assert(rows >= 0 && rows <= _maxRows && cols >= 0 && cols <= _maxCols, "matrix exceeds the preallocated size");
        Debug.Assert(cost.Length >= rows * cols && rowToCol.Length >= rows && colToRow.Length >= cols);
        rowToCol[..rows].Fill(-1);
        colToRow[..cols].Fill(-1);
        if (rows == 0 || cols == 0)
        {
            return 0;
        }

        bool transposed = rows > cols;
        int n = transposed ? cols : rows;
        int m = transposed ? rows : cols;
        bool anyBelowLimit = false;
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<float> src = cost.Slice(r * cols, cols);
            for (int c = 0; c < cols; c++)
            {
                float v = src[c];
                // NaN and anything at or above the limit become 0: "as good as unmatched".
                float shifted = v < costLimit ? v - costLimit : 0f;
                anyBelowLimit |= shifted < 0f;
                _work[transposed ? c * m + r : r * m + c] = shifted;
            }
        }
        if (!anyBelowLimit)
        {
            return 0;
        }

        SolveSquareOrWide(n, m);

        int matches = 0;
        for (int j = 1; j <= m; j++)
        {
            int i = _p[j];
            if (i == 0 || _work[(i - 1) * m + (j - 1)] >= 0f)
            {
                continue;
            }
            int row = transposed ? j - 1 : i - 1;
            int col = transposed ? i - 1 : j - 1;
            rowToCol[row] = col;
            colToRow[col] = row;
            matches++;
        }
        return matches;
    }

    // e-maxx formulation: rows are inserted one at a time and each is routed to a free column along a
    // shortest augmenting path in reduced costs (a Dijkstra over columns), keeping u[i] + v[j] ≤ a[i][j].
    private void SolveSquareOrWide(int n, int m)
    {
        Debug.Assert(n <= m);
        Array.Clear(_u, 0, n + 1);
        Array.Clear(_v, 0, m + 1);
        Array.Clear(_p, 0, m + 1);
        Array.Clear(_way, 0, m + 1);
        float[] a = _work;
        for (int i = 1; i <= n; i++)
        {
            _p[0] = i;
            int j0 = 0;
            _minv.AsSpan(0, m + 1).Fill(double.PositiveInfinity);
            Array.Clear(_used, 0, m + 1);
            do
            {
                _used[j0] = true;
                int i0 = _p[j0];
                double delta = double.PositiveInfinity;
                int j1 = 0;
                int rowBase = (i0 - 1) * m - 1;
                double ui0 = _u[i0];
                for (int j = 1; j <= m; j++)
                {
                    if (_used[j])
                    {
                        continue;
                    }
                    double cur = a[rowBase + j] - ui0 - _v[j];
                    if (cur < _minv[j])
                    {
                        _minv[j] = cur;
                        _way[j] = j0;
                    }
                    if (_minv[j] < delta)
                    {
                        delta = _minv[j];
                        j1 = j;
                    }
                }
                Debug.Assert(j1 != 0, "with n ≤ m a free column always exists");
                for (int j = 0; j <= m; j++)
                {
                    if (_used[j])
                    {
                        _u[_p[j]] += delta;
                        _v[j] -= delta;
                    }
                    else
                    {
                        _minv[j] -= delta;
                    }
                }
                j0 = j1;
            }
            while (_p[j0] != 0);

            do
            {
                int j1 = _way[j0];
                _p[j0] = _p[j1];
                j0 = j1;
            }
            while (j0 != 0);
        }
    }
}
