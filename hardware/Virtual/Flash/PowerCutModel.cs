namespace Gateway.Virtual.Flash;

/// <summary>What a power cut in the middle of a write leaves behind.</summary>
public enum PowerCutModel
{
    /// <summary>littlefs semantics: a file keeps its last committed state (an interrupted append or replace is lost whole).</summary>
    LittleFs,

    /// <summary>
    /// A harsher raw medium: an interrupted append leaves part of the new bytes followed by garbage at the tail;
    /// an interrupted replace leaves the file truncated to a partial prefix plus garbage.
    /// </summary>
    RawAppend,
}
