using RealtimeSeg.Core;

namespace RealtimeSeg.Protocol;

/// <summary>A decoded meta message: the category table one stream's frames refer to.</summary>
/// <param name="Stream">Stream name, e.g. "s0".</param>
/// <param name="Version">
/// The <c>cat_ver</c> announced by the publisher. Frames whose <c>cat_ver</c> equals it were made with this
/// table. The reference publisher sends <see cref="CategoryTable.Version"/>; other publishers may use any
/// 32-bit value, so subscribers match on this field, never on a recomputed hash.
/// </param>
/// <param name="Categories">The table.</param>
public sealed record CategoryTableMessage(string Stream, uint Version, CategoryTable Categories);
