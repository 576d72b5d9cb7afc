using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using RealtimeSeg.Core;

namespace RealtimeSeg.Tracking;

/// <summary>
/// A ByteTrack-style multi-object tracker (Zhang et al., "ByteTrack: Multi-Object Tracking by Associating Every
/// Detection Box", ECCV 2022), laid out like the reference <c>BYTETracker.update()</c>. Pure and deterministic:
/// the output depends only on the sequence of (detections, frame index) since construction or <see cref="Reset"/>.
/// <para>
/// Differences from the reference, all deliberate: matching can be class-aware; frame indices may skip (the
/// motion model is predicted once per elapsed frame); tracks that are still unconfirmed are predicted too (their
/// velocity is zero, so only their uncertainty grows); and ids are allocated when a track is confirmed, not when
/// it is born, so a detection that never recurs costs no id. As in the reference, a track born on the tracker's
/// very first frame is confirmed at once; later ones need a match on the next frame, so a detection that starts a
/// track reports <see cref="TrackInfo.TrackId"/> 0 on that first frame. Optionally
/// (<see cref="TrackerOptions.TentativeTrackThreshold"/>) detections under the new-track threshold start tentative
/// tracks that need several consecutive matches before they get an id.
/// </para>
/// <para>Not thread-safe: one instance per stream, driven by one stage. The tracker counts frames, not time: give it
/// <c>options.ForFrameRate(streamFps)</c> so its lost-track buffer is <see cref="TrackerOptions.TrackBufferSeconds"/>
/// of that stream's media time (without it the buffer is counted at <see cref="TrackerOptions.ReferenceFrameRate"/>).</para>
/// </summary>
public sealed class ByteTracker
{
    private readonly TrackerOptions _options;
    private readonly int _bufferFrames;
    private readonly LinearAssignment _solver;
    private readonly Track[] _tracks;
    private readonly int[] _high;
    private readonly int[] _low;
    private readonly bool[] _detectionTaken;
    private readonly int[] _rows;
    private readonly int[] _cols;
    private readonly float[] _cost;
    private readonly int[] _rowToCol;
    private readonly int[] _colToRow;
    private readonly float[] _colX1;
    private readonly float[] _colY1;
    private readonly float[] _colX2;
    private readonly float[] _colY2;
    private readonly float[] _colAreas;
    private readonly float[] _colScores;
    private readonly float[] _effectiveScores;
    private readonly int[] _colClasses;
    private readonly bool[] _dropTrack;
    private readonly BoundingBox[] _lostBoxes;
    private readonly TrackSnapshot[] _active;
    /// <summary>Per class id, the first association's gate as a cost limit (1 − gate); empty without per-class gates.</summary>
    private readonly float[] _classLimits;
    /// <summary>The loosest of the first association's limits: what the solver is given when gates differ by class.</summary>
    private readonly float _firstLimit;
    /// <summary>Each track slot's last matched mask; null unless <see cref="TrackerOptions.MaskIouWeight"/> is above 0.</summary>
    private readonly TrackMasks? _trackMasks;
    /// <summary>Per column of the first association, the detection's mask area; NaN until a pair needs it.</summary>
    private readonly float[] _colMaskAreas;
    /// <summary>Per column of the first association, how many tracks have it under their gate (mask IoU compares contested pairs only).</summary>
    private readonly int[] _colGated;
    /// <summary>Per row of the first association, how many detections are under its gate.</summary>
    private readonly int[] _rowGated;
    /// <summary>Per row of the first association, a column under its gate (−1 when none).</summary>
    private readonly int[] _rowGatedColumn;
    /// <summary>The current <see cref="Update(DetectionSet, long, Span{TrackInfo})"/>'s masks; null while updating without masks.</summary>
    private DetectionSet? _frameMasks;
    private int _trackCount;
    private int _activeCount;
    private int _lostCount;
    private long _nextId = 1;
    private long _lastFrame;
    private bool _hasFrame;

    public ByteTracker(TrackerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _bufferFrames = options.LostTrackBufferFrames;
        int maxTracks = options.MaxTracks;
        int maxDets = options.MaxDetections;
        _solver = new LinearAssignment(maxTracks, maxDets);
        _tracks = new Track[maxTracks];
        _high = new int[maxDets];
        _low = new int[maxDets];
        _detectionTaken = new bool[maxDets];
        _rows = new int[maxTracks];
        _cols = new int[maxDets];
        _cost = new float[checked(maxTracks * maxDets)];
        _rowToCol = new int[maxTracks];
        _colToRow = new int[maxDets];
        _colX1 = new float[maxDets];
        _colY1 = new float[maxDets];
        _colX2 = new float[maxDets];
        _colY2 = new float[maxDets];
        _colAreas = new float[maxDets];
        _colScores = new float[maxDets];
        _effectiveScores = new float[maxDets];
        _colClasses = new int[maxDets];
        _dropTrack = new bool[maxTracks];
        _lostBoxes = new BoundingBox[maxTracks];
        _active = new TrackSnapshot[Math.Min(maxTracks, maxDets)];
        _classLimits = new float[options.MatchIouThresholdByClass?.Count ?? 0];
        _firstLimit = 1f - options.MatchIouThreshold;
        for (int c = 0; c < _classLimits.Length; c++)
        {
            _classLimits[c] = 1f - options.MatchIouThresholdFor(c);
            _firstLimit = MathF.Max(_firstLimit, _classLimits[c]);
        }
        _trackMasks = options.MaskIouWeight > 0f ? new TrackMasks(maxTracks, options.MaskThreshold) : null;
        _colMaskAreas = new float[_trackMasks is null ? 0 : maxDets];
        _colGated = new int[_colMaskAreas.Length];
        _rowGated = new int[_trackMasks is null ? 0 : maxTracks];
        _rowGatedColumn = new int[_rowGated.Length];
    }

