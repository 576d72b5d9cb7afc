using RealtimeSeg.Core;

namespace RealtimeSeg.Tracking;

/// <summary>
/// A constant-velocity box filter in one of two states (<see cref="MotionModel"/>), kept as four independent
/// <see cref="KalmanAxis"/> blocks (see there why that is exact).
/// <list type="bullet">
/// <item><see cref="MotionModel.Xyah"/>: ByteTrack's KalmanFilterXYAH — (cx, cy, a = w/h, h), position std h/20, velocity
/// std h/160, the aspect ratio with a tiny fixed noise.</item>
/// <item><see cref="MotionModel.Xywh"/>: BoT-SORT's KalmanFilterXYWH — (cx, cy, w, h), the same weights applied to the
/// width for cx and w and to the height for cy and h.</item>
/// </list>
/// The measurement noise can be scaled per update (<paramref name="noiseScale"/> of <see cref="Update"/>): NSA Kalman
/// (GIAOTracker, StrongSORT) multiplies it by 1 − score, so a confident detection pulls the state harder.
/// </summary>
internal struct KalmanBoxFilter
{
    internal const double StdWeightPosition = 1d / 20d;
    internal const double StdWeightVelocity = 1d / 160d;

    public KalmanAxis X;
    public KalmanAxis Y;
    /// <summary>The aspect ratio w/h (<see cref="MotionModel.Xyah"/>) or the width (<see cref="MotionModel.Xywh"/>).</summary>
    public KalmanAxis A;
    public KalmanAxis H;
    public MotionModel Model;

    public static KalmanBoxFilter Initiate(in BoundingBox box) => Initiate(box, MotionModel.Xyah);

    public static KalmanBoxFilter Initiate(in BoundingBox box, MotionModel model)
    {
        double h = box.Height;
        double w = box.Width;
        double pos = 2d * StdWeightPosition * h;
        double vel = 10d * StdWeightVelocity * h;
        if (model == MotionModel.Xywh)
        {
            double posW = 2d * StdWeightPosition * w;
            double velW = 10d * StdWeightVelocity * w;
            return new KalmanBoxFilter
            {
                X = KalmanAxis.Initiate(box.CenterX, posW, velW),
                Y = KalmanAxis.Initiate(box.CenterY, pos, vel),
                A = KalmanAxis.Initiate(w, posW, velW),
                H = KalmanAxis.Initiate(h, pos, vel),
                Model = model,
            };
        }
        return new KalmanBoxFilter
        {
            X = KalmanAxis.Initiate(box.CenterX, pos, vel),
            Y = KalmanAxis.Initiate(box.CenterY, pos, vel),
            A = KalmanAxis.Initiate(w / h, 1e-2, 1e-5),
            H = KalmanAxis.Initiate(h, pos, vel),
            Model = model,
        };
    }

    /// <summary>One frame ahead. <paramref name="freezeSize"/> zeroes the size velocities first, as ByteTrack (height) and BoT-SORT (width and height) do for lost tracks.</summary>
    public void Predict(bool freezeSize)
    {
        if (freezeSize)
        {
            H.Velocity = 0d;
            if (Model == MotionModel.Xywh)
            {
                A.Velocity = 0d;
            }
        }
        double h = H.Position;
        double qp = Square(StdWeightPosition * h);
        double qv = Square(StdWeightVelocity * h);
        if (Model == MotionModel.Xywh)
        {
            double w = A.Position;
            double qpw = Square(StdWeightPosition * w);
            double qvw = Square(StdWeightVelocity * w);
            X.Predict(qpw, qvw);
            A.Predict(qpw, qvw);
        }
        else
        {
            X.Predict(qp, qv);
            A.Predict(1e-4, 1e-10);
        }
        Y.Predict(qp, qv);
        H.Predict(qp, qv);
    }

    public void Update(in BoundingBox measured) => Update(measured, 1d);

    /// <summary>
    /// Moves the state into the next frame's image coordinates (BoT-SORT's GMC): the centre by the whole transform, the
    /// centre velocity by its linear part, the size and its velocity by its scale (the aspect ratio stays). The
    /// covariances scale by the scale squared — what BoT-SORT's R P Rᵀ gives exactly when the x and y blocks are equal
    /// (the XYAH state; under XYWH they differ by the box's shape and the rotation's mixing of them is left out, a
    /// second-order term for the small rotations between two frames).
    /// </summary>
    public void Warp(in CameraMotion motion)
    {
        (float cx, float cy) = motion.Apply((float)X.Position, (float)Y.Position);
        (double vx, double vy) = motion.Rotate(X.Velocity, Y.Velocity);
        double s = motion.Scale;
        double s2 = s * s;
        X.Position = cx;
        Y.Position = cy;
        X.Velocity = vx;
        Y.Velocity = vy;
        X.P00 *= s2;
        X.P01 *= s2;
        X.P11 *= s2;
        Y.P00 *= s2;
        Y.P01 *= s2;
        Y.P11 *= s2;
        H.Scale(s);
        if (Model == MotionModel.Xywh)
        {
            A.Scale(s);
        }
    }

    /// <summary>A box moved the way <see cref="Warp"/> moves the state: centre by the transform, size by its scale.</summary>
    public static BoundingBox Warp(in BoundingBox box, in CameraMotion motion)
    {
        (float cx, float cy) = motion.Apply(box.CenterX, box.CenterY);
        float s = motion.Scale;
        return BoundingBox.FromCenter(cx, cy, box.Width * s, box.Height * s);
    }

    /// <summary>Corrects the state with <paramref name="measured"/>; <paramref name="noiseScale"/> multiplies the measurement variance (1 = the reference filters).</summary>
    public void Update(in BoundingBox measured, double noiseScale)
    {
        // Measurement noise uses the predicted size, as ByteTrack's and BoT-SORT's project() do.
        double r = Square(StdWeightPosition * H.Position) * noiseScale;
        if (Model == MotionModel.Xywh)
        {
            double rw = Square(StdWeightPosition * A.Position) * noiseScale;
            X.Update(measured.CenterX, rw);
            A.Update(measured.Width, rw);
        }
        else
        {
            X.Update(measured.CenterX, r);
            A.Update(measured.Width / (double)measured.Height, 1e-2 * noiseScale);
        }
        Y.Update(measured.CenterY, r);
        H.Update(measured.Height, r);
    }

    public readonly BoundingBox Box
    {
        get
        {
            float h = (float)H.Position;
            float w = Model == MotionModel.Xywh ? (float)A.Position : (float)(A.Position * H.Position);
            return BoundingBox.FromCenter((float)X.Position, (float)Y.Position, w, h);
        }
    }

    private static double Square(double v) => v * v;
}
