import Foundation
import GRDB
import PacelineCore

/// What an email is about: each notification kind, the two scheduled emails, and the two that
/// answer a person's own request (which cannot be unsubscribed from).
public enum MailKind: Sendable, Hashable, RawRepresentable {
    case notification(NotificationKind)
    case tomorrow, digest, invitation, passwordReset

    public init?(rawValue: String) {
        switch rawValue {
        case "tomorrow": self = .tomorrow
        case "digest": self = .digest
        case "invitation": self = .invitation
        case "password-reset": self = .passwordReset
        default:
            guard let kind = NotificationKind(rawValue: rawValue) else { return nil }
            self = .notification(kind)
        }
    }

    public var rawValue: String {
        switch self {
        case .notification(let kind): kind.rawValue
        case .tomorrow: "tomorrow"
        case .digest: "digest"
        case .invitation: "invitation"
        case .passwordReset: "password-reset"
        }
    }

    /// Part of a series the recipient chose and can stop (List-Unsubscribe).
    public var canUnsubscribe: Bool { self != .invitation && self != .passwordReset }

    public var label: String {
        switch self {
        case .notification(let kind): kind.label
        case .tomorrow: "Tomorrow's workout, the evening before"
        case .digest: "The coach's daily digest"
        case .invitation: "Invitations"
        case .passwordReset: "Password resets"
        }
    }
}

/// An email ready to queue: the whole message, written when its event happened.
public struct OutgoingMail: Sendable {
    public var orgId: Int64?
    public var userId: Int64?
    public var kind: MailKind
    /// Names the event ("comment:12:user:5"): the outbox holds one email per key, ever.
    public var dedupe: String
    public var sender: String
    public var recipient: String
    public var subject: String
    public var message: [UInt8]
    /// SHA-256 of the unsubscribe token the message carries (nil for invitations and resets).
    public var unsubscribeHash: String?

    public init(
        orgId: Int64?, userId: Int64?, kind: MailKind, dedupe: String, sender: String, recipient: String,
        subject: String, message: [UInt8], unsubscribeHash: String?
    ) {
        self.orgId = orgId
        self.userId = userId
        self.kind = kind
        self.dedupe = dedupe
        self.sender = sender
        self.recipient = recipient
        self.subject = subject
        self.message = message
        self.unsubscribeHash = unsubscribeHash
    }
}

/// A queued email the worker has claimed.
public struct QueuedMail: Sendable {
    public let id: Int64
    public let sender: String
    public let recipient: String
    public let message: [UInt8]
    public let attempts: Int
}

public struct OutboxEntry: Sendable, Hashable {
    public let id: Int64
    public let kind: String
    public let recipient: String
    public let subject: String
    public let status: String
    public let attempts: Int
    public let lastError: String?
}

/// How the queue retries: 15 s, 1 min, 4 min, 16 min, 64 min… at most 6 hours apart, 8 attempts in all
/// (about 11 hours): a relay's hiccup costs seconds, a relay down overnight is waited for.
public enum MailRetry {
    public static let maxAttempts = 8
    /// How long a claimed email may take before another claim may try it (a hung connection).
    public static let lease: TimeInterval = 600

    public static func delay(afterAttempt attempt: Int) -> TimeInterval {
        min(6 * 3600, 15 * pow(4, Double(max(0, min(attempt, 10) - 1))))
    }
}

extension AppDatabase {
    /// Queues an email unless one for the same event is queued or sent already. Returns whether it was new.
    @discardableResult
    public func enqueueMail(_ mail: OutgoingMail, now: Date) async throws -> Bool {
        try await writer.write { db in try Self.enqueueMail(db, mail, now: now) }
    }

    static func enqueueMail(
        _ db: StoreConnection, _ mail: OutgoingMail, now: Date, status: String = "queued"
    ) throws -> Bool {
        try db.execute(
            sql: """
                INSERT OR IGNORE INTO mail_outbox (org_id, user_id, kind, dedupe, sender, recipient, subject, message,
                    unsubscribe_hash, status, attempts, next_attempt_at, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)
                """,
            arguments: [
                mail.orgId, mail.userId, mail.kind.rawValue, mail.dedupe, mail.sender, mail.recipient,
                String(mail.subject.prefix(300)), Data(mail.message), mail.unsubscribeHash, status, now, now,
            ])
        return db.changesCount > 0
    }

    /// Records that an event was looked at and needs no email (a rest day tomorrow, a quiet digest),
    /// so the scheduler does not look again.
    public func markMailSkipped(
        dedupe: String, kind: MailKind, orgId: Int64?, userId: Int64?, now: Date
    )
        async throws
    {
        let mail = OutgoingMail(
            orgId: orgId, userId: userId, kind: kind, dedupe: dedupe, sender: "", recipient: "", subject: "",
            message: [], unsubscribeHash: nil)
        _ = try await writer.write { db in try Self.enqueueMail(db, mail, now: now, status: "skipped") }
    }

