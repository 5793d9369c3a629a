namespace Kiln.Storage.FileSystems.Ntfs;

/// <summary>One run of a non-resident attribute: <see cref="Count"/> clusters from VCN at LCN (-1 = sparse, reads as zeros).</summary>
public readonly record struct NtfsDataRun(long Vcn, long Lcn, long Count)
{
    public bool IsSparse => Lcn < 0;
}
