using System.Diagnostics;

namespace RealtimeSeg.Evaluation.Mot;

/// <summary>
/// Exact minimum-cost assignment for a rectangular matrix of doubles, equivalent to
/// <c>scipy.optimize.linear_sum_assignment</c> (scipy ≥ 1.6): the shortest augmenting path method of
/// Crouse (2016) as scipy implements it, including its order of scanning columns and its choice among equal
/// path costs. TrackEval's figures depend on which of several optimal matchings is returned (equal IoUs, the
/// CLEAR 1000× continuation bonus), so the same optimum is not enough: the same <em>choice</em> is needed, and
/// that is why this is a faithful re-implementation rather than any Hungarian solver.
/// </summary>
/// <remarks>
/// One instance reuses its buffers across calls (an evaluation solves one problem per frame); not thread-safe.
/// Every row is matched when rows ≤ columns, otherwise every column; pairs come back sorted by row, as scipy
/// returns them.
/// </remarks>
internal sealed class LinearSumAssignment
{
    private double[] _transposed = [];
    private double[] _u = [];
    private double[] _v = [];
    private double[] _shortestPathCosts = [];
    private int[] _path = [];
    private int[] _col4row = [];
    private int[] _row4col = [];
    private bool[] _sr = [];
    private bool[] _sc = [];
    private int[] _remaining = [];

    /// <summary>
    /// Solves min Σ cost[row, col] over a complete matching of the smaller side of a row-major
    /// <paramref name="rows"/> × <paramref name="cols"/> matrix.
    /// </summary>
    /// <returns>The number of pairs, min(rows, cols); pair k is (<paramref name="rowOf"/>[k], <paramref name="colOf"/>[k]), ascending rows.</returns>
    /// <exception cref="ArgumentException">The matrix holds NaN or −∞ (scipy rejects these too).</exception>
    public int Solve(ReadOnlySpan<double> cost, int rows, int cols, Span<int> rowOf, Span<int> colOf)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(cols);
        if (cost.Length < rows * cols)
        {
            throw new ArgumentException($"cost holds {cost.Length} values, fewer than {rows}×{cols}", nameof(cost));
        }
        int pairs = Math.Min(rows, cols);
        if (rowOf.Length < pairs || colOf.Length < pairs)
        {
            throw new ArgumentException($"output spans must hold {pairs} pairs");
        }
        if (pairs == 0)
        {
            return 0;
        }

        // The method needs at least as many columns as rows: a tall matrix is solved transposed.
        bool transpose = cols < rows;
        ReadOnlySpan<double> c = cost[..(rows * cols)];
        int nr = rows, nc = cols;
        if (transpose)
        {
            EnsureCapacity(ref _transposed, rows * cols);
            for (int i = 0; i < rows; i++)
            {
                for (int j = 0; j < cols; j++)
                {
                    _transposed[j * rows + i] = cost[i * cols + j];
                }
            }
            c = _transposed.AsSpan(0, rows * cols);
            nr = cols;
            nc = rows;
        }
        foreach (double x in c)
        {
            if (double.IsNaN(x) || double.IsNegativeInfinity(x))
            {
                throw new ArgumentException("cost matrix contains NaN or -infinity", nameof(cost));
            }
        }

        Prepare(nr, nc);
        for (int curRow = 0; curRow < nr; curRow++)
        {
            int sink = AugmentingPath(c, nr, nc, curRow, out double minVal);
            if (sink < 0)
            {
                // Only reachable with +∞ entries that leave a row without any finite column.
                throw new ArgumentException("cost matrix is infeasible", nameof(cost));
            }

            _u[curRow] += minVal;
            for (int i = 0; i < nr; i++)
            {
                if (_sr[i] && i != curRow)
                {
                    _u[i] += minVal - _shortestPathCosts[_col4row[i]];
                }
            }
            for (int j = 0; j < nc; j++)
            {
                if (_sc[j])
                {
                    _v[j] -= minVal - _shortestPathCosts[j];
                }
            }

            int col = sink;
            while (true)
            {
                int i = _path[col];
                _row4col[col] = i;
                (_col4row[i], col) = (col, _col4row[i]);
                if (i == curRow)
                {
                    break;
                }
            }
        }

