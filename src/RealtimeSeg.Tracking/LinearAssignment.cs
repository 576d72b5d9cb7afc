using System.Diagnostics;
using System.Numerics;

namespace RealtimeSeg.Tracking;

/// <summary>
/// Minimum-cost rectangular assignment with a cost limit, over buffers allocated once.
/// <para>
/// Semantics are those of ByteTrack's <c>lap.lapjv(cost, extend_cost=True, cost_limit=L)</c>: leaving a row or a
/// column unmatched costs L/2, so the solver picks the matching that minimises Σ (c − L) over matched pairs and
/// never keeps a pair with c ≥ L. That problem is solved exactly by a complete assignment on
/// c' = min(c, L) − L ≤ 0 (a pair at c' = 0 is the same as leaving both unmatched), which is what runs here:
/// the shortest-augmenting-path Hungarian method with potentials (Kuhn–Munkres in the Jonker–Volgenant form).
/// </para>
/// <para>
/// Because pairs at or over the limit contribute nothing, the problem splits exactly into the connected
/// components of the bipartite graph of pairs under the limit. Each component is solved on its own (a 1×1
/// component is a match outright), so tracks with no candidate — lost tracks, mostly — cost nothing, and the
/// O(n²m) worst case only applies within a cluster of mutually overlapping boxes.
/// </para>
/// </summary>
internal sealed class LinearAssignment
{
    private readonly int _maxRows;
    private readonly int _maxCols;
    private readonly float[] _work;   // n × m of one component, n ≤ m, shifted costs
    private readonly double[] _u;     // row potentials, 1-based
    private readonly double[] _v;     // column potentials, 1-based
    private readonly double[] _minv;
    private readonly int[] _p;        // _p[j] = row (1-based) assigned to column j, 0 = none
    private readonly int[] _way;
    private readonly bool[] _used;
    // Components: nodes 0…rows−1 are rows, rows…rows+cols−1 columns.
    private readonly int[] _parent;
    private readonly int[] _component;   // per node: component index, −1 when it has no pair under the limit
    private readonly int[] _rowStart;    // per component: start in _compRows (prefix sums), then a write cursor
    private readonly int[] _colStart;
    private readonly int[] _compRows;    // rows grouped by component, ascending within each
    private readonly int[] _compCols;

