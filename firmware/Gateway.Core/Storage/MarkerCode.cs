namespace Gateway.Core.Storage
{
    /// <summary>Codes of the <see cref="RecordKind.Marker"/> records the log writes itself. Never renumber.</summary>
    public static class MarkerCode
    {
        /// <summary>The supply is failing: everything staged was committed just before this marker.</summary>
        public const ushort PowerFailing = 1;

        /// <summary>A technician's link test (commissioning): the batch that carries it must come back acknowledged.</summary>
        public const ushort TechnicianLinkTest = 2;
    }
}
