using RealtimeSeg.Core;

namespace RealtimeSeg.Tracking;

/// <summary>
/// ByteTrack's KalmanFilterXYAH: state (cx, cy, a = w/h, h) and their velocities per frame, constant-velocity
/// motion, noise scaled by the box height (position std h/20, velocity std h/160). XYAH rather than XYWH keeps
/// the reference tracker's behaviour: the aspect ratio of a rigid object barely changes, so it gets a tiny noise.
/// Kept as four independent <see cref="KalmanAxis"/> blocks (see there why that is exact).
/// </summary>
internal struct KalmanBoxFilter
{
    internal const double StdWeightPosition = 1d / 20d;
    internal const double StdWeightVelocity = 1d / 160d;

    public KalmanAxis X;
    public KalmanAxis Y;
    public KalmanAxis A;
    public KalmanAxis H;

    public static KalmanBoxFilter Initiate(in BoundingBox box)
    {
        double h = box.Height;
        double a = box.Width / (double)box.Height;
        double pos = 2d * StdWeightPosition * h;
        double vel = 10d * StdWeightVelocity * h;
        return new KalmanBoxFilter
        {
            X = KalmanAxis.Initiate(box.CenterX, pos, vel),
            Y = KalmanAxis.Initiate(box.CenterY, pos, vel),
            A = KalmanAxis.Initiate(a, 1e-2, 1e-5),
            H = KalmanAxis.Initiate(h, pos, vel),
        };
    }

    /// <summary>One frame ahead. <paramref name="freezeHeight"/> zeroes the height velocity first, as ByteTrack does for lost tracks.</summary>
    public void Predict(bool freezeHeight)
    {
        if (freezeHeight)
        {
            H.Velocity = 0d;
        }
        double h = H.Position;
        double qp = Square(StdWeightPosition * h);
        double qv = Square(StdWeightVelocity * h);
        X.Predict(qp, qv);
        Y.Predict(qp, qv);
        A.Predict(1e-4, 1e-10);
        H.Predict(qp, qv);
    }

    public void Update(in BoundingBox measured)
    {
        // Measurement noise uses the predicted height, as ByteTrack's project() does.
        double r = Square(StdWeightPosition * H.Position);
        X.Update(measured.CenterX, r);
        Y.Update(measured.CenterY, r);
        A.Update(measured.Width / (double)measured.Height, 1e-2);
        H.Update(measured.Height, r);
    }

    public readonly BoundingBox Box
    {
        get
        {
            float h = (float)H.Position;
            return BoundingBox.FromCenter((float)X.Position, (float)Y.Position, (float)(A.Position * H.Position), h);
        }
    }

    private static double Square(double v) => v * v;
}
