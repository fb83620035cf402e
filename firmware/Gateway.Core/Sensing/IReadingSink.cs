namespace Gateway.Core.Sensing
{
    /// <summary>
    /// Where the sampling pipeline hands over the readings to keep (the record log implements it). Called on the
    /// main loop thread; must not keep the reference and should not allocate.
    /// </summary>
    public interface IReadingSink
    {
        /// <summary>Accepts one reading (valid or flagged) for durable storage.</summary>
        void Accept(ref Reading reading);
    }
}
