using System.Diagnostics;

namespace RealtimeSeg.Tracking;

/// <summary>
/// One (position, velocity) pair of the constant-velocity box filter with its 2×2 covariance.
/// ByteTrack's 8×8 filter starts from a diagonal covariance and only ever adds diagonal process and
/// measurement noise while the transition couples each position with its own velocity, so its covariance
/// stays block-diagonal: four independent 2×2 filters give exactly the same numbers with far less work.
/// </summary>
internal struct KalmanAxis
{
    public double Position;
    public double Velocity;
    /// <summary>Variance of the position.</summary>
    public double P00;
    /// <summary>Covariance of position and velocity.</summary>
    public double P01;
    /// <summary>Variance of the velocity.</summary>
    public double P11;

    public static KalmanAxis Initiate(double position, double positionStd, double velocityStd)
        => new() { Position = position, Velocity = 0d, P00 = positionStd * positionStd, P01 = 0d, P11 = velocityStd * velocityStd };

    /// <summary>x ← F x, P ← F P Fᵀ + diag(q_pos, q_vel) with F = [[1, 1], [0, 1]].</summary>
    public void Predict(double positionNoiseVariance, double velocityNoiseVariance)
    {
        Position += Velocity;
        P00 += 2d * P01 + P11 + positionNoiseVariance;
        P01 += P11;
        P11 += velocityNoiseVariance;
        AssertInvariants();
    }

    /// <summary>Multiplies the state by <paramref name="factor"/> (position and velocity) and the covariance by its square.</summary>
    public void Scale(double factor)
    {
        Position *= factor;
        Velocity *= factor;
        double f2 = factor * factor;
        P00 *= f2;
        P01 *= f2;
        P11 *= f2;
    }

    /// <summary>Standard Kalman update with H = [1, 0] and measurement variance <paramref name="measurementVariance"/>.</summary>
    public void Update(double measurement, double measurementVariance)
    {
        double s = P00 + measurementVariance;
        double k0 = P00 / s;
        double k1 = P01 / s;
        double innovation = measurement - Position;
        Position += k0 * innovation;
        Velocity += k1 * innovation;
        // P − K S Kᵀ, written out so the result stays exactly symmetric.
        double p00 = P00, p01 = P01;
        P00 = p00 - p00 * p00 / s;
        P01 = p01 - p00 * p01 / s;
        P11 -= p01 * p01 / s;
        AssertInvariants();
    }

    [Conditional("DEBUG")]
    public readonly void AssertInvariants()
    {
        Debug.Assert(P00 >= 0d && P11 >= 0d, "variances stay non-negative");
        Debug.Assert(P01 * P01 <= P00 * P11 * (1d + 1e-9) + 1e-12, "covariance stays positive semi-definite");
    }
}
