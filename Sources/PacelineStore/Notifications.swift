import Foundation
import GRDB
import PacelineCore

/// What a member is told about, each with its own switch in their preferences.
public enum NotificationKind: String, Sendable, CaseIterable, Codable {
    case planAssigned = "plan-assigned", planChanged = "plan-changed", comment, proposal, ill
    case readinessRed = "readiness-red", upload, missedKey = "missed-key"

    public var label: String {
        switch self {
        case .planAssigned: "A new plan assigned to you"
        case .planChanged: "Your plan changed (by the engine or your coach)"
        case .comment: "A comment on a workout or activity you follow"
        case .proposal: "A proposed plan change waiting for a decision"
        case .ill: "An athlete reports being ill"
        case .readinessRed: "An athlete's readiness turns red"
        case .upload: "An athlete uploads or logs a session"
        case .missedKey: "An athlete misses a key session"
        }
    }

    /// Who can receive it: athletes, coaches (and admins), or both.
    public var forCoaches: Bool { [.comment, .proposal, .ill, .readinessRed, .upload, .missedKey].contains(self) }
    public var forAthletes: Bool { [.planAssigned, .planChanged, .comment].contains(self) }

    /// Sent by email too unless switched off: the conversation and what changes an athlete's plan or
    /// health. Uploads and waiting proposals are many a day for a coach; the daily digest has them.
    public var emailByDefault: Bool { ![.upload, .proposal, .missedKey].contains(self) }
}

/// What a notification opens: the web turns it into an address.
public enum NotificationLink: Sendable, Hashable {
    case workout(Int64), activity(Int64), athleteForm(Int64), calendar

    var stored: (kind: String, id: Int64?) {
        switch self {
        case .workout(let id): ("workout", id)
        case .activity(let id): ("activity", id)
        case .athleteForm(let id): ("form", id)
        case .calendar: ("calendar", nil)
        }
    }

    init?(kind: String, id: Int64?) {
        switch (kind, id) {
        case ("workout", let id?): self = .workout(id)
        case ("activity", let id?): self = .activity(id)
        case ("form", let id?): self = .athleteForm(id)
        case ("calendar", _): self = .calendar
        default: return nil
        }
    }
}

struct NotificationRecord: SnakeCaseRecord, TenantRecord, Sendable {
    static let databaseTableName = "notification"
    enum Columns {
        static let id = Column("id"), userId = Column("user_id"), readAt = Column("read_at"), inApp = Column("in_app")
    }
    var id: Int64?
    var orgId: Int64
    var userId: Int64
    var kind: String
    var title: String
    var linkKind: String
    var linkId: Int64?
    var dedupe: String
    var createdAt: Date
    var readAt: Date?
    /// "pending": to be sent by email; "done": queued (or nothing to send). nil: not by email.
    var emailState: String?
    /// Shown in the bell and the list; false for one the member takes by email only.
    var inApp = true
}

struct NotificationPrefRecord: SnakeCaseRecord, TenantRecord, Sendable {
    static let databaseTableName = "notification_pref"
    var orgId: Int64
    var userId: Int64
    var kind: String
    var inApp: Bool
    var email: Bool
}

public struct AppNotification: Sendable, Hashable, Identifiable {
    public let id: Int64
    public let kind: NotificationKind
    public let title: String
    public let link: NotificationLink
    public let createdAt: Date
    public let isRead: Bool
}

/// A member's switches: in the app and by email, per kind (both on unless turned off).
public struct NotificationPreference: Sendable, Hashable {
    public let kind: NotificationKind
    public var inApp: Bool
    public var email: Bool

    public init(kind: NotificationKind, inApp: Bool, email: Bool) {
        self.kind = kind
        self.inApp = inApp
        self.email = email
    }
}

extension AppDatabase {
    /// The coaches who look after an athlete (directly or through a group); all coaches and admins of the
    /// organization when nobody is assigned.
    static func coachesOf(_ db: StoreConnection, orgId: Int64, athleteId: Int64) throws -> Set<Int64> {
        let groups = GroupMemberRecord.scoped(toOrganization: orgId).filter(Column("athlete_id") == athleteId)
            .select(Column("group_id"))
        let assigned = try Int64.fetchAll(
            db,
            CoachAssignmentRecord.scoped(toOrganization: orgId)
                .filter(Column("athlete_id") == athleteId || groups.contains(Column("group_id")))
                .select(Column("coach_user_id")))
        if !assigned.isEmpty { return Set(assigned) }
        return Set(
            try Int64.fetchAll(
                db,
                MembershipRecord.scoped(toOrganization: orgId)
                    .filter([Role.coach.rawValue, Role.admin.rawValue].contains(Column("role")))
                    .select(Column("user_id"))))
    }

    static func athleteUserId(_ db: StoreConnection, orgId: Int64, athleteId: Int64) throws -> Int64? {
        try Int64.fetchOne(
            db, AthleteProfileRecord.scoped(toOrganization: orgId).filter(key: athleteId).select(Column("user_id")))
    }

