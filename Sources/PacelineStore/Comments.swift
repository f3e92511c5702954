import Foundation
import GRDB
import PacelineCore

/// What a comment thread hangs on: a scheduled workout or an activity.
public enum CommentTarget: Sendable, Hashable {
    case workout(Int64)
    case activity(Int64)

    /// The key of the thread in `comment_read`.
    var thread: String {
        switch self {
        case .workout(let id): "w:\(id)"
        case .activity(let id): "a:\(id)"
        }
    }
}

struct CommentRecord: SnakeCaseRecord, TenantRecord, Sendable {
    static let databaseTableName = "comment"
    enum Columns {
        static let id = Column("id"), scheduledId = Column("scheduled_id"), activityId = Column("activity_id")
        static let authorId = Column("author_id"), body = Column("body"), editedAt = Column("edited_at")
    }
    var id: Int64?
    var orgId: Int64
    var athleteId: Int64
    var scheduledId: Int64?
    var activityId: Int64?
    var authorId: Int64?
    var body: String
    var createdAt: Date
    var editedAt: Date?
}

struct CommentReadRecord: SnakeCaseRecord, TenantRecord, Sendable {
    static let databaseTableName = "comment_read"
    var orgId: Int64
    var userId: Int64
    var thread: String
    var lastReadId: Int64
}

/// One message of a thread, as shown.
public struct Comment: Sendable, Hashable, Identifiable {
    public let id: Int64
    public let authorId: Int64?
    public let authorName: String
    /// The author was a coach or admin of the organization when the page was read (else the athlete).
    public let byCoach: Bool
    public let body: String
    public let createdAt: Date
    public let editedAt: Date?
    /// Newer than what this viewer last read.
    public let isUnread: Bool
}

extension AppDatabase {
    /// Longest comment (characters).
    public static let commentLimit = 5_000
    /// An author may edit a comment for this long after writing it.
    public static let commentEditWindow: TimeInterval = 15 * 60

    /// The athlete whose workout or activity `target` is, if the signed-in member may see it (the
    /// athlete themselves or a coach of the organization); otherwise not found.
    static func commentAthlete(_ db: StoreConnection, _ scope: TenantScope, _ target: CommentTarget) throws -> Int64 {
        let athleteId: Int64
        switch target {
        case .workout(let id):
            guard let item = try items(db, scope, .id(id)).first else { throw StoreError.notFound }
            athleteId = item.athleteId
        case .activity(let id):
            athleteId = try activity(db, scope, id: id).athleteId
        }
        let athlete = try athlete(db, scope, id: athleteId)
        guard scope.role.includes(.coach) || athlete.userId == scope.user.id else { throw StoreError.notFound }
        return athleteId
    }

    static func commentBody(_ text: String) throws -> String {
        let body = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !body.isEmpty else { throw StoreError.invalid("Write something first.") }
        guard body.count <= commentLimit else {
            throw StoreError.invalid("A comment is at most \(commentLimit) characters (this one has \(body.count)).")
        }
        return body
    }

    /// The thread of `target`, oldest first, with what this viewer has not read marked; reading it marks
    /// it read.
    public func comments(_ scope: TenantScope, on target: CommentTarget) async throws -> [Comment] {
        try await writer.write { db in
            _ = try Self.commentAthlete(db, scope, target)
            let rows = try Self.commentRows(db, scope, target)
            let lastRead =
                try CommentReadRecord.scoped(to: scope)
                .filter(Column("user_id") == scope.user.id && Column("thread") == target.thread)
                .fetchOne(db)?.lastReadId ?? 0
            let coaches = Set(
                try Int64.fetchAll(
                    db,
                    MembershipRecord.scoped(to: scope).filter(Column("role") != Role.athlete.rawValue)
                        .select(Column("user_id"))))
            if let newest = rows.last?.id, newest > lastRead {
                try CommentReadRecord(
                    orgId: scope.orgId, userId: scope.user.id, thread: target.thread, lastReadId: newest
                ).upsert(db)
            }
            return rows.map { row in
                Comment(
                    id: row.id, authorId: row.authorId, authorName: row.authorName,
                    byCoach: row.authorId.map { coaches.contains($0) } ?? false, body: row.body,
                    createdAt: row.createdAt, editedAt: row.editedAt,
                    isUnread: row.id > lastRead && row.authorId != scope.user.id)
            }
        }
    }

    struct CommentRow {
        let id: Int64
        let authorId: Int64?
        let authorName: String
        let body: String
        let createdAt: Date
        let editedAt: Date?
    }