    public TrackerOptions Options => _options;

    /// <summary>Confirmed tracks matched on the latest frame, in track creation order.</summary>
    public ReadOnlySpan<TrackSnapshot> ActiveTracks => _active.AsSpan(0, _activeCount);

    /// <summary>Confirmed tracks currently unmatched but still kept for re-identification.</summary>
    public int LostTrackCount => _lostCount;

    /// <summary>The id the next confirmed track will receive; ids start at 1 and are never reused, even across <see cref="Reset"/>.</summary>
    public long NextTrackId => _nextId;

    /// <summary>Tracks not started because <see cref="TrackerOptions.MaxTracks"/> were alive (since construction).</summary>
    public long RejectedNewTracks { get; private set; }

    /// <summary>
    /// Advances the tracker to <paramref name="frameIndex"/> with that frame's detections and writes, for each
    /// detection, the track it belongs to into <paramref name="assignments"/> (same index).
    /// </summary>
    /// <param name="detections">This frame's detections, image pixels; boxes with non-finite or non-positive size are ignored.</param>
    /// <param name="frameIndex">Strictly greater than the previous call's (any value after construction or <see cref="Reset"/>); gaps are predicted over.</param>
    /// <param name="assignments">
    /// At least <c>detections.Length</c> long. Receives <see cref="TrackInfo.Untracked"/> for a detection that belongs to no
    /// confirmed track (below the low threshold, a low-score detection that matched nothing, a high-score one that
    /// started a not-yet-confirmed track or was not good enough to start one); otherwise the track id, the filtered
    /// centre velocity in px/frame and the track's age in frames.
    /// </param>
    public void Update(ReadOnlySpan<Detection> detections, long frameIndex, Span<TrackInfo> assignments)
        => Update(detections, masks: null, frameIndex, assignments);

    /// <summary>
    /// <see cref="Update(ReadOnlySpan{Detection}, long, Span{TrackInfo})"/> on a frame's <see cref="DetectionSet"/>, whose
    /// masks add mask IoU to the first association when <see cref="TrackerOptions.MaskIouWeight"/> is above 0 (without
    /// it the masks are not read, and the result is the same as from the detections alone).
    /// </summary>
    public void Update(DetectionSet detections, long frameIndex, Span<TrackInfo> assignments)
    {
        ArgumentNullException.ThrowIfNull(detections);
        Update(detections.Items, _trackMasks is null ? null : detections, frameIndex, assignments);
    }

