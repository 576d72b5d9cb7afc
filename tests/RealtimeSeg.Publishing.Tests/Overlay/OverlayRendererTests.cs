using RealtimeSeg.Core;
using RealtimeSeg.Publishing.Overlay;
using RealtimeSeg.TestSupport;

namespace RealtimeSeg.Publishing.Tests.Overlay;

/// <summary>
/// The shared drawing style, pixel by pixel, on a hand-built frame over a flat grey camera image: stuff blended at
/// 0.40, a tracked thing filled at 0.25 with a 2-px opaque outline in its track's colour, an untracked thing outlined
/// only, in its category colour; the label box in the track colour with white text; the trail; the heads-up box.
/// Expected colours are computed here from the style's alphas, not read back from the renderer.
/// </summary>
public sealed class OverlayRendererTests
{
    private const int Width = 160, Height = 120;
    private const byte Grey = 100;
    private const int TrackId = 7;

    private static readonly CategoryTable Categories = new(
    [
        new Category(3, "car", true, 0x00008E),
        new Category(1, "person", true, 0xDC143C),
        new Category(100, "road", false, 0x804080),
    ]);

    // Map cells are 2 × 2 canvas pixels (map 80 × 60, canvas 160 × 120, image coordinates = canvas coordinates).
    private const int RoadTopCell = 50;                       // road: rows 50…59 → canvas y 100…119
    private const int CarLeft = 20, CarTop = 20, CarCells = 15; // car: cells 20…34 → canvas 40…69
    private const int PersonLeft = 50, PersonTop = 20, PersonCells = 10; // untracked person: cells 50…59 → canvas 100…119

    [Fact]
    public void Render_Stuff_BlendsCategoryColourAtFortyPercent()
    {
        OverlayRenderer renderer = RenderScene(carShift: 0);

        AssertNear(Blend(Grey, 0x804080, 0.40), Pixel(renderer, 80, 110), "a road pixel");
    }

    [Fact]
    public void Render_TrackedThing_FilledAtQuarterAndOutlinedTwoPixelsInTrackColour()
    {
        OverlayRenderer renderer = RenderScene(carShift: 0);
        int track = Palette.ColorFor(TrackId);
        int left = CarLeft * 2, right = ((CarLeft + CarCells) * 2) - 1, y = (CarTop * 2) + 15;

        Assert.Equal(track, Pixel(renderer, left, y));
        Assert.Equal(track, Pixel(renderer, left + 1, y));
        Assert.Equal(track, Pixel(renderer, right, y));
        Assert.Equal(track, Pixel(renderer, right - 1, y));
        AssertNear(Blend(Grey, track, 0.25), Pixel(renderer, left + 2, y), "just inside the outline");
        AssertNear(Rgb(Grey), Pixel(renderer, left - 1, y), "just outside the car");
    }

    [Fact]
    public void Render_UntrackedThing_OutlinedInCategoryColourOnly()
    {
        OverlayRenderer renderer = RenderScene(carShift: 0);
        int left = PersonLeft * 2, y = (PersonTop * 2) + 10;

        Assert.Equal(0xDC143C, Pixel(renderer, left, y));
        Assert.Equal(0xDC143C, Pixel(renderer, left + 1, y));
        AssertNear(Rgb(Grey), Pixel(renderer, left + 5, y), "inside an untracked thing: no fill");
    }

    [Fact]
    public void Render_Label_BoxInTrackColourAboveTheBoxWithWhiteText()
    {
        OverlayRenderer renderer = RenderScene(carShift: 0);
        int track = Palette.ColorFor(TrackId);
        int top = CarTop * 2;

        // The label sits on the box's top edge, just above it: its bottom-left pixel is the box colour (padding).
        Assert.Equal(track, Pixel(renderer, CarLeft * 2, top - 1));
        int white = 0, trackColoured = 0;
        for (int y = top - 14; y < top; y++)
        {
            for (int x = CarLeft * 2; x < (CarLeft * 2) + 40; x++)
            {
                int p = Pixel(renderer, x, y);
                white += MinChannel(p) > 200 ? 1 : 0;
                trackColoured += p == track ? 1 : 0;
            }
        }
        Assert.True(white > 10, $"white text in the label: {white} near-white pixels (anti-aliased glyphs)");
        Assert.True(trackColoured > 100, $"label box in the track colour: {trackColoured} pixels");
    }

    [Fact]
    public void Render_TrackMoves_TrailJoinsItsCentroidsInTrackColour()
    {
        var renderer = new OverlayRenderer(Categories, "cam", Width, Height);
        byte[] camera = Camera();
        renderer.Render(camera, Width, Height, Scene(carShift: 0, sequence: 0));
        renderer.Render(camera, Width, Height, Scene(carShift: 10, sequence: 1));
        int track = Palette.ColorFor(TrackId);
        // Centroid of the car moved from canvas x 55 to 75 on row 55; the trail passes midway, inside the car.
        int cy = ((CarTop * 2) + (CarCells * 2 / 2));
        Assert.Equal(track, Pixel(renderer, 65, cy));
        // Without motion there is no trail at that point: the car's fill.
        OverlayRenderer still = RenderScene(carShift: 10);
        AssertNear(Blend(Grey, track, 0.25), Pixel(still, 65, cy), "no trail on a single frame");
    }