    /// Tells `users` (but never `except`, who caused it) about an event — once per `dedupe` key each, and
    /// only those who have not switched the kind off. Part of the transaction that made the event.
    static func notify(
        _ db: StoreConnection, orgId: Int64, users: Set<Int64>, except: Int64?, kind: NotificationKind, title: String,
        link: NotificationLink, dedupe: String, now: Date
    ) throws {
        for user in users.sorted() where user != except {
            let preference = try NotificationPrefRecord.scoped(toOrganization: orgId)
                .filter(Column("user_id") == user && Column("kind") == kind.rawValue).fetchOne(db)
            let byEmail = preference?.email ?? kind.emailByDefault
            guard preference?.inApp ?? true || byEmail else { continue }
            // Once per key: the table's UNIQUE (user_id, dedupe) keeps the first and ignores the rest — no
            // read first, which on PostgreSQL would make every event of a coach's athletes (one index page)
            // conflict with every other under SERIALIZABLE.
            let (linkKind, linkId) = link.stored
            try NotificationRecord(
                id: nil, orgId: orgId, userId: user, kind: kind.rawValue, title: String(title.prefix(300)),
                linkKind: linkKind, linkId: linkId, dedupe: dedupe, createdAt: now,
                // Switched off in the app but on by email: the row only carries the email.
                readAt: nil, emailState: byEmail ? "pending" : nil, inApp: preference?.inApp ?? true
            ).insertUnlessPresent(db)
        }
    }

    /// The signed-in member's notifications in this organization, newest first.
    public func notifications(_ scope: TenantScope, limit: Int = 50) async throws -> [AppNotification] {
        try await writer.read { db in
            try NotificationRecord.scoped(to: scope)
                .filter(NotificationRecord.Columns.userId == scope.user.id && NotificationRecord.Columns.inApp == true)
                .order(NotificationRecord.Columns.id.desc).limit(max(1, min(limit, 200))).fetchAll(db)
                .compactMap { r in
                    guard let id = r.id, let kind = NotificationKind(rawValue: r.kind),
                        let link = NotificationLink(kind: r.linkKind, id: r.linkId)
                    else { return nil }
                    return AppNotification(
                        id: id, kind: kind, title: r.title, link: link, createdAt: r.createdAt, isRead: r.readAt != nil)
                }
        }
    }

    public func unreadNotificationCount(_ scope: TenantScope) async throws -> Int {
        try await writer.read { db in try Self.unreadNotificationCount(db, scope) }
    }

    static func unreadNotificationCount(_ db: StoreConnection, _ scope: TenantScope) throws -> Int {
        // Every page of an organization reads it (the bell): SQL, so the statement is prepared once.
        try db.row(
            """
            SELECT COUNT(*) AS n FROM notification x
            WHERE \(scope.owns("x")) AND x.user_id = \(scope.user.id) AND x.read_at IS NULL AND x.in_app = 1
            """)?["n"] ?? 0
    }

    /// Marks one of the member's notifications read and returns where it leads (others' are not found).
    public func openNotification(_ scope: TenantScope, id: Int64, now: Date) async throws -> NotificationLink {
        try await writer.write { db in
            let mine = NotificationRecord.scoped(to: scope).filter(key: id)
                .filter(NotificationRecord.Columns.userId == scope.user.id)
            guard let record = try mine.fetchOne(db),
                let link = NotificationLink(kind: record.linkKind, id: record.linkId)
            else { throw StoreError.notFound }
            if record.readAt == nil { try mine.updateAll(db, NotificationRecord.Columns.readAt.set(to: now)) }
            return link
        }
    }

    public func markAllNotificationsRead(_ scope: TenantScope, now: Date) async throws {
        try await writer.write { db in
            _ = try NotificationRecord.scoped(to: scope)
                .filter(NotificationRecord.Columns.userId == scope.user.id && NotificationRecord.Columns.readAt == nil)
                .updateAll(db, NotificationRecord.Columns.readAt.set(to: now))
        }
    }

    /// The member's switches for the kinds their role receives.
    public func notificationPreferences(_ scope: TenantScope) async throws -> [NotificationPreference] {
        try await writer.read { db in
            let saved = Dictionary(
                try NotificationPrefRecord.scoped(to: scope).filter(Column("user_id") == scope.user.id).fetchAll(db)
                    .map { ($0.kind, $0) }, uniquingKeysWith: { a, _ in a })
            return Self.kinds(for: scope.role).map { kind in
                let row = saved[kind.rawValue]
                return NotificationPreference(
                    kind: kind, inApp: row?.inApp ?? true, email: row?.email ?? kind.emailByDefault)
            }
        }
    }

    public func setNotificationPreferences(_ scope: TenantScope, _ preferences: [NotificationPreference])
        async throws
    {
        try await writer.write { db in
            let allowed = Set(Self.kinds(for: scope.role))
            for p in preferences where allowed.contains(p.kind) {
                try NotificationPrefRecord(
                    orgId: scope.orgId, userId: scope.user.id, kind: p.kind.rawValue, inApp: p.inApp, email: p.email
                ).upsert(db)
            }
        }
    }

    static func kinds(for role: Role) -> [NotificationKind] {
        NotificationKind.allCases.filter { role.includes(.coach) ? $0.forCoaches : $0.forAthletes }
    }
}