    private void Update(ReadOnlySpan<Detection> detections, DetectionSet? masks, long frameIndex, Span<TrackInfo> assignments)
    {
        if (detections.Length > _options.MaxDetections)
        {
            ThrowTooManyDetections(detections.Length, _options.MaxDetections, nameof(detections));
        }
        if (assignments.Length < detections.Length)
        {
            ThrowAssignmentsTooShort(assignments.Length, detections.Length, nameof(assignments));
        }
        if (_hasFrame && frameIndex <= _lastFrame)
        {
            ThrowFrameNotIncreasing(frameIndex, _lastFrame, nameof(frameIndex));
        }
        bool firstFrame = !_hasFrame;
        // No track that can still be matched is more than buffer + 1 frames behind (see step 1).
        int predictSteps = firstFrame ? 0 : (int)Math.Min(frameIndex - _lastFrame, _bufferFrames + 1L);
        _hasFrame = true;
        _lastFrame = frameIndex;
        _frameMasks = masks;
        assignments[..detections.Length].Clear();

        // Step 1: predict every live track to this frame. Run frame by frame, a track last seen at f can be matched up
        // to frame f + buffer + 1 and is removed after that; across a larger gap in frame indices it is removed here.
        for (int t = 0; t < _trackCount; t++)
        {
            ref Track track = ref _tracks[t];
            if (frameIndex - track.LastSeenFrame > _bufferFrames + 1L)
            {
                track.State = TrackState.Removed;
                continue;
            }
            for (int k = 0; k < predictSteps; k++)
            {
                track.Filter.Predict(freezeSize: track.State == TrackState.Lost);
            }
            track.PredictedBox = track.Filter.Box;
            track.DetectionIndex = -1;
        }

        // Step 2: split detections by score; with boosting, a low-score detection that overlaps a confirmed track's
        // prediction joins the high ones (with its score raised to that overlap) so it can re-find a lost track.
        int highCount = 0, lowCount = 0;
        float? boostIou = _options.BoostIouThreshold;
        for (int i = 0; i < detections.Length; i++)
        {
            _detectionTaken[i] = false;
            ref readonly Detection d = ref detections[i];
            _effectiveScores[i] = d.Score;
            if (!IsUsable(d.Box))
            {
                continue;
            }
            if (d.Score >= _options.HighScoreThreshold)
            {
                _high[highCount++] = i;
            }
            else if (d.Score >= _options.LowScoreThreshold)
            {
                float overlap = boostIou is not null && !ShadowedByHighDetection(detections, d) ? BestConfirmedOverlap(d) : 0f;
                if (boostIou is float threshold && overlap > threshold)
                {
                    _effectiveScores[i] = MathF.Max(d.Score, overlap);
                    _high[highCount++] = i;
                }
                else
                {
                    _low[lowCount++] = i;
                }
            }
        }

        // Step 3: first association — confirmed tracks (tracked and lost) with high-score detections.
        int rowCount = 0;
        for (int t = 0; t < _trackCount; t++)
        {
            if (_tracks[t].State is TrackState.Tracked or TrackState.Lost)
            {
                _rows[rowCount++] = t;
            }
        }
        int colCount = CollectUntaken(_high.AsSpan(0, highCount));
        Associate(detections, rowCount, colCount, _options.FuseScore, 1f - _firstLimit, _options.MomentumWeight, classGates: _classLimits.Length > 0,
            maskCue: _frameMasks is not null);
        for (int r = 0; r < rowCount; r++)
        {
            int c = _rowToCol[r];
            if (c >= 0)
            {
                // A lost track matched here is re-activated with its old id (ByteTrack re_activate).
                Match(_rows[r], detections, _cols[c], frameIndex);
            }
        }

        // Step 4: second association — tracks tracked until last frame and still unmatched, with low-score detections.
        int secondRows = 0;
        for (int r = 0; r < rowCount; r++)
        {
            int t = _rows[r];
            if (_tracks[t].State == TrackState.Tracked && _tracks[t].DetectionIndex < 0)
            {
                _rows[secondRows++] = t;
            }
        }
        rowCount = secondRows;
        colCount = CollectUntaken(_low.AsSpan(0, lowCount));
        Associate(detections, rowCount, colCount, fuseScore: false, _options.SecondMatchIouThreshold, momentumWeight: 0f);
        for (int r = 0; r < rowCount; r++)
        {
            int c = _rowToCol[r];
            if (c >= 0)
            {
                Match(_rows[r], detections, _cols[c], frameIndex);
            }
            else
            {
                _tracks[_rows[r]].State = TrackState.Lost;
            }
        }

        // Step 4b: observation-centric recovery — confirmed tracks still unmatched, by their last observed box, with the
        // high-score detections left.
        if (_options.RecoveryIouThreshold is float recoveryIou)
        {
            Recover(detections, frameIndex, highCount, recoveryIou);
        }

        // Step 5: unconfirmed tracks with the high-score detections left: a match counts a hit (confirming the track
        // once it has enough), a miss removes the track.
        rowCount = 0;
        for (int t = 0; t < _trackCount; t++)
        {
            if (_tracks[t].State == TrackState.New)
            {
                _rows[rowCount++] = t;
            }
        }
        colCount = CollectUntaken(_high.AsSpan(0, highCount));
        Associate(detections, rowCount, colCount, _options.FuseScore, _options.UnconfirmedMatchIouThreshold, momentumWeight: 0f);
        for (int r = 0; r < rowCount; r++)
        {
            ref Track track = ref _tracks[_rows[r]];
            int c = _rowToCol[r];
            if (c >= 0)
            {
                Match(_rows[r], detections, _cols[c], frameIndex);
                if (++track.Hits >= track.HitsToConfirm)
                {
                    track.Id = AllocateId();
                }
                else
                {
                    track.State = TrackState.New;
                }
            }
            else
            {
                track.State = TrackState.Removed;
            }
        }

        // Step 6: lost tracks unmatched for longer than the buffer are removed (their ids stay retired). Done before
        // new tracks are started so their slots are free; new tracks are never lost, so the order changes nothing.
        for (int t = 0; t < _trackCount; t++)
        {
            ref Track track = ref _tracks[t];
            if (track.State == TrackState.Lost && frameIndex - track.LastSeenFrame > _bufferFrames)
            {
                track.State = TrackState.Removed;
            }
        }
        Compact();

        // Step 7: start tracks from the high-score detections nobody claimed: at the new-track threshold one more match
        // confirms them (on the very first frame they are confirmed at once); from the tentative threshold up, they
        // need TentativeConfirmFrames matches in a row.
        float startThreshold = _options.TentativeTrackThreshold ?? _options.NewTrackThreshold;
        for (int h = 0; h < highCount; h++)
        {
            int i = _high[h];
            if (_detectionTaken[i] || detections[i].Score < startThreshold)
            {
                continue;
            }
            bool tentative = detections[i].Score < _options.NewTrackThreshold;
            if (_trackCount == _tracks.Length)
            {
                RejectedNewTracks++;
                continue;
            }
            ref readonly Detection d = ref detections[i];
            ref Track track = ref _tracks[_trackCount++];
            track = new Track
            {
                ClassId = d.ClassId,
                State = firstFrame && !tentative ? TrackState.Tracked : TrackState.New,
                StartFrame = frameIndex,
                Hits = 1,
                HitsToConfirm = tentative ? _options.TentativeConfirmFrames : 2,
                LastSeenFrame = frameIndex,
                Score = d.Score,
                Filter = KalmanBoxFilter.Initiate(d.Box, _options.MotionModel),
                DetectionIndex = i,
                LastObservation = d.Box,
                Observations = 1,
            };
            track.ObservedFilter = track.Filter;
            track.PredictedBox = track.Filter.Box;
            track.Id = track.State == TrackState.Tracked ? AllocateId() : 0;
            StoreMask(_trackCount - 1, d);
            _detectionTaken[i] = true;
        }

        // Step 8: drop duplicates between tracked and lost tracks, keeping the one followed for longer.
        RemoveDuplicates(frameIndex);

        // Step 9: report.
        _activeCount = 0;
        _lostCount = 0;
        for (int t = 0; t < _trackCount; t++)
        {
            ref Track track = ref _tracks[t];
            if (track.State == TrackState.Lost)
            {
                _lostCount++;
            }
            else if (track.State == TrackState.Tracked && track.DetectionIndex >= 0)
            {
                float vx = (float)track.Filter.X.Velocity;
                float vy = (float)track.Filter.Y.Velocity;
                int age = (int)Math.Min(frameIndex - track.StartFrame, int.MaxValue);
                assignments[track.DetectionIndex] = new TrackInfo(track.Id, vx, vy, age);
                _active[_activeCount++] = new TrackSnapshot(track.Id, track.ClassId, track.Filter.Box, vx, vy, age, track.Score, TrackState.Tracked);
            }
        }
        Compact();
        _frameMasks = null;
        AssertInvariants();
    }

