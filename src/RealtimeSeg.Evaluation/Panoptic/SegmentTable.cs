using System.Diagnostics;
using RealtimeSeg.Formats.Panoptic;

namespace RealtimeSeg.Evaluation.Panoptic;

/// <summary>
/// One image's segments_info, indexed densely: index 0 is void (id 0), 1…<see cref="Count"/> the listed segments in
/// file order, and <see cref="Unlisted"/> stands for ids found in a PNG but absent from the list. Reused per image.
/// </summary>
internal sealed class SegmentTable
{
    private readonly Dictionary<int, int> _indexOfId = [];
    private IReadOnlyList<CocoSegmentInfo> _segments = [];

    public int Count => _segments.Count;

    /// <summary>The index standing for ids present in a PNG but not listed.</summary>
    public int Unlisted => _segments.Count + 1;

    /// <summary>Segment at <paramref name="index"/> (1…<see cref="Count"/>).</summary>
    public CocoSegmentInfo this[int index]
    {
        get
        {
            Debug.Assert(index >= 1 && index <= Count);
            return _segments[index - 1];
        }
    }

    /// <exception cref="InvalidDataException">A segment id is listed twice, is 0 (void) or negative.</exception>
    public void Load(IReadOnlyList<CocoSegmentInfo> segments, string source, string role)
    {
        ArgumentNullException.ThrowIfNull(segments);
        _indexOfId.Clear();
        _segments = segments;
        for (int i = 0; i < segments.Count; i++)
        {
            int id = segments[i].Id;
            if (id <= 0)
            {
                throw new InvalidDataException($"{source} ({role}): segments_info[{i}] has id {id}; segment ids are positive (0 is void)");
            }
            if (!_indexOfId.TryAdd(id, i + 1))
            {
                throw new InvalidDataException($"{source} ({role}): segment id {id} is listed twice in segments_info");
            }
        }
        AssertInvariants();
    }

    /// <summary>The index of <paramref name="id"/>: 0 for void, <see cref="Unlisted"/> when not listed.</summary>
    public int IndexOf(int id) => id == 0 ? 0 : _indexOfId.TryGetValue(id, out int index) ? index : Unlisted;

    [Conditional("DEBUG")]
    public void AssertInvariants() => Debug.Assert(_indexOfId.Count == _segments.Count);
}
