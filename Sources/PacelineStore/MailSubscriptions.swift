import Foundation
import GRDB
import PacelineCore

struct MailScheduleRecord: SnakeCaseRecord, TenantRecord, Sendable {
    static let databaseTableName = "mail_schedule"
    var orgId: Int64
    var userId: Int64
    var kind: String
    var enabled: Bool
    var minuteOfDay: Int
}

/// A member's scheduled email: athletes get tomorrow's workout, coaches and admins the digest.
public struct MailSchedule: Sendable, Hashable {
    public enum Kind: String, Sendable, CaseIterable { case tomorrow, digest }
    public let kind: Kind
    public var enabled: Bool
    /// Local time of day, in minutes after midnight, in the member's zone.
    public var minuteOfDay: Int

    public init(kind: Kind, enabled: Bool, minuteOfDay: Int) {
        self.kind = kind
        self.enabled = enabled
        self.minuteOfDay = min(max(minuteOfDay, 0), 1439)
    }

    /// On by default: 18:00 for tomorrow's workout, 07:00 for the digest.
    public static func standard(_ kind: Kind) -> MailSchedule {
        MailSchedule(kind: kind, enabled: true, minuteOfDay: kind == .tomorrow ? 18 * 60 : 7 * 60)
    }

    public static func kind(for role: Role) -> Kind { role.includes(.coach) ? .digest : .tomorrow }
}

/// One member whose scheduled email may be due: who, where, in which zone, at what time.
public struct ScheduledMailMember: Sendable {
    public let scope: TenantScope
    public let schedule: MailSchedule
    /// The zone their day is in: the athlete's own, else the organization's.
    public let timeZone: String
}

/// A notification waiting to go out by email, with what the email needs.
public struct PendingNotificationEmail: Sendable {
    public let id: Int64
    public let organization: Organization
    public let user: User
    public let kind: NotificationKind
    public let title: String
    public let link: NotificationLink
}

/// Where an unsubscribe link leads: whose email, which organization, which series.
public struct UnsubscribeTarget: Sendable {
    public let organizationName: String
    public let email: String
    public let kind: MailKind
}

extension AppDatabase {
    // MARK: Schedules

    public func mailSchedule(_ scope: TenantScope) async throws -> MailSchedule {
        let kind = MailSchedule.kind(for: scope.role)
        return try await writer.read { db in
            let row = try MailScheduleRecord.scoped(to: scope)
                .filter(Column("user_id") == scope.user.id && Column("kind") == kind.rawValue).fetchOne(db)
            return row.map { MailSchedule(kind: kind, enabled: $0.enabled, minuteOfDay: $0.minuteOfDay) }
                ?? .standard(kind)
        }
    }

    public func setMailSchedule(_ scope: TenantScope, _ schedule: MailSchedule) async throws {
        guard schedule.kind == MailSchedule.kind(for: scope.role) else { throw StoreError.notFound }
        try await writer.write { db in
            try MailScheduleRecord(
                orgId: scope.orgId, userId: scope.user.id, kind: schedule.kind.rawValue, enabled: schedule.enabled,
                minuteOfDay: schedule.minuteOfDay
            ).upsert(db)
        }
    }

    /// Every member of every organization with their scheduled email (those switched off left out).
    public func scheduledMailMembers() async throws -> [ScheduledMailMember] {
        try await writer.read { db in
            let organizations = try Organization.fetchAll(db)
            var out: [ScheduledMailMember] = []
            for org in organizations {
                let saved = Dictionary(
                    try MailScheduleRecord.scoped(toOrganization: org.id).fetchAll(db).map { ("\($0.userId)", $0) },
                    uniquingKeysWith: { a, _ in a })
                let zones = Dictionary(
                    try AthleteProfileRecord.scoped(toOrganization: org.id).fetchAll(db)
                        .map { ($0.userId, $0.timeZone) },
                    uniquingKeysWith: { a, _ in a })
                for member in try MembershipRecord.scoped(toOrganization: org.id).fetchAll(db) {
                    let role = member.role
                    guard let user = try User.fetchOne(db, key: member.userId)
                    else { continue }
                    let kind = MailSchedule.kind(for: role)
                    let row = saved["\(member.userId)"].flatMap { $0.kind == kind.rawValue ? $0 : nil }
                    let schedule =
                        row.map { MailSchedule(kind: kind, enabled: $0.enabled, minuteOfDay: $0.minuteOfDay) }
                        ?? .standard(kind)
                    guard schedule.enabled else { continue }
                    out.append(
                        ScheduledMailMember(
                            scope: TenantScope(organization: org, user: user, role: role), schedule: schedule,
                            timeZone: org.timeZone(of: zones[member.userId] ?? nil)))
                }
            }
            return out
        }
    }