    /// <summary>
    /// Moves every track into the coordinates of the frame that comes next (BoT-SORT's camera-motion compensation): call
    /// it with the camera's motion from the previous frame given to <see cref="Update"/> to the next one, just before that
    /// <see cref="Update"/>. The Kalman state (mean and covariance, <see cref="KalmanBoxFilter.Warp(in CameraMotion)"/>),
    /// the filter kept at the last observation (re-update), the last observed box (recovery) and the earlier observed
    /// centres (momentum) all move, so each technique compares like with like. An identity or non-finite transform
    /// changes nothing. Allocation-free; pure like <see cref="Update"/>.
    /// </summary>
    public void ApplyCameraMotion(in CameraMotion motion)
    {
        if (motion.IsIdentity || !motion.IsFinite || !(motion.Scale > 0f))
        {
            return;
        }
        for (int t = 0; t < _trackCount; t++)
        {
            ref Track track = ref _tracks[t];
            track.Filter.Warp(motion);
            track.ObservedFilter.Warp(motion);
            track.LastObservation = KalmanBoxFilter.Warp(track.LastObservation, motion);
            (track.PrevX1, track.PrevY1) = motion.Apply(track.PrevX1, track.PrevY1);
            (track.PrevX2, track.PrevY2) = motion.Apply(track.PrevX2, track.PrevY2);
            (track.PrevX3, track.PrevY3) = motion.Apply(track.PrevX3, track.PrevY3);
        }
    }

    /// <summary>Forgets every track and the frame index; the id allocator carries on so ids stay unique per instance.</summary>
    public void Reset()
    {
        _trackCount = 0;
        _activeCount = 0;
        _lostCount = 0;
        _hasFrame = false;
        _lastFrame = 0;
    }

    private static bool IsUsable(in BoundingBox box)
        => float.IsFinite(box.X1) && float.IsFinite(box.Y1) && float.IsFinite(box.X2) && float.IsFinite(box.Y2)
           && box.X2 > box.X1 && box.Y2 > box.Y1;

    private int CollectUntaken(ReadOnlySpan<int> detectionIndices)
    {
        int n = 0;
        foreach (int i in detectionIndices)
        {
            if (!_detectionTaken[i])
            {
                _cols[n++] = i;
            }
        }
        return n;
    }

