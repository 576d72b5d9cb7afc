using RealtimeSeg.Formats.Mot;

namespace RealtimeSeg.Synthetic.Detections;

/// <summary>
/// Turns one sequence's ground truth into simulated detections (<see cref="DetectorSimulatorOptions"/> says how), so a
/// tracker can be measured on many sequences without a detector, with the failure modes that matter to it under
/// control: misses in runs, occlusion, small objects, score noise per object and per frame, wandering box edges and
/// lingering false positives.
/// <para>Per flagged ground-truth box and frame (frames in order, boxes in file order): the object's visibility is the
/// ground truth's visibility column when that column says anything (some value strictly between 0 and 1), else it is
/// estimated as the share of the box not covered by boxes whose bottom edge is lower in the image (nearer, for a camera
/// over a ground plane). Its long-run miss probability is <c>1 − recall + occlusion gain × hidden + small gain × (1 −
/// h / small height)⁺</c> (always missed under the minimum visibility); a two-state Markov chain per object with mean
/// miss run <see cref="DetectorSimulatorOptions.MissRunSeconds"/> decides the frame. A detected box has each edge moved
/// by an AR(1) error (standard deviation jitter × the box size, correlation from frame to frame), and a score
/// σ(logit(median) + object offset + frame noise − occlusion drop × hidden − small drop × (1 − h / small height)⁺).
/// False positives start as a Poisson process (per object in the frame and per frame), half near a ground-truth box
/// (centre moved by N(0, w) across and N(0, h/2) down, size × lognormal(0, 0.3)) and half anywhere in the image with a
/// ground-truth box's size; each stays in place for a geometric number of frames (mean the configured lifetime),
/// reported on 70 % of them, scored like a true object around its own median. Boxes are clipped to the image when its
/// size is known; detections under the minimum score are dropped.</para>
/// </summary>
public static class DetectorSimulator
{
    private const int VisibilityGrid = 8;
    private const int MaxMotClass = 13;

    /// <summary>Simulated detections of <paramref name="groundTruth"/>, rows <c>frame,-1,x,y,w,h,score,class</c> in frame order.</summary>
    /// <param name="groundTruth">Ground truth of one sequence; rows whose flag (column 7) is 0 are not objects to detect.</param>
    /// <param name="framesPerSecond">The sequence's frame rate: turns the options' seconds into frames.</param>
    /// <param name="imageWidth">Image width for clipping and for false positives anywhere; null: the extent of the ground truth.</param>
    /// <param name="imageHeight">As <paramref name="imageWidth"/>.</param>
    /// <param name="options">The detector; validated.</param>
    public static DetectorSimulation Simulate(MotSequence groundTruth, double framesPerSecond, int? imageWidth, int? imageHeight, DetectorSimulatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(groundTruth);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (!(framesPerSecond is > 0 and <= 1000))
        {
            throw new ArgumentOutOfRangeException(nameof(framesPerSecond), framesPerSecond, "frame rate must be above 0 and at most 1000");
        }
        var run = new Run(groundTruth, framesPerSecond, imageWidth, imageHeight, options);
        return run.Execute();
    }

    /// <summary>A stable 64-bit hash of a sequence name (FNV-1a), so a seed means the same detections in every process.</summary>
    internal static ulong StableHash(string text)
    {
        ulong h = 14695981039346656037UL;
        foreach (char c in text)
        {
            h = (h ^ c) * 1099511628211UL;
        }
        return h;
    }

    private sealed class Run
    {
        private readonly MotSequence _gt;
        private readonly DetectorSimulatorOptions _o;
        private readonly double _width;
        private readonly double _height;
        private readonly bool _clip;
        private readonly bool _gtVisibility;
        private readonly bool _worldColumns;    // MOT15-style ground truth: columns 8-10 are world coordinates, not class/visibility
        private readonly double _missRecovery;   // per-frame chance that a run of misses ends; 1 = independent frames
        private readonly double _ghostEnd;       // per-frame chance that a false positive ends
        private readonly Dictionary<int, ObjectState> _objects = [];
        private readonly List<Ghost> _ghosts = [];
        private readonly List<MotRecord> _flagged = [];
        private readonly List<MotRecord> _output = [];
        private readonly double[] _sizesW;
        private readonly double[] _sizesH;
        private SceneRandom _random;
        private int _truePositives;
        private int _falsePositives;
        private int _lowScore;
        private int _objectsSeen;

