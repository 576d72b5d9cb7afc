namespace RealtimeSeg.Tracking.Tests;

public sealed class LinearAssignmentTests
{
    private static (int Matches, int[] RowToCol, int[] ColToRow) Solve(float[,] cost, float limit)
    {
        int rows = cost.GetLength(0), cols = cost.GetLength(1);
        var flat = new float[rows * cols];
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < cols; c++)
            {
                flat[r * cols + c] = cost[r, c];
            }
        }
        var solver = new LinearAssignment(8, 8);
        var rowToCol = new int[rows];
        var colToRow = new int[cols];
        int matches = solver.Solve(flat, rows, cols, limit, rowToCol, colToRow);
        return (matches, rowToCol, colToRow);
    }

    [Fact]
    public void Solve_Square3x3_FindsKnownOptimum()
    {
        // Greedy would take (1,1)=0 then be forced into a worse total; the optimum is 1 + 2 + 2 = 5.
        float[,] cost = { { 4, 1, 3 }, { 2, 0, 5 }, { 3, 2, 2 } };

        var (matches, rowToCol, colToRow) = Solve(cost, 100f);

        Assert.Equal(3, matches);
        Assert.Equal([1, 0, 2], rowToCol);
        Assert.Equal([1, 0, 2], colToRow);
    }

    [Fact]
    public void Solve_WideMatrix_EachRowGetsItsBestDistinctColumn()
    {
        float[,] cost = { { 9, 9, 1, 9 }, { 9, 2, 1.5f, 9 } };

        var (matches, rowToCol, colToRow) = Solve(cost, 100f);

        Assert.Equal(2, matches);
        Assert.Equal([2, 1], rowToCol);
        Assert.Equal([-1, 1, 0, -1], colToRow);
    }

    [Fact]
    public void Solve_TallMatrix_EachColumnGetsItsBestDistinctRow()
    {
        float[,] cost = { { 5, 9 }, { 1, 9 }, { 9, 3 }, { 2, 1 } };

        var (matches, rowToCol, colToRow) = Solve(cost, 100f);

        // (1,0)+(3,1) = 2 beats (1,0)+(2,1) = 4 and (3,0)+... .
        Assert.Equal(2, matches);
        Assert.Equal([-1, 0, -1, 1], rowToCol);
        Assert.Equal([1, 3], colToRow);
    }

    [Fact]
    public void Solve_CostLimit_PrefersOneGoodPairOverTwoPoorOnes()
    {
        // Unlimited, the cross pairing (0.45 + 0.45) beats the diagonal (0.1 + 0.9). With limit 0.5 a pair is worth
        // (limit − cost): the diagonal's single pair (0.4) beats the cross (0.05 + 0.05), and (1,1) is over the limit.
        float[,] cost = { { 0.1f, 0.45f }, { 0.45f, 0.9f } };

        var unlimited = Solve(cost, 100f);
        var limited = Solve(cost, 0.5f);

        Assert.Equal([1, 0], unlimited.RowToCol);
        Assert.Equal(1, limited.Matches);
        Assert.Equal([0, -1], limited.RowToCol);
        Assert.Equal([0, -1], limited.ColToRow);
    }

    [Fact]
    public void Solve_CostEqualToLimitOrNaN_NeverMatched()
    {
        float[,] cost = { { 0.5f, float.NaN }, { float.PositiveInfinity, 0.5f } };

        var (matches, rowToCol, _) = Solve(cost, 0.5f);

        Assert.Equal(0, matches);
        Assert.Equal([-1, -1], rowToCol);
    }

    [Fact]
    public void Solve_EmptyMatrix_NoMatches()
    {
        var solver = new LinearAssignment(4, 4);
        var rowToCol = new int[3];

        int matches = solver.Solve(ReadOnlySpan<float>.Empty, 3, 0, 1f, rowToCol, Span<int>.Empty);

        Assert.Equal(0, matches);
        Assert.Equal([-1, -1, -1], rowToCol);
    }

    [Fact]
    public void Solve_RandomSmallMatrices_MatchesBruteForceOptimum()
    {
        var random = new Random(12345);
        var solver = new LinearAssignment(6, 6);
        for (int trial = 0; trial < 400; trial++)
        {
            int rows = random.Next(1, 7), cols = random.Next(1, 7);
            float limit = 0.2f + 0.8f * random.NextSingle();
            var cost = new float[rows * cols];
            for (int i = 0; i < cost.Length; i++)
            {
                // Coarse values create ties, which is where solvers go wrong.
                cost[i] = MathF.Round(random.NextSingle() * 10f) / 10f;
            }
            var rowToCol = new int[rows];
            var colToRow = new int[cols];

            int matches = solver.Solve(cost, rows, cols, limit, rowToCol, colToRow);

            double got = 0;
            int counted = 0;
            for (int r = 0; r < rows; r++)
            {
                if (rowToCol[r] < 0)
                {
                    continue;
                }
                float c = cost[r * cols + rowToCol[r]];
                Assert.True(c < limit, $"trial {trial}: matched pair over the limit");
                Assert.Equal(r, colToRow[rowToCol[r]]);
                got += c - limit;
                counted++;
            }
            Assert.Equal(counted, matches);
            double best = BruteForce(cost, rows, cols, limit, 0, new bool[cols]);
            Assert.True(Math.Abs(best - got) < 1e-5, $"trial {trial}: solver {got} vs optimum {best}");
        }
    }

    // Best Σ (c − limit) over all partial matchings that only use pairs under the limit.
    private static double BruteForce(float[] cost, int rows, int cols, float limit, int row, bool[] usedCols)
    {
        if (row == rows)
        {
            return 0;
        }
        double best = BruteForce(cost, rows, cols, limit, row + 1, usedCols);
        for (int c = 0; c < cols; c++)
        {
            float v = cost[row * cols + c];
            if (usedCols[c] || !(v < limit))
            {
                continue;
            }
            usedCols[c] = true;
            best = Math.Min(best, (double)v - limit + BruteForce(cost, rows, cols, limit, row + 1, usedCols));
            usedCols[c] = false;
        }
        return best;
    }
}
