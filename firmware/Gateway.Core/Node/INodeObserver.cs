using Gateway.Core.Sensing;

namespace Gateway.Core.Node
{
    /// <summary>
    /// Watches what the node stores (the simulator's ground truth, the console's live view). Called on the main loop
    /// thread right after the record is committed; must not allocate or block.
    /// </summary>
    public interface INodeObserver
    {
        /// <summary>A reading was stored under <paramref name="sequence"/>.</summary>
        void OnReadingStored(uint sequence, ref Reading reading);

        /// <summary>An event or alarm was stored under <paramref name="sequence"/>.</summary>
        void OnEventStored(uint sequence, ref SensingEvent sensingEvent);
    }
}