        public Run(MotSequence gt, double fps, int? width, int? height, DetectorSimulatorOptions options)
        {
            _gt = gt;
            _o = options;
            _random = new SceneRandom(SceneRandom.Hash((ulong)options.Seed, StableHash(gt.Name)));
            double maxX = 1, maxY = 1;
            bool informative = false;
            var w = new List<double>();
            var h = new List<double>();
            foreach (MotRecord r in gt.Span)
            {
                // As TrackEval's (and eval mot's) automatic rules: a class outside MOTChallenge's 1-13 means MOT15 columns.
                _worldColumns |= r.ClassId is < 1 or > MaxMotClass;
            }
            foreach (MotRecord r in gt.Span)
            {
                if ((int)r.Confidence == 0)
                {
                    continue;
                }
                maxX = Math.Max(maxX, r.X + r.Width);
                maxY = Math.Max(maxY, r.Y + r.Height);
                informative |= !_worldColumns && r.Visibility is > 0 and < 1;
                if (r.Width > 0 && r.Height > 0)
                {
                    w.Add(r.Width);
                    h.Add(r.Height);
                }
            }
            _sizesW = [.. w];
            _sizesH = [.. h];
            _clip = width is not null && height is not null;
            _width = width ?? maxX;
            _height = height ?? maxY;
            _gtVisibility = informative;
            double missRunFrames = options.MissRunSeconds * fps;
            _missRecovery = missRunFrames <= 1 ? 1 : 1 / missRunFrames;
            double ghostFrames = options.FalsePositiveLifetimeSeconds * fps;
            _ghostEnd = ghostFrames <= 1 ? 1 : 1 / ghostFrames;
        }

        public DetectorSimulation Execute()
        {
            for (int frame = 1; frame <= _gt.FrameCount; frame++)
            {
                _flagged.Clear();
                foreach (MotRecord r in _gt.RecordsInFrame(frame))
                {
                    if ((int)r.Confidence != 0 && r.Width > 0 && r.Height > 0)
                    {
                        _flagged.Add(r);
                    }
                }
                for (int i = 0; i < _flagged.Count; i++)
                {
                    DetectObject(frame, i);
                }
                StartGhosts(frame);
                EmitGhosts(frame);
            }
            return new DetectorSimulation(_gt.Name, _output, _objectsSeen, _truePositives, _falsePositives, _lowScore);
        }

        private void DetectObject(int frame, int index)
        {
            MotRecord r = _flagged[index];
            _objectsSeen++;
            double visible = _gtVisibility ? Math.Clamp(r.Visibility, 0, 1) : EstimateVisibility(index);
            double hidden = 1 - visible;
            double small = _o.SmallHeight > 0 ? Math.Max(0, 1 - r.Height / _o.SmallHeight) : 0;
            double miss = visible < _o.MinVisibility ? 1 : Math.Clamp(1 - _o.Recall + _o.OcclusionMissGain * hidden + _o.SmallMissGain * small, 0, 1);
            if (!_objects.TryGetValue(r.Id, out ObjectState state))
            {
                state = new ObjectState { Bias = Gaussian() * _o.ScoreObjectSpread, Missed = _random.Chance(miss) };
                state.E0 = Gaussian();
                state.E1 = Gaussian();
                state.E2 = Gaussian();
                state.E3 = Gaussian();
            }
            else
            {
                // Two-state chain with long-run miss share `miss` and mean miss run 1 / recovery frames.
                double recovery = _missRecovery;
                double onset = miss >= 1 ? 1 : Math.Min(1, recovery * miss / (1 - miss));
                state.Missed = recovery >= 1 ? _random.Chance(miss) : state.Missed ? !_random.Chance(recovery) || miss >= 1 : _random.Chance(onset);
                AdvanceJitter(ref state);
            }
            _objects[r.Id] = state;
            if (state.Missed)
            {
                return;
            }
            double logit = Logit(_o.ScoreMedian) + state.Bias + Gaussian() * _o.ScoreFrameSpread - _o.OcclusionScoreDrop * hidden - _o.SmallScoreDrop * small;
            if (Emit(frame, r.X, r.Y, r.X + r.Width, r.Y + r.Height, state.E0, state.E1, state.E2, state.E3, Sigmoid(logit), ClassOf(r)))
            {
                _truePositives++;
            }
        }

        private void StartGhosts(int frame)
        {
            double rate = _o.FalsePositivesPerFrame + _o.FalsePositivesPerObject * _flagged.Count;
            int count = Poisson(rate);
            for (int k = 0; k < count; k++)
            {
                double cx, cy, w, h;
                int cls;
                if (_flagged.Count > 0 && _random.Chance(0.5))
                {
                    MotRecord near = _flagged[_random.Next(_flagged.Count)];
                    cx = near.X + near.Width / 2 + Gaussian() * near.Width;
                    cy = near.Y + near.Height / 2 + Gaussian() * near.Height / 2;
                    w = near.Width * Math.Exp(Gaussian() * 0.3);
                    h = near.Height * Math.Exp(Gaussian() * 0.3);
                    cls = ClassOf(near);
                }
                else if (_sizesW.Length > 0)
                {
                    int s = _random.Next(_sizesW.Length);
                    w = _sizesW[s];
                    h = _sizesH[s];
                    cx = _random.Range(0, _width);
                    cy = _random.Range(0, _height);
                    cls = _flagged.Count > 0 ? ClassOf(_flagged[_random.Next(_flagged.Count)]) : -1;
                }
                else
                {
                    continue;
                }
                _ghosts.Add(new Ghost
                {
                    X1 = cx - w / 2, Y1 = cy - h / 2, X2 = cx + w / 2, Y2 = cy + h / 2, ClassId = cls,
                    Bias = Gaussian() * _o.ScoreObjectSpread, E0 = Gaussian(), E1 = Gaussian(), E2 = Gaussian(), E3 = Gaussian(),
                    Born = frame,
                });
            }
        }