    static func commentRows(_ db: StoreConnection, _ scope: TenantScope, _ target: CommentTarget) throws -> [CommentRow]
    {
        let on: SQL
        switch target {
        case .workout(let id): on = "c.scheduled_id = \(id)"
        case .activity(let id): on = "c.activity_id = \(id)"
        }
        return try db.rows(
            """
            SELECT c.id, c.author_id, c.body, c.created_at, c.edited_at, COALESCE(u.name, 'A former member') AS name
            FROM comment c LEFT JOIN user u ON u.id = c.author_id
            WHERE \(scope.owns("c")) AND \(on) ORDER BY c.id LIMIT 500
            """
        ).map {
            CommentRow(
                id: $0["id"], authorId: $0["author_id"], authorName: $0["name"], body: $0["body"],
                createdAt: $0["created_at"], editedAt: $0["edited_at"])
        }
    }

    /// Adds a comment by the signed-in member; returns its id.
    @discardableResult
    public func addComment(
        _ scope: TenantScope, on target: CommentTarget, body text: String, now: Date
    ) async throws
        -> Int64
    {
        try await writer.write { db in
            let athleteId = try Self.commentAthlete(db, scope, target)
            let body = try Self.commentBody(text)
            var scheduledId: Int64?, activityId: Int64?
            switch target {
            case .workout(let id): scheduledId = id
            case .activity(let id): activityId = id
            }
            try CommentRecord(
                id: nil, orgId: scope.orgId, athleteId: athleteId, scheduledId: scheduledId, activityId: activityId,
                authorId: scope.user.id, body: body, createdAt: now, editedAt: nil
            ).insert(db)
            let id = db.lastInsertedRowID
            // Told: the athlete, their coaches, and whoever else wrote in the thread — not the author.
            var users = try Self.coachesOf(db, orgId: scope.orgId, athleteId: athleteId)
            if let athleteUser = try Self.athleteUserId(db, orgId: scope.orgId, athleteId: athleteId) {
                users.insert(athleteUser)
            }
            let threadColumn = scheduledId != nil ? CommentRecord.Columns.scheduledId : CommentRecord.Columns.activityId
            users.formUnion(
                try Int64.fetchAll(
                    db,
                    CommentRecord.scoped(to: scope).filter(threadColumn == (scheduledId ?? activityId))
                        .filter(CommentRecord.Columns.authorId != nil).select(CommentRecord.Columns.authorId)))
            let excerpt = body.count > 80 ? String(body.prefix(79)) + "…" : body
            try Self.notify(
                db, orgId: scope.orgId, users: users, except: scope.user.id, kind: .comment,
                title: "\(scope.user.name): “\(excerpt)”",
                link: scheduledId.map { .workout($0) } ?? .activity(activityId ?? 0), dedupe: "comment:\(id)",
                now: now)
            // The author has read their own thread up to here.
            try CommentReadRecord(orgId: scope.orgId, userId: scope.user.id, thread: target.thread, lastReadId: id)
                .upsert(db)
            return id
        }
    }

    /// The comment `id` if it is the signed-in member's own (others' are not found).
    static func ownComment(_ db: StoreConnection, _ scope: TenantScope, id: Int64) throws -> CommentRecord {
        guard
            let record = try CommentRecord.scoped(to: scope).filter(key: id).fetchOne(db),
            record.authorId == scope.user.id
        else { throw StoreError.notFound }
        return record
    }

    /// Edits one's own comment within `commentEditWindow` of writing it.
    public func editComment(_ scope: TenantScope, id: Int64, body text: String, now: Date) async throws {
        try await writer.write { db in
            let record = try Self.ownComment(db, scope, id: id)
            guard now.timeIntervalSince(record.createdAt) <= Self.commentEditWindow else {
                throw StoreError.invalid("A comment can be edited for 15 minutes after it is written.")
            }
            let body = try Self.commentBody(text)
            try CommentRecord.scoped(to: scope).filter(key: id).updateAll(
                db, CommentRecord.Columns.body.set(to: body), CommentRecord.Columns.editedAt.set(to: now))
        }
    }

    /// Deletes one's own comment; returns what it was on.
    @discardableResult
    public func deleteComment(_ scope: TenantScope, id: Int64) async throws -> CommentTarget {
        try await writer.write { db in
            let record = try Self.ownComment(db, scope, id: id)
            try CommentRecord.scoped(to: scope).filter(key: id).deleteAll(db)
            if let scheduled = record.scheduledId { return .workout(scheduled) }
            return .activity(record.activityId ?? 0)
        }
    }

