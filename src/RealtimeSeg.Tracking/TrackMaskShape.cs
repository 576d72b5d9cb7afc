namespace RealtimeSeg.Tracking;

/// <summary>
/// Where a <see cref="TrackMasks"/> slot's cells lie, relative to the box the mask was observed with (0 = the box's left
/// or top edge, 1 = its right or bottom edge), so the mask moves and scales with whatever box the track is predicted at.
/// </summary>
/// <param name="Width">Cells per row (0: the slot holds no mask).</param>
/// <param name="Height">Rows.</param>
/// <param name="CentreU">Horizontal centre of cell column 0, in box widths from the box's left edge.</param>
/// <param name="CentreV">Vertical centre of cell row 0, in box heights from the box's top edge.</param>
/// <param name="StepU">Distance between neighbouring cell centres (and a cell's width), in box widths.</param>
/// <param name="StepV">The same vertically, in box heights.</param>
/// <param name="SetCells">Cells at or above the threshold; 0 means the slot has nothing to compare.</param>
internal readonly record struct TrackMaskShape(int Width, int Height, float CentreU, float CentreV, float StepU, float StepV, int SetCells);