    public LinearAssignment(int maxRows, int maxCols)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxRows);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCols);
        _maxRows = maxRows;
        _maxCols = maxCols;
        int big = Math.Max(maxRows, maxCols);
        int nodes = maxRows + maxCols;
        _work = new float[checked(maxRows * maxCols)];
        _u = new double[big + 1];
        _v = new double[big + 1];
        _minv = new double[big + 1];
        _p = new int[big + 1];
        _way = new int[big + 1];
        _used = new bool[big + 1];
        _parent = new int[nodes];
        _component = new int[nodes];
        int maxComponents = Math.Min(maxRows, maxCols) + 1;
        _rowStart = new int[maxComponents + 1];
        _colStart = new int[maxComponents + 1];
        _compRows = new int[maxRows];
        _compCols = new int[maxCols];
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

        int componentCount = FindComponents(cost, rows, cols, costLimit);
        int matches = 0;
        for (int k = 0; k < componentCount; k++)
        {
            ReadOnlySpan<int> compRows = _compRows.AsSpan(_rowStart[k], _rowStart[k + 1] - _rowStart[k]);
            ReadOnlySpan<int> compCols = _compCols.AsSpan(_colStart[k], _colStart[k + 1] - _colStart[k]);
            Debug.Assert(compRows.Length > 0 && compCols.Length > 0, "a component holds at least one pair");
            if (compRows.Length == 1 && compCols.Length == 1)
            {
                rowToCol[compRows[0]] = compCols[0];
                colToRow[compCols[0]] = compRows[0];
                matches++;
                continue;
            }
            matches += SolveComponent(cost, cols, costLimit, compRows, compCols, rowToCol, colToRow);
        }
        return matches;
    }

    /// <summary>Groups rows and columns by connected component of the under-limit graph; returns the component count.</summary>
    private int FindComponents(ReadOnlySpan<float> cost, int rows, int cols, float costLimit)
    {
        int nodes = rows + cols;
        for (int i = 0; i < nodes; i++)
        {
            _parent[i] = i;
            _component[i] = -1;
        }
        var limit = new Vector<float>(costLimit);
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<float> row = cost.Slice(r * cols, cols);
            int c = 0;
            // Pairs under the limit are rare: test a vector's worth at once and only look closer on a hit.
            if (Vector.IsHardwareAccelerated)
            {
                for (; c <= cols - Vector<float>.Count; c += Vector<float>.Count)
                {
                    if (Vector.LessThanAny(new Vector<float>(row.Slice(c, Vector<float>.Count)), limit))
                    {
                        LinkUnderLimit(row, c, c + Vector<float>.Count, costLimit, r, rows);
                    }
                }
            }
            LinkUnderLimit(row, c, cols, costLimit, r, rows);
        }

        // Label components in order of their first row (deterministic), counting rows and columns per component.
        int count = 0;
        for (int r = 0; r < rows; r++)
        {
            if (_component[r] < 0)
            {
                continue;
            }
            int root = Find(r);
            if (root == r)
            {
                _rowStart[count] = 0;
                _colStart[count] = 0;
                _parent[r] = -1 - count; // a root now carries its label, encoded below zero
                count++;
            }
        }
        for (int i = 0; i < nodes; i++)
        {
            if (_component[i] < 0)
            {
                continue;
            }
            int label = LabelOf(i);
            _component[i] = label;
            if (i < rows)
            {
                _rowStart[label]++;
            }
            else
            {
                _colStart[label]++;
            }
        }
        // Counts → start offsets, then fill in ascending node order so each group stays sorted.
        int rowSum = 0, colSum = 0;
        for (int k = 0; k < count; k++)
        {
            (rowSum, _rowStart[k]) = (rowSum + _rowStart[k], rowSum);
            (colSum, _colStart[k]) = (colSum + _colStart[k], colSum);
        }
        _rowStart[count] = rowSum;
        _colStart[count] = colSum;
        for (int i = 0; i < nodes; i++)
        {
            int label = _component[i];
            if (label < 0)
            {
                continue;
            }
            if (i < rows)
            {
                _compRows[_rowStart[label]++] = i;
            }
            else
            {
                _compCols[_colStart[label]++] = i - rows;
            }
        }
        // The fill advanced each start to the next component's start; shift back.
        for (int k = count; k > 0; k--)
        {
            _rowStart[k] = _rowStart[k - 1];
            _colStart[k] = _colStart[k - 1];
        }
        _rowStart[0] = 0;
        _colStart[0] = 0;
        return count;
    }

    private void LinkUnderLimit(ReadOnlySpan<float> row, int from, int to, float costLimit, int r, int rows)
    {
        for (int c = from; c < to; c++)
        {
            if (row[c] < costLimit)
            {
                // Marks both ends as "in some component" before the labels are final.
                _component[r] = 0;
                _component[rows + c] = 0;
                Union(r, rows + c);
            }
        }
    }

    private int Find(int x)
    {
        while (_parent[x] >= 0 && _parent[x] != x)
        {
            int grand = _parent[_parent[x]];
            if (grand >= 0)
            {
                _parent[x] = grand; // path halving
            }
            x = _parent[x];
        }
        return x;
    }

    private int LabelOf(int node)
    {
        int x = node;
        while (_parent[x] >= 0)
        {
            x = _parent[x];
        }
        return -1 - _parent[x];
    }

    private void Union(int a, int b)
    {
        int ra = Find(a), rb = Find(b);
        if (ra == rb)
        {
            return;
        }
        // The smaller index becomes the root, so a component's root is its first row.
        if (ra < rb)
        {
            _parent[rb] = ra;
        }
        else
        {
            _parent[ra] = rb;
        }
    }

    private int SolveComponent(ReadOnlySpan<float> cost, int stride, float costLimit, ReadOnlySpan<int> compRows, ReadOnlySpan<int> compCols,
        Span<int> rowToCol, Span<int> colToRow)
    {
        bool transposed = compRows.Length > compCols.Length;
        int n = transposed ? compCols.Length : compRows.Length;
        int m = transposed ? compRows.Length : compCols.Length;
        for (int a = 0; a < compRows.Length; a++)
        {
            ReadOnlySpan<float> src = cost.Slice(compRows[a] * stride, stride);
            for (int b = 0; b < compCols.Length; b++)
            {
                float v = src[compCols[b]];
                // NaN and anything at or above the limit become 0: "as good as unmatched".
                _work[transposed ? b * m + a : a * m + b] = v < costLimit ? v - costLimit : 0f;
            }
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
            int row = compRows[transposed ? j - 1 : i - 1];
            int col = compCols[transposed ? i - 1 : j - 1];
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
