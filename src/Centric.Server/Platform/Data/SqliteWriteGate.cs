using System.Collections.Concurrent;
using System.Data;
using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Storage;

namespace Centric.Server.Platform.Data;

/// <summary>
/// SQLite lets one transaction write at a time, and a writer that finds the lock taken is left to Microsoft.Data.Sqlite's
/// busy loop, which blocks its thread and sleeps 150 ms between tries: under a burst of writes (web chat, the dispatcher)
/// most of the tail latency was those sleeps. Here writers queue in-process instead: every EF transaction on a SQLite
/// file (they all start with BEGIN IMMEDIATE, i.e. take the write lock) first waits its turn on an async gate for that
/// file, and the next one in line starts the moment the previous one commits, rolls back or is disposed. Writes outside
/// a transaction and other processes (the CLI) still meet the lock; for them <c>busy_timeout</c> makes SQLite itself
/// retry after 1, 2, 5, 10… ms rather than 150.
/// </summary>
/// <remarks>
/// The gate is per database file and process-wide on purpose: SQLite's lock is per file, and two service providers in one
/// process (tests run several servers) writing to the same file must queue on the same gate.
/// </remarks>
internal static class SqliteWriteGate
{
    /// <summary>How long a transaction waits for its turn before it goes ahead and meets SQLite's own lock (as before the gate).</summary>
    private static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(30);

    private static readonly ConcurrentDictionary<string, SemaphoreSlim> Gates = new(StringComparer.Ordinal);

    /// <summary>Turns taken by transactions that have begun but not yet been wrapped by <see cref="TransactionFactory"/>.</summary>
    private static readonly ConditionalWeakTable<DbTransaction, Turn> Taken = [];

    public static readonly IInterceptor Interceptor = new GateInterceptor();

    private static SemaphoreSlim GateFor(DbConnection connection) =>
        Gates.GetOrAdd(((SqliteConnection)connection).DataSource ?? "", _ => new SemaphoreSlim(1, 1));

    /// <summary>One transaction's place at the gate; given back once, however the transaction ends.</summary>
    private sealed class Turn(SemaphoreSlim gate)
    {
        private int _released;

        public void Release()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0) gate.Release();
        }
    }

    /// <summary>A read-uncommitted transaction is deferred (BEGIN): it takes no write lock and waits for nobody.</summary>
    private static bool Writes(IsolationLevel level) => level != IsolationLevel.ReadUncommitted;

    private sealed class GateInterceptor : IDbTransactionInterceptor, IDbConnectionInterceptor
    {
        public InterceptionResult<DbTransaction> TransactionStarting(DbConnection connection, TransactionStartingEventData eventData,
            InterceptionResult<DbTransaction> result)
        {
            if (result.HasResult || !Writes(eventData.IsolationLevel)) return result;
            var gate = GateFor(connection);
            var turn = gate.Wait(MaxWait) ? new Turn(gate) : null;
            try
            {
                var transaction = connection.BeginTransaction(eventData.IsolationLevel);
                if (turn is not null) Taken.AddOrUpdate(transaction, turn);
                return InterceptionResult<DbTransaction>.SuppressWithResult(transaction);
            }
            catch
            {
                turn?.Release();
                throw;
            }
        }

        public async ValueTask<InterceptionResult<DbTransaction>> TransactionStartingAsync(DbConnection connection,
            TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result, CancellationToken cancellationToken = default)
        {
            if (result.HasResult || !Writes(eventData.IsolationLevel)) return result;
            var gate = GateFor(connection);
            var turn = await gate.WaitAsync(MaxWait, cancellationToken) ? new Turn(gate) : null;
            try
            {
                var transaction = await connection.BeginTransactionAsync(eventData.IsolationLevel, cancellationToken);
                if (turn is not null) Taken.AddOrUpdate(transaction, turn);
                return InterceptionResult<DbTransaction>.SuppressWithResult(transaction);
            }
            catch
            {
                turn?.Release();
                throw;
            }
        }

        /// <summary>SQLite waits (retrying every few milliseconds) for a lock held outside the gate instead of failing at once.</summary>
        public void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
        {
            using var command = connection.CreateCommand();
            command.CommandText = BusyTimeout(connection);
            command.ExecuteNonQuery();
        }

        public async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = BusyTimeout(connection);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        private static string BusyTimeout(DbConnection connection) =>
            $"PRAGMA busy_timeout = {Math.Max(1, ((SqliteConnection)connection).DefaultTimeout) * 1000};";
    }

    /// <summary>Wraps each gated transaction so its turn is given back when it commits, rolls back or is disposed.</summary>
    public sealed class TransactionFactory(RelationalTransactionFactoryDependencies dependencies) : RelationalTransactionFactory(dependencies)
    {
        public override RelationalTransaction Create(IRelationalConnection connection, DbTransaction transaction, Guid transactionId,
            IDiagnosticsLogger<DbLoggerCategory.Database.Transaction> logger, bool transactionOwned)
        {
            if (!Taken.TryGetValue(transaction, out var turn)) return base.Create(connection, transaction, transactionId, logger, transactionOwned);
            Taken.Remove(transaction);
            return new GatedTransaction(connection, transaction, transactionId, logger, transactionOwned, Dependencies.SqlGenerationHelper, turn);
        }
    }

    private sealed class GatedTransaction(IRelationalConnection connection, DbTransaction transaction, Guid transactionId,
        IDiagnosticsLogger<DbLoggerCategory.Database.Transaction> logger, bool transactionOwned, ISqlGenerationHelper sql, Turn turn)
        : RelationalTransaction(connection, transaction, transactionId, logger, transactionOwned, sql)
    {
        // A failed commit leaves the transaction open: its turn is given back when it is rolled back or disposed.
        public override void Commit()
        {
            base.Commit();
            turn.Release();
        }

        public override async Task CommitAsync(CancellationToken cancellationToken = default)
        {
            await base.CommitAsync(cancellationToken);
            turn.Release();
        }

        public override void Rollback()
        {
            try { base.Rollback(); }
            finally { turn.Release(); }
        }

        public override async Task RollbackAsync(CancellationToken cancellationToken = default)
        {
            try { await base.RollbackAsync(cancellationToken); }
            finally { turn.Release(); }
        }

        public override void Dispose()
        {
            try { base.Dispose(); }
            finally { turn.Release(); }
        }

        public override async ValueTask DisposeAsync()
        {
            try { await base.DisposeAsync(); }
            finally { turn.Release(); }
        }
    }
}