    /// <summary>Fills the cost matrix for <c>_rows</c> × <c>_cols</c> and solves it into <c>_rowToCol</c>.</summary>
    /// <param name="classGates">First association with per-class gates: each row is held to its track's class limit (pairs over it are excluded), the solver to the loosest.</param>
    /// <param name="maskCue">First association with masks: pairs that pass the box gate are scored by box and mask IoU together (<see cref="BlendMaskIou"/>).</param>
    private void Associate(ReadOnlySpan<Detection> detections, int rowCount, int colCount, bool fuseScore, float minSimilarity, float momentumWeight, bool classGates = false,
        bool maskCue = false)
    {
        if (rowCount == 0 || colCount == 0)
        {
            _rowToCol.AsSpan(0, rowCount).Fill(-1);
            return;
        }
        bool classAware = _options.ClassAware;
        FillColumns(detections, colCount, fuseScore);
        if (maskCue)
        {
            _colMaskAreas.AsSpan(0, colCount).Fill(float.NaN);
        }
        float limit = 1f - minSimilarity;
        for (int r = 0; r < rowCount; r++)
        {
            ref readonly Track track = ref _tracks[_rows[r]];
            PairCosts.IouCostRow(track.PredictedBox, classAware ? track.ClassId : 0, _colX1, _colY1, _colX2, _colY2, _colAreas, _colScores,
                _colClasses, _cost.AsSpan(r * colCount, colCount));
        }
        if (maskCue)
        {
            CountGated(rowCount, colCount, limit, classGates);
        }
        for (int r = 0; r < rowCount; r++)
        {
            ref readonly Track track = ref _tracks[_rows[r]];
            Span<float> row = _cost.AsSpan(r * colCount, colCount);
            float rowLimit = classGates ? ClassLimit(track.ClassId) : limit;
            if (maskCue && IsContested(r) && _trackMasks!.Has(_rows[r]))
            {
                BlendMaskIou(detections, _rows[r], row, rowLimit);
            }
            if (momentumWeight > 0f && track.Observations > 1)
            {
                AddMomentum(track, row, momentumWeight, rowLimit);
            }
            if (rowLimit < limit)
            {
                for (int c = 0; c < row.Length; c++)
                {
                    if (!(row[c] < rowLimit))
                    {
                        row[c] = limit;
                    }
                }
            }
        }
        _solver.Solve(_cost, rowCount, colCount, limit, _rowToCol, _colToRow);
    }

    /// <summary>
    /// Mask IoU as an association cue, on one row of the first association: each pair that passes the box gate and whose
    /// detection has a mask gets the similarity (1 − α) · IoU_box + α · IoU_mask (α = <see cref="TrackerOptions.MaskIouWeight"/>,
    /// both times the score when fused), kept under the limit: the box gate alone decides which pairs may match, the mask
    /// only which of them match. Two objects whose boxes overlap — a pedestrian before a car, two people crossing — have
    /// masks that barely do, so the mask separates exactly the pairs a box cannot. A pair with no rival in its row or its
    /// column is matched whatever its cost, so only rows with a contested pair come here (<see cref="IsContested"/>: the
    /// cost of the cue grows with how crowded the scene is, not with how many objects it holds); in such a row every gated
    /// pair is contested, by the row's other pairs or, for a row's only one, by its column.
    /// </summary>
    private void BlendMaskIou(ReadOnlySpan<Detection> detections, int slot, Span<float> row, float limit)
    {
        TrackMasks masks = _trackMasks!;
        DetectionSet set = _frameMasks!;
        float alpha = _options.MaskIouWeight;
        BoundingBox predicted = _tracks[slot].PredictedBox;
        // Just under the limit: the solver keeps only pairs strictly below it.
        float ceiling = MathF.BitDecrement(limit);
        for (int c = 0; c < row.Length; c++)
        {
            ref readonly Detection d = ref detections[_cols[c]];
            if (!(row[c] < limit) || !d.HasMask)
            {
                continue;
            }
            MaskGrid grid = set.Masks[d.MaskIndex];
            ReadOnlySpan<float> cells = set.MaskCells(d.MaskIndex);
            if (float.IsNaN(_colMaskAreas[c]))
            {
                _colMaskAreas[c] = masks.DetectionArea(grid, cells);
            }
            if (_colMaskAreas[c] == 0f)
            {
                continue; // a mask with no cell over the threshold says nothing (a small object's soft mask): the box decides
            }
            float maskIou = masks.Iou(slot, predicted, grid, cells, _colMaskAreas[c]);
            // row[c] = 1 − IoU_box · score.
            row[c] = MathF.Min(1f - (((1f - alpha) * (1f - row[c])) + (alpha * maskIou * _colScores[c])), ceiling);
        }
    }

    /// <summary>Whether row <paramref name="r"/> has a pair under its gate with a rival in its row or column (after <see cref="CountGated"/>).</summary>
    private bool IsContested(int r) => _rowGated[r] > 1 || (_rowGated[r] == 1 && _colGated[_rowGatedColumn[r]] > 1);

