import Foundation
import GRDB

/// Where the store's reads and transactions run: SQLite through GRDB (a WAL pool on disk, a queue
/// in memory for tests), or PostgreSQL. The store's operations are written once, against
/// `StoreConnection`.
final class StoreWriter: Sendable {
    enum Engine: Sendable {
        case sqlite(any DatabaseWriter)
        case postgres(PostgresStore)
    }

    let engine: Engine

    init(_ engine: Engine) { self.engine = engine }

    /// GRDB's writer when the store is on SQLite (backups, integrity checks, query plans).
    var sqlite: (any DatabaseWriter)? {
        if case .sqlite(let writer) = engine { return writer }
        return nil
    }

    var postgres: PostgresStore? {
        if case .postgres(let store) = engine { return store }
        return nil
    }

    /// A consistent snapshot, read-only.
    func read<T: Sendable>(_ body: @Sendable @escaping (StoreConnection) throws -> T) async throws -> T {
        switch engine {
        case .sqlite(let writer): return try await writer.read { db in try body(StoreConnection(.sqlite(db))) }
        case .postgres(let store): return try await store.run(.read, body)
        }
    }

    /// One transaction: all of it or nothing, serializable.
    func write<T: Sendable>(_ body: @Sendable @escaping (StoreConnection) throws -> T) async throws -> T {
        switch engine {
        case .sqlite(let writer): return try await writer.write { db in try body(StoreConnection(.sqlite(db))) }
        case .postgres(let store): return try await store.run(.write, body)
        }
    }

    /// Statements outside a transaction (each its own), for work that opens its own.
    func writeWithoutTransaction<T: Sendable>(
        _ body: @Sendable @escaping (StoreConnection) throws -> T
    ) async throws -> T {
        switch engine {
        case .sqlite(let writer):
            return try await writer.writeWithoutTransaction { db in try body(StoreConnection(.sqlite(db))) }
        case .postgres(let store): return try await store.run(.none, body)
        }
    }
}