    /// What a comment is on (for the redirect after editing), if it is the member's own.
    public func commentTarget(_ scope: TenantScope, id: Int64) async throws -> CommentTarget {
        try await writer.read { db in
            let record = try Self.ownComment(db, scope, id: id)
            if let scheduled = record.scheduledId { return .workout(scheduled) }
            return .activity(record.activityId ?? 0)
        }
    }

    /// Unread comments per thread for this viewer among `targets` (threads with none are left out).
    public func unreadComments(_ scope: TenantScope, on targets: [CommentTarget]) async throws -> [CommentTarget: Int] {
        guard !targets.isEmpty else { return [:] }
        return try await writer.read { db in
            var out: [CommentTarget: Int] = [:]
            let reads = Dictionary(
                try CommentReadRecord.scoped(to: scope).filter(Column("user_id") == scope.user.id).fetchAll(db)
                    .map { ($0.thread, $0.lastReadId) }, uniquingKeysWith: { a, _ in a })
            for target in targets.prefix(200) {
                let on: SQL
                switch target {
                case .workout(let id): on = "scheduled_id = \(id)"
                case .activity(let id): on = "activity_id = \(id)"
                }
                let last = reads[target.thread] ?? 0
                let count: Int =
                    try db.row(
                        """
                        SELECT COUNT(*) AS n FROM comment c WHERE \(scope.owns("c")) AND \(on) AND id > \(last)
                        AND (author_id IS NULL OR author_id <> \(scope.user.id))
                        """)?["n"] ?? 0
                if count > 0 { out[target] = count }
            }
            return out
        }
    }
}

extension CommentTarget {
    /// The thread a comment row belongs to (its workout or its activity).
    init?(row: Row) {
        if let id = row["scheduled_id"] as Int64? {
            self = .workout(id)
        } else if let id = row["activity_id"] as Int64? {
            self = .activity(id)
        } else {
            return nil
        }
    }
}

/// A thread whose last word is the athlete's: a question or a report the coach has not answered.
public struct UnansweredThread: Sendable, Hashable {
    public let target: CommentTarget
    public let athleteId: Int64
    public let athleteName: String
    public let excerpt: String
    public let at: Date
}

extension AppDatabase {
    /// Threads of the organization whose latest comment is the athlete's and newer than `since`, newest first.
    public func unansweredThreads(
        _ scope: TenantScope, since: Date, limit: Int = 50
    ) async throws
        -> [UnansweredThread]
    {
        try await writer.read { db in
            try db.rows(
                """
                SELECT c.athlete_id, c.scheduled_id, c.activity_id, c.body, c.created_at, u.name FROM comment c
                JOIN athlete_profile p ON p.id = c.athlete_id JOIN user u ON u.id = p.user_id
                WHERE \(scope.owns("c")) AND c.created_at > \(since) AND c.author_id = p.user_id
                AND c.id = (SELECT MAX(d.id) FROM comment d WHERE d.org_id = c.org_id
                    AND (d.scheduled_id = c.scheduled_id OR d.activity_id = c.activity_id))
                ORDER BY c.id DESC LIMIT \(max(1, min(limit, 200)))
                """
            ).compactMap { row in
                guard let target = CommentTarget(row: row) else { return nil }
                let body: String = row["body"]
                return UnansweredThread(
                    target: target, athleteId: row["athlete_id"], athleteName: row["name"],
                    excerpt: body.count > 140 ? String(body.prefix(139)) + "…" : body, at: row["created_at"])
            }
        }
    }
}

/// One comment as the data export writes it.
public struct ExportedComment: Sendable, Hashable {
    public let target: CommentTarget
    public let author: String
    public let body: String
    public let createdAt: Date
    public let editedAt: Date?
}

extension AppDatabase {
    /// Every comment on an athlete's workouts and activities, oldest first (their data export).
    public func athleteComments(_ scope: TenantScope, athleteId: Int64) async throws -> [ExportedComment] {
        try await writer.read { db in
            _ = try Self.athlete(db, scope, id: athleteId)
            return try db.rows(
                """
                SELECT c.scheduled_id, c.activity_id, c.body, c.created_at, c.edited_at, u.name FROM comment c
                LEFT JOIN user u ON u.id = c.author_id
                WHERE \(scope.owns("c")) AND c.athlete_id = \(athleteId) ORDER BY c.id
                """
            ).compactMap { row in
                guard let target = CommentTarget(row: row) else { return nil }
                return ExportedComment(
                    target: target, author: row["name"] ?? "(a former member)", body: row["body"],
                    createdAt: row["created_at"], editedAt: row["edited_at"])
            }
        }
    }
}
