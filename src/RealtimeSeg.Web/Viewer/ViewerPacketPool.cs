namespace RealtimeSeg.Web.Viewer;

/// <summary>
/// Packets for the viewer's clients. The number out at once is bounded by the clients and streams (each client keeps at
/// most one waiting and one being sent per stream), so the pool grows to that and stays there.
/// </summary>
internal sealed class ViewerPacketPool
{
    private readonly Stack<ViewerPacket> _free = new();
    private readonly Lock _gate = new();
    private int _created;

    /// <summary>Packets made so far (diagnostics: it stops growing once clients and streams are steady).</summary>
    public int Created => Volatile.Read(ref _created);

    /// <summary>Packets out of the pool right now.</summary>
    public int Outstanding
    {
        get
        {
            lock (_gate)
            {
                return _created - _free.Count;
            }
        }
    }

    public ViewerPacket Rent()
    {
        ViewerPacket? packet;
        lock (_gate)
        {
            if (!_free.TryPop(out packet))
            {
                packet = new ViewerPacket(this);
                _created++;
            }
        }
        packet.OnRent();
        return packet;
    }

    internal void Return(ViewerPacket packet)
    {
        lock (_gate)
        {
            _free.Push(packet);
        }
    }
}
