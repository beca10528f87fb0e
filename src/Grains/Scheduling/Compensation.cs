namespace ClinicCluster.Scheduling;

/// <summary>
/// Undo steps run after a failure (releasing holds a failed booking took). An undo can fail too,
/// and then the caller must still see the failure it was undoing: that one says what went wrong
/// with the request, the undo's own failure only that a view is left for the calendar to resolve.
/// </summary>
public static class Compensation
{
    /// <summary>
    /// Runs <paramref name="step"/>; if it throws, runs <paramref name="undo"/> and rethrows the
    /// step's exception unchanged, whatever the undo did (its failure goes to <paramref name="undoFailed"/>).
    /// </summary>
    public static async Task OrUndoAsync(Func<Task> step, Func<Task> undo, Action<Exception> undoFailed)
    {
        try
        {
            await step();
        }
        catch
        {
            await TryAsync(undo, undoFailed);
            throw;
        }
    }

    /// <summary>
    /// Runs <paramref name="undo"/> and never throws: false, after <paramref name="failed"/> saw
    /// the exception, when it failed. Even a cancellation is swallowed here, because the answer
    /// the caller gets is already decided by the failure or refusal being undone.
    /// </summary>
    public static async Task<bool> TryAsync(Func<Task> undo, Action<Exception> failed)
    {
        try
        {
            await undo();
            return true;
        }
        catch (Exception exception)
        {
            failed(exception);
            return false;
        }
    }
}