    /// Which of these event keys have an outbox row already (queued, sent, failed or skipped).
    public func mailSeen(_ keys: [String]) async throws -> Set<String> {
        guard !keys.isEmpty else { return [] }
        return try await writer.read { db in
            var seen: Set<String> = []
            for chunk in stride(from: 0, to: keys.count, by: 500) {
                let part = Array(keys[chunk..<min(chunk + 500, keys.count)])
                seen.formUnion(
                    try String.fetchAll(
                        db,
                        sql: """
                            SELECT dedupe FROM mail_outbox WHERE dedupe IN (\(databaseQuestionMarks(count: part.count)))
                            """,
                        arguments: StatementArguments(part)))
            }
            return seen
        }
    }

    /// Takes up to `limit` emails that are due (or whose last claim's lease ran out) and marks them
    /// being sent, in one transaction: two workers cannot take the same email.
    public func claimDueMail(now: Date, limit: Int = 20) async throws -> [QueuedMail] {
        try await writer.write { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT id, sender, recipient, message, attempts FROM mail_outbox
                    WHERE status IN ('queued', 'sending') AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?
                    """, arguments: [now, limit])
            let claimed = rows.map { row in
                QueuedMail(
                    id: row["id"], sender: row["sender"], recipient: row["recipient"],
                    message: [UInt8](row["message"] as Data? ?? Data()), attempts: (row["attempts"] as Int) + 1)
            }
            for mail in claimed {
                try db.execute(
                    sql: "UPDATE mail_outbox SET status = 'sending', attempts = ?, next_attempt_at = ? WHERE id = ?",
                    arguments: [mail.attempts, now.addingTimeInterval(MailRetry.lease), mail.id])
            }
            return claimed
        }
    }

    public func markMailSent(id: Int64, now: Date) async throws {
        try await writer.write { db in
            try db.execute(
                sql: "UPDATE mail_outbox SET status = 'sent', sent_at = ?, last_error = NULL WHERE id = ?",
                arguments: [now, id])
        }
    }

    /// A failed attempt: tried again after the back-off, or given up for good (a permanent refusal,
    /// or the last attempt).
    public func markMailFailed(id: Int64, attempts: Int, error: String, permanent: Bool, now: Date) async throws {
        let giveUp = permanent || attempts >= MailRetry.maxAttempts
        try await writer.write { db in
            try db.execute(
                sql: "UPDATE mail_outbox SET status = ?, next_attempt_at = ?, last_error = ? WHERE id = ?",
                arguments: [
                    giveUp ? "failed" : "queued", now.addingTimeInterval(MailRetry.delay(afterAttempt: attempts)),
                    String(error.prefix(500)), id,
                ])
        }
    }

    /// At start: emails a stopped server was sending go back to the queue at once. The relay had not
    /// answered their end of data (else they would be marked sent), so sending them is right; a
    /// crash in the instant between the relay's answer and that mark sends one twice, with the same
    /// Message-ID. On SQLite only: one server per file, so what is "sending" at start was its own.
    /// On PostgreSQL another server may be sending it right now; there a claim's lease
    /// (`MailRetry.lease`) runs out instead, and `claimDueMail` takes it again.
    @discardableResult
    public func requeueInterruptedMail(now: Date) async throws -> Int {
        guard writer.postgres == nil else { return 0 }
        return try await writer.write { db in
            try db.execute(
                sql: "UPDATE mail_outbox SET status = 'queued', next_attempt_at = ? WHERE status = 'sending'",
                arguments: [now])
            return db.changesCount
        }
    }

    /// Sent, failed and skipped emails older than `before` are forgotten (their unsubscribe links with them).
    @discardableResult
    public func purgeOldMail(before: Date) async throws -> Int {
        try await writer.write { db in
            try db.execute(
                sql: "DELETE FROM mail_outbox WHERE status IN ('sent', 'failed', 'skipped') AND created_at < ?",
                arguments: [before])
            return db.changesCount
        }
    }

    /// The queue, newest first (operations and tests).
    public func outbox(limit: Int = 100) async throws -> [OutboxEntry] {
        try await writer.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT id, kind, recipient, subject, status, attempts, last_error FROM mail_outbox
                    WHERE status != 'skipped' ORDER BY id DESC LIMIT ?
                    """, arguments: [limit]
            ).map { row in
                OutboxEntry(
                    id: row["id"], kind: row["kind"], recipient: row["recipient"], subject: row["subject"],
                    status: row["status"], attempts: row["attempts"], lastError: row["last_error"])
            }
        }
    }
}

extension AppDatabase {
    /// One queued email's whole message (tests and the operator reading what went out).
    public func outboxMessage(id: Int64) async throws -> [UInt8]? {
        try await writer.read { db in
            try Data.fetchOne(db, sql: "SELECT message FROM mail_outbox WHERE id = ?", arguments: [id])
                .map { [UInt8]($0) }
        }
    }
}
