using RealtimeSeg.Core;

namespace RealtimeSeg.Tracking.Tests;

public sealed class KalmanBoxFilterTests
{
    private const double Tol = 1e-9;

    // Box centred at (100, 50), 20 wide, 40 high: a = 0.5, h = 40.
    private static readonly BoundingBox Start = BoundingBox.FromCenter(100f, 50f, 20f, 40f);

    [Fact]
    public void Initiate_Box_MeanAndCovarianceFromHeight()
    {
        var f = KalmanBoxFilter.Initiate(Start);

        Assert.Equal(100d, f.X.Position, Tol);
        Assert.Equal(50d, f.Y.Position, Tol);
        Assert.Equal(0.5d, f.A.Position, Tol);
        Assert.Equal(40d, f.H.Position, Tol);
        Assert.Equal(0d, f.X.Velocity);
        // std = 2 · h/20 = 4 for positions, 10 · h/160 = 2.5 for velocities; aspect 1e-2 and 1e-5.
        Assert.Equal(16d, f.X.P00, Tol);
        Assert.Equal(6.25d, f.X.P11, Tol);
        Assert.Equal(0d, f.X.P01, Tol);
        Assert.Equal(16d, f.H.P00, Tol);
        Assert.Equal(1e-4, f.A.P00, Tol);
        Assert.Equal(1e-10, f.A.P11, 1e-15);
    }

    [Fact]
    public void Predict_AfterInitiate_CovarianceGrowsByHandComputedAmount()
    {
        var f = KalmanBoxFilter.Initiate(Start);
        f.X.Velocity = 3d;

        f.Predict(freezeSize: false);

        // P' = F P Fᵀ + Q with q_pos = (h/20)² = 4, q_vel = (h/160)² = 0.0625.
        Assert.Equal(103d, f.X.Position, Tol);
        Assert.Equal(16d + 6.25d + 4d, f.X.P00, Tol);
        Assert.Equal(6.25d, f.X.P01, Tol);
        Assert.Equal(6.25d + 0.0625d, f.X.P11, Tol);
        Assert.Equal(1e-4 + 1e-10 + 1e-4, f.A.P00, 1e-15);
    }

    [Fact]
    public void Update_AfterPredict_MatchesHandComputedGainAndCovariance()
    {
        var f = KalmanBoxFilter.Initiate(Start);
        f.Predict(freezeSize: false);

        f.Update(BoundingBox.FromCenter(104f, 50f, 20f, 40f));

        // S = P00 + r = 26.25 + 4; K = [26.25, 6.25] / S; innovation 4.
        const double s = 30.25d;
        Assert.Equal(100d + 26.25d / s * 4d, f.X.Position, Tol);
        Assert.Equal(6.25d / s * 4d, f.X.Velocity, Tol);
        Assert.Equal(26.25d * 4d / s, f.X.P00, Tol);
        Assert.Equal(6.25d * 4d / s, f.X.P01, Tol);
        Assert.Equal(6.3125d - 6.25d * 6.25d / s, f.X.P11, Tol);
        Assert.Equal(50d, f.Y.Position, Tol);
        Assert.Equal(40d, f.H.Position, Tol);
    }

    [Fact]
    public void Predict_FreezeHeight_ZeroesHeightVelocityOnly()
    {
        var f = KalmanBoxFilter.Initiate(Start);
        f.X.Velocity = 2d;
        f.H.Velocity = 1d;

        f.Predict(freezeSize: true);

        Assert.Equal(40d, f.H.Position, Tol);
        Assert.Equal(0d, f.H.Velocity);
        Assert.Equal(102d, f.X.Position, Tol);
    }

    [Fact]
    public void PredictUpdateSequence_SameAsFull8x8ByteTrackFilter()
    {
        var f = KalmanBoxFilter.Initiate(Start);
        var reference = new ReferenceKalmanXyah(Start);
        for (int k = 1; k <= 25; k++)
        {
            f.Predict(freezeSize: false);
            reference.Predict();
            var z = BoundingBox.FromCenter(100f + 3.1f * k + (k % 3), 50f - 1.2f * k, 20f + 0.2f * k, 40f + 0.4f * k - (k % 2));
            f.Update(z);
            reference.Update(z);
        }

        AssertAxis(f.X, reference, 0);
        AssertAxis(f.Y, reference, 1);
        AssertAxis(f.A, reference, 2);
        AssertAxis(f.H, reference, 3);
    }

    private static void AssertAxis(KalmanAxis axis, ReferenceKalmanXyah reference, int i)
    {
        Assert.Equal(reference.Mean[i], axis.Position, 1e-7);
        Assert.Equal(reference.Mean[i + 4], axis.Velocity, 1e-7);
        Assert.Equal(reference.Cov[i, i], axis.P00, 1e-7);
        Assert.Equal(reference.Cov[i, i + 4], axis.P01, 1e-7);
        Assert.Equal(reference.Cov[i + 4, i + 4], axis.P11, 1e-7);
    }
}