    /// <summary>
    /// How many pairs of each row (<c>_rowGated</c>) and each column (<c>_colGated</c>) of the cost matrix are under their
    /// row's gate, and one gated column of each row (<c>_rowGatedColumn</c>, the only one when the row has one).
    /// </summary>
    private void CountGated(int rowCount, int colCount, float limit, bool classGates)
    {
        Span<int> columns = _colGated.AsSpan(0, colCount);
        columns.Clear();
        for (int r = 0; r < rowCount; r++)
        {
            float rowLimit = classGates ? ClassLimit(_tracks[_rows[r]].ClassId) : limit;
            ReadOnlySpan<float> row = _cost.AsSpan(r * colCount, colCount);
            int inRow = 0, c = 0, gatedColumn = -1;
            if (Vector.IsHardwareAccelerated)
            {
                var gate = new Vector<float>(rowLimit);
                for (; c <= colCount - Vector<float>.Count; c += Vector<float>.Count)
                {
                    Vector<int> under = Vector.LessThan(new Vector<float>(row.Slice(c, Vector<float>.Count)), gate); // −1 per gated pair
                    if (under != Vector<int>.Zero)
                    {
                        Span<int> counts = columns.Slice(c, Vector<int>.Count);
                        (new Vector<int>(counts) - under).CopyTo(counts);
                        inRow -= Vector.Sum(under);
                        for (int k = 0; k < Vector<int>.Count; k++)
                        {
                            gatedColumn = under[k] != 0 ? c + k : gatedColumn;
                        }
                    }
                }
            }
            for (; c < colCount; c++)
            {
                if (row[c] < rowLimit)
                {
                    columns[c]++;
                    inRow++;
                    gatedColumn = c;
                }
            }
            _rowGated[r] = inRow;
            _rowGatedColumn[r] = gatedColumn;
        }
    }

    /// <summary>With mask IoU on: keeps the matched detection's mask in the track's slot (clears it when the detection has none).</summary>
    private void StoreMask(int slot, in Detection d)
    {
        if (_trackMasks is not { } masks)
        {
            return;
        }
        if (_frameMasks is { } set && d.HasMask)
        {
            masks.Store(slot, d.Box, set.Masks[d.MaskIndex], set.MaskCells(d.MaskIndex));
        }
        else
        {
            masks.Clear(slot);
        }
    }

    private float ClassLimit(int classId) => (uint)classId < (uint)_classLimits.Length ? _classLimits[classId] : 1f - _options.MatchIouThreshold;

    /// <summary>The detections of <c>_cols</c> as structure-of-arrays, so a row of costs is computed Vector&lt;float&gt;.Count pairs at a time.</summary>
    private void FillColumns(ReadOnlySpan<Detection> detections, int colCount, bool fuseScore)
    {
        bool classAware = _options.ClassAware;
        for (int c = 0; c < colCount; c++)
        {
            ref readonly Detection d = ref detections[_cols[c]];
            _colX1[c] = d.Box.X1;
            _colY1[c] = d.Box.Y1;
            _colX2[c] = d.Box.X2;
            _colY2[c] = d.Box.Y2;
            _colAreas[c] = d.Box.Area;
            _colScores[c] = fuseScore ? _effectiveScores[_cols[c]] : 1f;
            _colClasses[c] = classAware ? d.ClassId : 0;
        }
    }

    /// <summary>
    /// OC-SORT's momentum term on one row of costs: pairs that passed the overlap gate get − weight × score × cos(angle
    /// between the track's direction of travel and the direction to the detection), kept under the limit so the gate
    /// alone decides which pairs may match.
    /// </summary>
    private void AddMomentum(in Track track, Span<float> row, float weight, float limit)
    {
        int back = Math.Min(track.Observations - 1, _options.MomentumDeltaFrames);
        float fromX = back == 1 ? track.PrevX1 : back == 2 ? track.PrevX2 : track.PrevX3;
        float fromY = back == 1 ? track.PrevY1 : back == 2 ? track.PrevY2 : track.PrevY3;
        float lastX = track.LastObservation.CenterX, lastY = track.LastObservation.CenterY;
        float dx = lastX - fromX, dy = lastY - fromY;
        float norm = MathF.Sqrt((dx * dx) + (dy * dy));
        if (norm < 1e-3f)
        {
            return;
        }
        dx /= norm;
        dy /= norm;
        // Just under the limit: the solver keeps only pairs strictly below it.
        float ceiling = MathF.BitDecrement(limit);
        for (int c = 0; c < row.Length; c++)
        {
            if (!(row[c] < limit))
            {
                continue;
            }
            float ex = ((_colX1[c] + _colX2[c]) * 0.5f) - lastX;
            float ey = ((_colY1[c] + _colY2[c]) * 0.5f) - lastY;
            float en = MathF.Sqrt((ex * ex) + (ey * ey));
            if (en < 1e-3f)
            {
                continue;
            }
            float cos = ((ex * dx) + (ey * dy)) / en;
            row[c] = MathF.Min(row[c] - (weight * _colScores[c] * cos), ceiling);
        }
    }

