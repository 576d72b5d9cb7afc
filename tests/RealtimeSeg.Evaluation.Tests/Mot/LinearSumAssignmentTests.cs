using RealtimeSeg.Evaluation.Mot;

namespace RealtimeSeg.Evaluation.Tests.Mot;

public sealed class LinearSumAssignmentTests
{
    [Fact]
    public void Solve_ScipyDocumentationExample_SameAssignment()
    {
        // scipy.optimize.linear_sum_assignment docs: rows [0 1 2], cols [1 0 2], cost 5.
        double[] cost = [4, 1, 3, 2, 0, 5, 3, 2, 2];

        var (rows, cols) = Solve(cost, 3, 3);

        Assert.Equal([0, 1, 2], rows);
        Assert.Equal([1, 0, 2], cols);
    }

    [Theory]
    [InlineData(3, 3)]
    [InlineData(2, 4)]
    [InlineData(4, 2)]
    public void Solve_ConstantMatrix_IdentityAsScipy(int n, int m)
    {
        // scipy issue #11602: equal costs resolve to the identity, wide or tall. Other solvers pick differently.
        var (rows, cols) = Solve(new double[n * m], n, m);

        int k = Math.Min(n, m);
        Assert.Equal(Enumerable.Range(0, k), rows);
        Assert.Equal(Enumerable.Range(0, k), cols);
    }

    [Fact]
    public void Solve_TallMatrix_PairsSortedByRow()
    {
        // 3×2: row 2 is cheapest for column 0, row 0 for column 1; row 1 stays unassigned.
        double[] cost = [5, 0, 9, 9, 1, 5];

        var (rows, cols) = Solve(cost, 3, 2);

        Assert.Equal([0, 2], rows);
        Assert.Equal([1, 0], cols);
    }

    [Fact]
    public void Solve_RandomRectangularMatrices_MatchBruteForceOptimum()
    {
        var random = new Random(12345);
        var lsa = new LinearSumAssignment();
        for (int trial = 0; trial < 300; trial++)
        {
            int n = random.Next(1, 6), m = random.Next(1, 6);
            var cost = new double[n * m];
            for (int q = 0; q < cost.Length; q++)
            {
                // Few distinct values make ties common, where a wrong solver most easily goes astray.
                cost[q] = trial % 2 == 0 ? random.Next(0, 4) : random.NextDouble() * 10 - 5;
            }
            var rows = new int[Math.Min(n, m)];
            var cols = new int[Math.Min(n, m)];

            int pairs = lsa.Solve(cost, n, m, rows, cols);

            Assert.Equal(Math.Min(n, m), pairs);
            Assert.Equal(rows.Length, rows.Distinct().Count());
            Assert.Equal(cols.Length, cols.Distinct().Count());
            double total = 0;
            for (int p = 0; p < pairs; p++)
            {
                total += cost[rows[p] * m + cols[p]];
            }
            Assert.Equal(BruteForceMinimum(cost, n, m), total, 9);
        }
    }

    [Fact]
    public void Solve_NaN_Throws()
    {
        Assert.Throws<ArgumentException>(() => Solve([0, double.NaN, 1, 2], 2, 2));
    }

    [Fact]
    public void Solve_EmptyMatrix_NoPairs()
    {
        var (rows, _) = Solve([], 0, 4);

        Assert.Empty(rows);
    }

    private static (int[] Rows, int[] Cols) Solve(double[] cost, int n, int m)
    {
        var rows = new int[Math.Min(n, m)];
        var cols = new int[Math.Min(n, m)];
        int pairs = new LinearSumAssignment().Solve(cost, n, m, rows, cols);
        return (rows[..pairs], cols[..pairs]);
    }

    private static double BruteForceMinimum(double[] cost, int n, int m)
    {
        // Assign every element of the smaller side to a distinct element of the larger side.
        bool tall = n > m;
        int small = Math.Min(n, m), large = Math.Max(n, m);
        double best = double.PositiveInfinity;
        var used = new bool[large];
        void Recurse(int i, double sum)
        {
            if (i == small)
            {
                best = Math.Min(best, sum);
                return;
            }
            for (int j = 0; j < large; j++)
            {
                if (!used[j])
                {
                    used[j] = true;
                    Recurse(i + 1, sum + (tall ? cost[j * m + i] : cost[i * m + j]));
                    used[j] = false;
                }
            }
        }
        Recurse(0, 0);
        return best;
    }
}