    [Fact]
    public void Render_HeadsUp_DarkBoxWithStreamTextTopLeft()
    {
        OverlayRenderer renderer = RenderScene(carShift: 0);

        int dark = 0, white = 0;
        for (int y = 0; y < 12; y++)
        {
            for (int x = 0; x < 60; x++)
            {
                int p = Pixel(renderer, x, y);
                dark += p == Rgb(50) ? 1 : 0;
                white += MinChannel(p) > 200 ? 1 : 0;
            }
        }
        Assert.True(dark > 200, $"translucent black box over grey: {dark} pixels of grey 50");
        Assert.True(white > 10, $"white heads-up text: {white} pixels");
    }

    [Fact]
    public void Render_SecondFrame_AllocatesNothing()
    {
        var renderer = new OverlayRenderer(Categories, "cam", Width, Height);
        byte[] camera = Camera();
        PanopticFrame a = Scene(carShift: 0, sequence: 0), b = Scene(carShift: 4, sequence: 1);
        renderer.Render(camera, Width, Height, a);
        renderer.Render(camera, Width, Height, b);

        // Several windows, the fewest bytes counted: a tier-1 recompilation landing in one window (560 B once in a full
        // CI run) is the runtime's, an allocation of the renderer's recurs in every window.
        long allocated = AllocationProbe.MinAllocatedBytes(() =>
        {
            for (int i = 0; i < 10; i++)
            {
                renderer.Render(camera, Width, Height, (i & 1) == 0 ? a : b);
            }
        });
        Assert.Equal(0, allocated);
    }

    private static OverlayRenderer RenderScene(int carShift)
    {
        var renderer = new OverlayRenderer(Categories, "cam", Width, Height);
        renderer.Render(Camera(), Width, Height, Scene(carShift, sequence: 0));
        return renderer;
    }

    private static byte[] Camera()
    {
        byte[] camera = new byte[Width * Height * 3];
        camera.AsSpan().Fill(Grey);
        return camera;
    }

    private static PanopticFrame Scene(int carShift, long sequence)
    {
        var frame = new PanopticFrame();
        frame.Reset(Width / 2, Height / 2);
        frame.Sequence = sequence;
        frame.ImageWidth = Width;
        frame.ImageHeight = Height;
        Span<ushort> map = frame.Map;
        for (int y = RoadTopCell; y < Height / 2; y++)
        {
            map.Slice(y * (Width / 2), Width / 2).Fill(1);
        }
        Square(map, CarLeft + carShift, CarTop, CarCells, 2);
        Square(map, PersonLeft, PersonTop, PersonCells, 3);

        ref PanopticSegment road = ref frame.AddSegment();
        road.Id = 1;
        road.CategoryId = 100;
        ref PanopticSegment car = ref frame.AddSegment();
        (car.Id, car.CategoryId, car.IsThing, car.TrackId, car.AgeFrames) = (2, 3, true, TrackId, 12);
        (car.BboxX, car.BboxY, car.BboxWidth, car.BboxHeight) = ((CarLeft + carShift) * 2, CarTop * 2, CarCells * 2, CarCells * 2);
        (car.CentroidX, car.CentroidY) = (car.BboxX + (car.BboxWidth / 2), car.BboxY + (car.BboxHeight / 2));
        ref PanopticSegment person = ref frame.AddSegment();
        (person.Id, person.CategoryId, person.IsThing, person.TrackId) = (3, 1, true, 0);
        (person.BboxX, person.BboxY, person.BboxWidth, person.BboxHeight) = (PersonLeft * 2, PersonTop * 2, PersonCells * 2, PersonCells * 2);
        return frame;
    }

    private static void Square(Span<ushort> map, int left, int top, int side, ushort id)
    {
        for (int y = top; y < top + side; y++)
        {
            map.Slice((y * (Width / 2)) + left, side).Fill(id);
        }
    }

    private static int Pixel(OverlayRenderer renderer, int x, int y)
    {
        ReadOnlySpan<byte> c = renderer.Canvas;
        int p = ((y * renderer.Width) + x) * 3;
        return (c[p + 2] << 16) | (c[p + 1] << 8) | c[p];
    }

    private static int MinChannel(int rgb) => Math.Min(rgb & 0xFF, Math.Min((rgb >> 8) & 0xFF, rgb >> 16));

    private static int Rgb(byte grey) => (grey << 16) | (grey << 8) | grey;

    private static int Blend(byte under, int rgb, double alpha)
    {
        int Channel(int shift) => (int)Math.Round((under * (1 - alpha)) + (((rgb >> shift) & 0xFF) * alpha));
        return (Channel(16) << 16) | (Channel(8) << 8) | Channel(0);
    }

    /// <summary>Each channel within 2 of the expected: the style's alphas are kept in 1/256 steps.</summary>
    private static void AssertNear(int expected, int actual, string what)
    {
        for (int shift = 0; shift <= 16; shift += 8)
        {
            int e = (expected >> shift) & 0xFF, a = (actual >> shift) & 0xFF;
            Assert.True(Math.Abs(e - a) <= 2, $"{what}: expected #{expected:X6}, got #{actual:X6}");
        }
    }
}
