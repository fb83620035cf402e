namespace Gateway.Core.Storage
{
    public sealed partial class RecordLog
    {
        // ===================================================================== health

        /// <summary>
        /// Program/erase cycles a 4 KB sector of the module's NOR flash endures: minimum 100,000 (Winbond W25Q32JV
        /// datasheet, revision F, 2017-05-11, section 2 "Features"; GigaDevice GD25Q32C gives the same figure).
        /// </summary>
        public const double EnduranceCycles = 100000.0;

        /// <summary>
        /// Fills the storage figures for the heartbeat. Rates use <paramref name="elapsedMs"/> (time since open) and
        /// spread erases over <paramref name="partitionBlocks"/> (littlefs wear-levels across the whole partition).
        /// </summary>
        public void FillHealth(StorageHealth h, long elapsedMs, int partitionBlocks)
        {
            h.SegmentsInUse = _segCount + (_journalId != 0 ? 1 : 0);
            h.BytesInUse = UsedBytes();
            h.HighWaterBytes = _highWater;
            h.BudgetBytes = _s.BudgetBytes;
            h.BytesWritten = _bytesWritten;
            h.Commits = _commits;
            h.EstimatedErases = _eraseMilli / 1000.0;
            double days = elapsedMs / 86400000.0;
            h.EraseCyclesPerBlockPerDay = days > 0 && partitionBlocks > 0 ? h.EstimatedErases / days / partitionBlocks : 0;
            h.LifetimeYears = h.EraseCyclesPerBlockPerDay > 0 ? EnduranceCycles / h.EraseCyclesPerBlockPerDay / 365.25 : 0;
            h.TornAtRecovery = _tornAtRecovery;
            h.TornBytesAtRecovery = _tornBytesAtRecovery;
            h.CorruptFilesAtRecovery = _corruptFiles;
            h.DuplicateFilesAtRecovery = _duplicateFiles;
            h.ReadErrors = _readErrors;
            h.CapacityRewrites = _rewrites;
            h.ReadingsDropped = _dropped;
            h.ReadingsAtRiskHighWater = _atRiskHighWater;
            h.Format = _format;
            h.BootCount = _bootCount;
            h.Epoch = _epoch;
            h.NextSequence = _nextSeq;
        }
    }
}
