using System.Data.Common;
using Centric.Server.Platform.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Centric.Server.Platform.Outbox;

/// <summary>
/// Tells this process's dispatcher that interactions were committed, so an idle dispatcher delivers them at once instead
/// of at its next poll. The poll stays for what other nodes and other writers commit, and can be slow.
/// </summary>
public sealed class OutboxSignal
{
    private TaskCompletionSource _next = NewSource();

    /// <summary>Completes at the first commit after it is read: read it before looking, so no commit slips between.</summary>
    public Task Next => Volatile.Read(ref _next).Task;

    public void Committed() => Interlocked.Exchange(ref _next, NewSource()).TrySetResult();

    private static TaskCompletionSource NewSource() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>
/// Raises <see cref="OutboxSignal"/> when a context that wrote outbox rows (<see cref="CentricDbContext.WroteOutbox"/>)
/// commits them: at the end of its save, or of its transaction when it has one open.
/// </summary>
internal sealed class OutboxCommitInterceptor(OutboxSignal signal) : ISaveChangesInterceptor, IDbTransactionInterceptor
{
    public int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        SaveEnded(eventData.Context);
        return result;
    }

    public ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        SaveEnded(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public void SaveChangesFailed(DbContextErrorEventData eventData) => SaveFailed(eventData.Context);

    public Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        SaveFailed(eventData.Context);
        return Task.CompletedTask;
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Committed(eventData.Context);

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Committed(eventData.Context);
        return Task.CompletedTask;
    }

    public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Forget(eventData.Context);

    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Forget(eventData.Context);
        return Task.CompletedTask;
    }

    /// <summary>A save outside a transaction has committed; inside one, the commit is yet to come.</summary>
    private void SaveEnded(DbContext? context)
    {
        if (context is CentricDbContext { WroteOutbox: true } db && db.Database.CurrentTransaction is null) Committed(db);
    }

    /// <summary>A failed save outside a transaction wrote nothing; inside one, the transaction decides.</summary>
    private static void SaveFailed(DbContext? context)
    {
        if (context is CentricDbContext db && db.Database.CurrentTransaction is null) db.WroteOutbox = false;
    }

    private void Committed(DbContext? context)
    {
        if (context is not CentricDbContext { WroteOutbox: true } db) return;
        db.WroteOutbox = false;
        signal.Committed();
    }

    private static void Forget(DbContext? context)
    {
        if (context is CentricDbContext db) db.WroteOutbox = false;
    }
}
