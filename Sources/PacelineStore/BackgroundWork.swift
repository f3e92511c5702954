import Foundation
import GRDB

/// Background jobs shared by every app server on one database: each is claimed for a while by one
/// server (a row of `background_run`, changed in a transaction), so two servers never run the same
/// job at once. A claim lapses by itself: a server killed mid-job holds it only until `lease` ends.
extension AppDatabase {
    /// Claims the job `name` for `holder` until `now + lease` when no other holder's claim is current
    /// (the holder's own may be renewed). True: run it.
    public func claimBackgroundWork(_ name: String, holder: String, now: Date, lease: TimeInterval) async throws
        -> Bool
    {
        try await writer.write { db in
            // A job never run yet has no row: make one, "finished" long ago.
            try db.execute(
                sql: "INSERT INTO background_run (name, finished_at) VALUES (?, ?) ON CONFLICT(name) DO NOTHING",
                arguments: [name, Date(timeIntervalSince1970: 0)])
            try db.execute(
                sql: """
                    UPDATE background_run SET claimed_by = ?, claimed_until = ?
                    WHERE name = ? AND (claimed_until IS NULL OR claimed_until <= ? OR claimed_by = ?)
                    """, arguments: [holder, now.addingTimeInterval(lease), name, now, holder])
            return db.changesCount == 1
        }
    }

    /// Gives the job back (its run finished, or failed): the next due run may be any server's.
    public func releaseBackgroundWork(_ name: String, holder: String) async throws {
        try await writer.write { db in
            try db.execute(
                sql: """
                    UPDATE background_run SET claimed_by = NULL, claimed_until = NULL
                    WHERE name = ? AND claimed_by = ?
                    """, arguments: [name, holder])
        }
    }

    /// Who holds the job now, if anyone (tests, and the operator's view).
    public func backgroundWorkHolder(_ name: String, now: Date) async throws -> String? {
        try await writer.read { db in
            try String.fetchOne(
                db, sql: "SELECT claimed_by FROM background_run WHERE name = ? AND claimed_until > ?",
                arguments: [name, now])
        }
    }
}