        private void EmitGhosts(int frame)
        {
            int kept = 0;
            for (int g = 0; g < _ghosts.Count; g++)
            {
                Ghost ghost = _ghosts[g];
                if (ghost.Born != frame)
                {
                    if (_random.Chance(_ghostEnd))
                    {
                        continue;
                    }
                    AdvanceJitter(ref ghost);
                }
                if (_random.Chance(0.7))
                {
                    double logit = Logit(_o.FalsePositiveScoreMedian) + ghost.Bias + Gaussian() * _o.ScoreFrameSpread;
                    if (Emit(frame, ghost.X1, ghost.Y1, ghost.X2, ghost.Y2, ghost.E0, ghost.E1, ghost.E2, ghost.E3, Sigmoid(logit), ghost.ClassId))
                    {
                        _falsePositives++;
                    }
                }
                _ghosts[kept++] = ghost;
            }
            _ghosts.RemoveRange(kept, _ghosts.Count - kept);
        }

        private bool Emit(int frame, double x1, double y1, double x2, double y2, double e0, double e1, double e2, double e3, double score, int classId)
        {
            if (score < _o.MinScore)
            {
                return false;
            }
            double w = x2 - x1, h = y2 - y1;
            x1 += _o.Jitter * w * e0;
            x2 += _o.Jitter * w * e1;
            y1 += _o.Jitter * h * e2;
            y2 += _o.Jitter * h * e3;
            if (_clip)
            {
                x1 = Math.Clamp(x1, 0, _width);
                x2 = Math.Clamp(x2, 0, _width);
                y1 = Math.Clamp(y1, 0, _height);
                y2 = Math.Clamp(y2, 0, _height);
            }
            if (x2 - x1 < 1 || y2 - y1 < 1)
            {
                return false;
            }
            if (score < 0.5)
            {
                _lowScore++;
            }
            _output.Add(new MotRecord(frame, -1, Round(x1), Round(y1), Round(x2 - x1), Round(y2 - y1), Math.Round(score, 4), classId, -1));
            return true;
        }

        /// <summary>Share of box <paramref name="index"/> not covered by the boxes whose bottom edge is lower in the image.</summary>
        private double EstimateVisibility(int index)
        {
            MotRecord r = _flagged[index];
            double bottom = r.Y + r.Height;
            int covered = 0;
            for (int gy = 0; gy < VisibilityGrid; gy++)
            {
                double py = r.Y + (gy + 0.5) * r.Height / VisibilityGrid;
                for (int gx = 0; gx < VisibilityGrid; gx++)
                {
                    double px = r.X + (gx + 0.5) * r.Width / VisibilityGrid;
                    for (int k = 0; k < _flagged.Count; k++)
                    {
                        MotRecord o = _flagged[k];
                        if (k != index && o.Y + o.Height > bottom && px >= o.X && px < o.X + o.Width && py >= o.Y && py < o.Y + o.Height)
                        {
                            covered++;
                            break;
                        }
                    }
                }
            }
            return 1 - covered / (double)(VisibilityGrid * VisibilityGrid);
        }

        private int ClassOf(in MotRecord r) => _worldColumns ? -1 : r.ClassId;

        private void AdvanceJitter(ref ObjectState s)
        {
            s.E0 = Ar(s.E0);
            s.E1 = Ar(s.E1);
            s.E2 = Ar(s.E2);
            s.E3 = Ar(s.E3);
        }

        private void AdvanceJitter(ref Ghost s)
        {
            s.E0 = Ar(s.E0);
            s.E1 = Ar(s.E1);
            s.E2 = Ar(s.E2);
            s.E3 = Ar(s.E3);
        }

        private double Ar(double previous)
        {
            double rho = _o.JitterCorrelation;
            return rho * previous + Math.Sqrt(1 - rho * rho) * Gaussian();
        }

        private double Gaussian()
        {
            // Box–Muller; 1 − u keeps the logarithm finite.
            double u = 1 - _random.NextDouble();
            double v = _random.NextDouble();
            return Math.Sqrt(-2 * Math.Log(u)) * Math.Cos(2 * Math.PI * v);
        }

        private int Poisson(double mean)
        {
            double limit = Math.Exp(-mean), p = 1;
            int k = -1;
            do
            {
                k++;
                p *= _random.NextDouble();
            }
            while (p > limit && k < 1000);
            return k;
        }

        private static double Logit(double p) => Math.Log(p / (1 - p));

        private static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));

        private static double Round(double v) => Math.Round(v, 2);
    }

    private struct ObjectState
    {
        public bool Missed;
        public double Bias;
        public double E0, E1, E2, E3;
    }

    private struct Ghost
    {
        public double X1, Y1, X2, Y2;
        public int ClassId;
        public int Born;
        public double Bias;
        public double E0, E1, E2, E3;
    }
}