        AssertInvariants(nr, nc);
        if (!transpose)
        {
            for (int i = 0; i < nr; i++)
            {
                rowOf[i] = i;
                colOf[i] = _col4row[i];
            }
            return nr;
        }

        // Transposed: _col4row maps original columns to original rows; order the pairs by original row.
        // Rows are distinct, so the order is unique (scipy's unstable sort cannot differ).
        for (int k = 0; k < nr; k++)
        {
            rowOf[k] = _col4row[k];
            colOf[k] = k;
        }
        rowOf[..nr].Sort(colOf[..nr]);
        return nr;
    }

    private int AugmentingPath(ReadOnlySpan<double> cost, int nr, int nc, int i, out double minValOut)
    {
        double minVal = 0;
        int numRemaining = nc;
        for (int it = 0; it < nc; it++)
        {
            // Reverse order: scipy's choice, which makes a constant matrix solve to the identity.
            _remaining[it] = nc - it - 1;
        }
        Array.Clear(_sr, 0, nr);
        Array.Clear(_sc, 0, nc);
        _shortestPathCosts.AsSpan(0, nc).Fill(double.PositiveInfinity);

        int sink = -1;
        while (sink == -1)
        {
            int index = -1;
            double lowest = double.PositiveInfinity;
            _sr[i] = true;
            double ui = _u[i];
            int rowBase = i * nc;
            for (int it = 0; it < numRemaining; it++)
            {
                int j = _remaining[it];
                // Same association as scipy's ((minVal + c) − u) − v: the last bit decides near-ties.
                double r = minVal + cost[rowBase + j] - ui - _v[j];
                if (r < _shortestPathCosts[j])
                {
                    _path[j] = i;
                    _shortestPathCosts[j] = r;
                }
                // Among equal costs prefer a free column: it ends the path (scipy's rule).
                if (_shortestPathCosts[j] < lowest || (_shortestPathCosts[j] == lowest && _row4col[j] == -1))
                {
                    lowest = _shortestPathCosts[j];
                    index = it;
                }
            }

            minVal = lowest;
            if (double.IsPositiveInfinity(minVal))
            {
                minValOut = minVal;
                return -1;
            }
            int col = _remaining[index];
            if (_row4col[col] == -1)
            {
                sink = col;
            }
            else
            {
                i = _row4col[col];
            }
            _sc[col] = true;
            _remaining[index] = _remaining[--numRemaining];
        }
        minValOut = minVal;
        return sink;
    }

    /// <summary>A complete matching of the rows whose two directions agree.</summary>
    [Conditional("DEBUG")]
    private void AssertInvariants(int nr, int nc)
    {
        int matchedColumns = 0;
        for (int j = 0; j < nc; j++)
        {
            if (_row4col[j] >= 0)
            {
                matchedColumns++;
                Debug.Assert(_col4row[_row4col[j]] == j, "row4col and col4row disagree");
            }
        }
        Debug.Assert(matchedColumns == nr, "every row of a wide problem is matched");
        for (int i = 0; i < nr; i++)
        {
            Debug.Assert(_col4row[i] >= 0 && _col4row[i] < nc, "row left unmatched");
        }
    }

    private void Prepare(int nr, int nc)
    {
        Debug.Assert(nr <= nc, "the method runs on wide matrices only");
        EnsureCapacity(ref _u, nr);
        EnsureCapacity(ref _v, nc);
        EnsureCapacity(ref _shortestPathCosts, nc);
        EnsureCapacity(ref _path, nc);
        EnsureCapacity(ref _col4row, Math.Max(nr, nc));
        EnsureCapacity(ref _row4col, nc);
        EnsureCapacity(ref _sr, nr);
        EnsureCapacity(ref _sc, nc);
        EnsureCapacity(ref _remaining, nc);
        Array.Clear(_u, 0, nr);
        Array.Clear(_v, 0, nc);
        _path.AsSpan(0, nc).Fill(-1);
        _col4row.AsSpan(0, nr).Fill(-1);
        _row4col.AsSpan(0, nc).Fill(-1);
    }

    private static void EnsureCapacity<T>(ref T[] buffer, int length)
    {
        if (buffer.Length < length)
        {
            buffer = new T[Math.Max(length, buffer.Length * 2)];
        }
    }
}
