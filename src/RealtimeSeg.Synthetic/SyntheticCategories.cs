using RealtimeSeg.Core;

namespace RealtimeSeg.Synthetic;

/// <summary>
/// The categories of the synthetic drive. Ids are Cityscapes label ids (as in Cityscapes' own panoptic JSON), so an
/// exported sequence can be scored with Cityscapes tooling; <c>lane_marking</c>, which Cityscapes lacks, takes id 34,
/// the first id after Cityscapes' 0…33. Colours are the Cityscapes palette (lane marking white).
/// <list type="table">
/// <item><term>7 road</term><description>stuff, (128, 64, 128)</description></item>
/// <item><term>8 sidewalk</term><description>stuff, (244, 35, 232); includes the curb, as in Cityscapes</description></item>
/// <item><term>11 building</term><description>stuff, (70, 70, 70)</description></item>
/// <item><term>21 vegetation</term><description>stuff, (107, 142, 35); trees, hedges and grass verges</description></item>
/// <item><term>23 sky</term><description>stuff, (70, 130, 180)</description></item>
/// <item><term>24 person</term><description>thing, (220, 20, 60); pedestrians and cyclists' riders</description></item>
/// <item><term>26 car</term><description>thing, (0, 0, 142); every motor vehicle of the scene</description></item>
/// <item><term>33 bicycle</term><description>thing, (119, 11, 32)</description></item>
/// <item><term>34 lane_marking</term><description>stuff, (255, 255, 255); lane lines and zebra crossings</description></item>
/// </list>
/// </summary>
public static class SyntheticCategories
{
    public const int Road = 7;
    public const int Sidewalk = 8;
    public const int Building = 11;
    public const int Vegetation = 21;
    public const int Sky = 23;
    public const int Person = 24;
    public const int Car = 26;
    public const int Bicycle = 33;
    public const int LaneMarking = 34;

    /// <summary>Every id is below this bound (the ground-truth map keeps stuff segment ids under it).</summary>
    internal const int IdBound = 35;

    /// <summary>The table, in id order. Immutable.</summary>
    public static CategoryTable Table { get; } = new(
    [
        new Category(Road, "road", IsThing: false, 0x804080),
        new Category(Sidewalk, "sidewalk", IsThing: false, 0xF423E8),
        new Category(Building, "building", IsThing: false, 0x464646),
        new Category(Vegetation, "vegetation", IsThing: false, 0x6B8E23),
        new Category(Sky, "sky", IsThing: false, 0x4682B4),
        new Category(Person, "person", IsThing: true, 0xDC143C),
        new Category(Car, "car", IsThing: true, 0x00008E),
        new Category(Bicycle, "bicycle", IsThing: true, 0x770B20),
        new Category(LaneMarking, "lane_marking", IsThing: false, 0xFFFFFF),
    ]);

    /// <summary>
    /// The MOTChallenge (MOT17/MOT20) class code written in column 8 of <c>gt.txt</c>: 1 pedestrian, 2 person on
    /// vehicle (a cyclist's rider), 3 car, 4 bicycle. Reference evaluators score class 1 and treat 2 as a distractor.
    /// </summary>
    public static int MotClassOf(SyntheticThingKind kind) => kind switch
    {
        SyntheticThingKind.Pedestrian => 1,
        SyntheticThingKind.Rider => 2,
        SyntheticThingKind.Car => 3,
        SyntheticThingKind.Bicycle => 4,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "only things have a MOTChallenge class"),
    };

    /// <summary>True for the thing categories (person, car, bicycle).</summary>
    public static bool IsThing(int categoryId) => categoryId is Person or Car or Bicycle;
}
