namespace Gateway.Core.Storage
{
    /// <summary>Codes of the <see cref="RecordKind.Marker"/> records the log writes itself. Never renumber.</summary>
    public static class MarkerCode
    {
        /// <summary>The supply is failing: everything staged was committed just before this marker.</summary>
        public const ushort PowerFailing = 1;
    }
}