    /// <summary>
    /// Whether a low-score detection overlaps a high-score one (same class when class-aware) by more than
    /// <see cref="TrackerOptions.BoostShadowIouThreshold"/> (never when that is off): then it is most likely the same
    /// object's second, worse-placed box, which boosting must not raise into the first association.
    /// </summary>
    private bool ShadowedByHighDetection(ReadOnlySpan<Detection> detections, in Detection d)
    {
        if (_options.BoostShadowIouThreshold is not float shadowIou)
        {
            return false;
        }
        bool classAware = _options.ClassAware;
        for (int j = 0; j < detections.Length; j++)
        {
            ref readonly Detection other = ref detections[j];
            if (other.Score >= _options.HighScoreThreshold && (!classAware || other.ClassId == d.ClassId) && IsUsable(other.Box)
                && BoundingBox.IoU(other.Box, d.Box) > shadowIou)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>The largest IoU of <paramref name="d"/> with a confirmed track's prediction (same class when class-aware).</summary>
    private float BestConfirmedOverlap(in Detection d)
    {
        float best = 0f;
        bool classAware = _options.ClassAware;
        for (int t = 0; t < _trackCount; t++)
        {
            ref readonly Track track = ref _tracks[t];
            if (track.State is not (TrackState.Tracked or TrackState.Lost) || (classAware && track.ClassId != d.ClassId))
            {
                continue;
            }
            best = MathF.Max(best, BoundingBox.IoU(track.PredictedBox, d.Box));
        }
        return best;
    }

    /// <summary>
    /// OC-SORT's observation-centric recovery: confirmed tracks unmatched on this frame × untaken high-score detections,
    /// by plain IoU of the track's last observed box; matches re-activate the track.
    /// </summary>
    private void Recover(ReadOnlySpan<Detection> detections, long frameIndex, int highCount, float minIou)
    {
        int rowCount = 0;
        for (int t = 0; t < _trackCount; t++)
        {
            if (_tracks[t].State == TrackState.Lost && _tracks[t].DetectionIndex < 0 && frameIndex - _tracks[t].LastSeenFrame <= _options.RecoveryMaxGapFrames)
            {
                _rows[rowCount++] = t;
            }
        }
        int colCount = CollectUntaken(_high.AsSpan(0, highCount));
        if (rowCount == 0 || colCount == 0)
        {
            return;
        }
        bool classAware = _options.ClassAware;
        FillColumns(detections, colCount, fuseScore: false);
        for (int r = 0; r < rowCount; r++)
        {
            ref readonly Track track = ref _tracks[_rows[r]];
            PairCosts.IouCostRow(track.LastObservation, classAware ? track.ClassId : 0, _colX1, _colY1, _colX2, _colY2, _colAreas, _colScores,
                _colClasses, _cost.AsSpan(r * colCount, colCount));
        }
        _solver.Solve(_cost, rowCount, colCount, 1f - minIou, _rowToCol, _colToRow);
        for (int r = 0; r < rowCount; r++)
        {
            int c = _rowToCol[r];
            if (c >= 0)
            {
                Match(_rows[r], detections, _cols[c], frameIndex);
            }
        }
    }

    private void Match(int slot, ReadOnlySpan<Detection> detections, int detectionIndex, long frameIndex)
    {
        ref Track track = ref _tracks[slot];
        ref readonly Detection d = ref detections[detectionIndex];
        Debug.Assert(!_detectionTaken[detectionIndex], "a detection is matched at most once per frame");
        double noise = _options.ConfidenceScaledNoise ? Math.Max(1d - d.Score, TrackerOptions.MinConfidenceNoiseScale) : 1d;
        long gap = frameIndex - track.LastSeenFrame;
        if (_options.ObservationCentricReupdate && gap > 1 && track.State != TrackState.New)
        {
            Reupdate(ref track, d.Box, (int)gap, noise);
        }
        else
        {
            track.Filter.Update(d.Box, noise);
        }
        track.ObservedFilter = track.Filter;
        track.PrevX3 = track.PrevX2;
        track.PrevY3 = track.PrevY2;
        track.PrevX2 = track.PrevX1;
        track.PrevY2 = track.PrevY1;
        track.PrevX1 = track.LastObservation.CenterX;
        track.PrevY1 = track.LastObservation.CenterY;
        track.LastObservation = d.Box;
        track.Observations = Math.Min(track.Observations + 1, 4);
        track.State = TrackState.Tracked;
        track.LastSeenFrame = frameIndex;
        track.Score = d.Score;
        track.DetectionIndex = detectionIndex;
        if (!_options.ClassAware)
        {
            track.ClassId = d.ClassId;
        }
        StoreMask(slot, d);
        _detectionTaken[detectionIndex] = true;
    }

    /// <summary>
    /// OC-SORT's re-update: from the filter as it was at the last observation, predicts <paramref name="gap"/> frames along
    /// a straight virtual path of boxes from that observation to <paramref name="observed"/>, updating on each of them.
    /// </summary>
    private static void Reupdate(ref Track track, in BoundingBox observed, int gap, double noise)
    {
        KalmanBoxFilter filter = track.ObservedFilter;
        BoundingBox from = track.LastObservation;
        for (int k = 1; k < gap; k++)
        {
            float t = k / (float)gap;
            filter.Predict(freezeSize: false);
            var virtualBox = new BoundingBox(
                from.X1 + ((observed.X1 - from.X1) * t), from.Y1 + ((observed.Y1 - from.Y1) * t),
                from.X2 + ((observed.X2 - from.X2) * t), from.Y2 + ((observed.Y2 - from.Y2) * t));
            filter.Update(virtualBox, noise);
        }
        filter.Predict(freezeSize: false);
        filter.Update(observed, noise);
        track.Filter = filter;
    }

    private void RemoveDuplicates(long frameIndex)
    {
        float threshold = _options.DuplicateIouThreshold;
        if (threshold > 1f)
        {
            return;
        }
        // Lost tracks are few; gather them (with their boxes) once instead of scanning all pairs of tracks.
        int lostCount = 0;
        for (int t = 0; t < _trackCount; t++)
        {
            if (_tracks[t].State == TrackState.Lost)
            {
                _rows[lostCount] = t;
                _lostBoxes[lostCount++] = _tracks[t].Filter.Box;
            }
        }
        if (lostCount == 0)
        {
            return;
        }
        Array.Clear(_dropTrack, 0, _trackCount);
        // ByteTrack decides every pair against the original lists, then drops; so does this.
        for (int a = 0; a < _trackCount; a++)
        {
            ref readonly Track tracked = ref _tracks[a];
            if (tracked.State is not (TrackState.Tracked or TrackState.New))
            {
                continue;
            }
            BoundingBox trackedBox = tracked.Filter.Box;
            for (int k = 0; k < lostCount; k++)
            {
                int b = _rows[k];
                ref readonly Track lost = ref _tracks[b];
                if ((_options.ClassAware && lost.ClassId != tracked.ClassId) || BoundingBox.IoU(trackedBox, _lostBoxes[k]) <= threshold)
                {
                    continue;
                }
                long trackedFor = frameIndex - tracked.StartFrame;
                long lostFor = lost.LastSeenFrame - lost.StartFrame;
                _dropTrack[trackedFor > lostFor ? b : a] = true;
            }
        }
        for (int t = 0; t < _trackCount; t++)
        {
            if (_dropTrack[t])
            {
                _tracks[t].State = TrackState.Removed;
            }
        }
    }

    /// <summary>Removes <see cref="TrackState.Removed"/> slots, keeping creation order (which fixes tie-breaking).</summary>
    private void Compact()
    {
        int w = 0;
        for (int t = 0; t < _trackCount; t++)
        {
            if (_tracks[t].State == TrackState.Removed)
            {
                continue;
            }
            if (w != t)
            {
                _tracks[w] = _tracks[t];
                _trackMasks?.Move(t, w);
            }
            w++;
        }
        _trackCount = w;
    }

    private int AllocateId()
    {
        if (_nextId > int.MaxValue)
        {
            ThrowIdsExhausted();
        }
        return (int)_nextId++;
    }

    [Conditional("DEBUG")]
    private void AssertInvariants()
    {
        Debug.Assert(_trackCount <= _tracks.Length);
        for (int t = 0; t < _trackCount; t++)
        {
            ref readonly Track track = ref _tracks[t];
            Debug.Assert(track.State != TrackState.Removed, "removed tracks are compacted away");
            Debug.Assert(track.State == TrackState.New ? track.Id == 0 : track.Id >= 1 && track.Id < _nextId, "ids come from the allocator");
            Debug.Assert(track.LastSeenFrame >= track.StartFrame && track.LastSeenFrame <= _lastFrame);
            for (int u = t + 1; u < _trackCount; u++)
            {
                Debug.Assert(track.Id == 0 || _tracks[u].Id != track.Id, "track ids are unique");
            }
        }
    }

    [DoesNotReturn]
    private static void ThrowTooManyDetections(int count, int max, string paramName)
        => throw new ArgumentException($"{count} detections exceed {nameof(TrackerOptions)}.{nameof(TrackerOptions.MaxDetections)} = {max}", paramName);

    [DoesNotReturn]
    private static void ThrowAssignmentsTooShort(int length, int needed, string paramName)
        => throw new ArgumentException($"assignments has {length} elements but there are {needed} detections", paramName);

    [DoesNotReturn]
    private static void ThrowFrameNotIncreasing(long frameIndex, long last, string paramName)
        => throw new ArgumentOutOfRangeException(paramName, frameIndex, $"frame indices must strictly increase; the previous one was {last}");

    [DoesNotReturn]
    private static void ThrowIdsExhausted()
        => throw new InvalidOperationException("track ids exhausted (int.MaxValue reached); ids are never reused");
}