    // MARK: Notification emails

    /// Notifications whose email is still to be written, oldest first, across organizations.
    public func pendingNotificationEmails(limit: Int = 50) async throws -> [PendingNotificationEmail] {
        try await writer.read { db in
            var out: [PendingNotificationEmail] = []
            for org in try Organization.fetchAll(db) where out.count < limit {
                let records = try NotificationRecord.scoped(toOrganization: org.id)
                    .filter(Column("email_state") == "pending").order(NotificationRecord.Columns.id)
                    .limit(limit - out.count).fetchAll(db)
                for record in records {
                    guard let id = record.id, let user = try User.fetchOne(db, key: record.userId),
                        let kind = NotificationKind(rawValue: record.kind),
                        let link = NotificationLink(kind: record.linkKind, id: record.linkId)
                    else { continue }
                    out.append(
                        PendingNotificationEmail(
                            id: id, organization: org, user: user, kind: kind, title: record.title, link: link))
                }
            }
            return out
        }
    }

    /// Queues a notification's email (nil: nothing to send) and marks it done, in one transaction.
    public func completeNotificationEmail(orgId: Int64, notificationId: Int64, mail: OutgoingMail?, now: Date)
        async throws
    {
        try await writer.write { db in
            if let mail { _ = try Self.enqueueMail(db, mail, now: now) }
            _ = try NotificationRecord.scoped(toOrganization: orgId).filter(key: notificationId)
                .updateAll(db, Column("email_state").set(to: "done"))
        }
    }

    // MARK: Unsubscribe

    public func unsubscribeTarget(token: String) async throws -> UnsubscribeTarget? {
        try await writer.read { db in try Self.unsubscribeRow(db, token: token)?.target }
    }

    static func unsubscribeRow(_ db: StoreConnection, token: String)
        throws -> (orgId: Int64, userId: Int64, target: UnsubscribeTarget)?
    {
        guard !token.isEmpty, token.count <= 100,
            let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT o.org_id, o.user_id, o.kind, u.email, g.name FROM mail_outbox o
                    JOIN user u ON u.id = o.user_id JOIN organization g ON g.id = o.org_id
                    WHERE o.unsubscribe_hash = ?
                    """, arguments: [SecretToken.hash(token)]),
            let kind = MailKind(rawValue: row["kind"]), kind.canUnsubscribe
        else { return nil }
        let target = UnsubscribeTarget(organizationName: row["name"], email: row["email"], kind: kind)
        return (row["org_id"], row["user_id"], target)
    }

    /// Stops the series the link's email belongs to, or (`all`) every email from that organization.
    /// Returns false for a link that leads nowhere. Saying it twice changes nothing more.
    public func unsubscribe(token: String, all: Bool, now: Date) async throws -> Bool {
        try await writer.write { db in
            guard let (orgId, userId, target) = try Self.unsubscribeRow(db, token: token) else { return false }
            let role = try MembershipRecord.scoped(toOrganization: orgId).filter(Column("user_id") == userId)
                .fetchOne(db)?.role
            var kinds: [MailKind] = [target.kind]
            if all {
                kinds = NotificationKind.allCases.map(MailKind.notification) + [.tomorrow, .digest]
            }
            for kind in kinds {
                switch kind {
                case .notification(let n):
                    let saved = try NotificationPrefRecord.scoped(toOrganization: orgId)
                        .filter(Column("user_id") == userId && Column("kind") == n.rawValue).fetchOne(db)
                    try NotificationPrefRecord(
                        orgId: orgId, userId: userId, kind: n.rawValue, inApp: saved?.inApp ?? true, email: false
                    ).upsert(db)
                case .tomorrow, .digest:
                    guard let role, let scheduleKind = MailSchedule.Kind(rawValue: kind.rawValue),
                        MailSchedule.kind(for: role) == scheduleKind
                    else { continue }
                    let saved = try MailScheduleRecord.scoped(toOrganization: orgId)
                        .filter(Column("user_id") == userId && Column("kind") == kind.rawValue).fetchOne(db)
                    try MailScheduleRecord(
                        orgId: orgId, userId: userId, kind: kind.rawValue, enabled: false,
                        minuteOfDay: saved?.minuteOfDay ?? MailSchedule.standard(scheduleKind).minuteOfDay
                    ).upsert(db)
                case .invitation, .passwordReset: continue
                }
            }
            try self.audit(
                db, scope: nil, userId: userId, action: "mail.unsubscribed", detail: all ? "all" : target.kind.rawValue,
                now: now)
            return true
        }
    }
}
