import Foundation
import GRDB
import PacelineCore

/// Proof that a signed-in user is a member of an organization, with their role there.
///
/// Only the store creates one (`AppDatabase.resolveTenant`), from a membership row, so no caller
/// can invent a scope for an organization it does not belong to. Every tenant operation of the
/// store takes it and filters by `orgId` itself.
public struct TenantScope: Sendable, Hashable {
    public let organization: Organization
    public let user: User
    public let role: Role

    var orgId: Int64 { organization.id }

    init(organization: Organization, user: User, role: Role) {
        self.organization = organization
        self.user = user
        self.role = role
    }
}

/// Tables holding tenant data: every one has an `org_id` column, and its requests are filtered
/// through `scoped(to:)` (a test compares this list with the schema).
protocol TenantRecord: TableRecord {}
extension MembershipRecord: TenantRecord {}
extension InvitationRecord: TenantRecord {}
extension AthleteProfileRecord: TenantRecord {}
extension GroupRecord: TenantRecord {}
extension GroupMemberRecord: TenantRecord {}
extension CoachAssignmentRecord: TenantRecord {}

extension DerivableRequest where RowDecoder: TenantRecord {
    /// The organization filter of a request on one tenant table, written once.
    func scoped(to scope: TenantScope) -> Self {
        scoped(toOrganization: scope.orgId)
    }

    /// The same filter where the store holds an organization but no member's scope: sign-up
    /// and the demo (an organization being created) and jobs that run across organizations.
    func scoped(toOrganization orgId: Int64) -> Self {
        filter(Column("org_id") == orgId)
    }
}

extension TenantRecord {
    /// All rows of this organization.
    static func scoped(to scope: TenantScope) -> QueryInterfaceRequest<Self> {
        all().scoped(to: scope)
    }

    static func scoped(toOrganization orgId: Int64) -> QueryInterfaceRequest<Self> {
        all().scoped(toOrganization: orgId)
    }
}

extension TenantScope {
    /// The organization filter of one table of a joined read, `alias.org_id = ?` with this
    /// organization bound. Reads that join go through the SQL builders of the store (`activitySQL`,
    /// `athleteSQL`…), which apply it to their first table; the joins follow that table's foreign keys.
    func owns(_ alias: String) -> SQL {
        SQL(sql: "\(alias).org_id = ?", arguments: [orgId])
    }
}

extension AppDatabase {
    /// Resolves an organization by slug and the user's membership in it, or nil: an organization
    /// that does not exist and one the user does not belong to look the same (404).
    public func resolveTenant(slug: String, userId: Int64) async throws -> TenantScope? {
        try await writer.read { db in try Self.resolveTenant(db, slug: slug, userId: userId) }
    }

    /// The tenant of a request with what its page chrome shows, and the organization's data version
    /// (raised by trigger on every change to its rows: `StoreConnection.dataVersion(of:)`), in one read.
    public func resolveTenantWithMemberships(slug: String, userId: Int64) async throws -> ResolvedTenant? {
        try await writer.read { db in try Self.resolvedTenant(db, slug: slug, userId: userId) }
    }

    static func resolvedTenant(_ db: StoreConnection, slug: String, userId: Int64) throws -> ResolvedTenant? {
        guard let (scope, version) = try resolveTenantAndVersion(db, slug: slug, userId: userId) else { return nil }
        return ResolvedTenant(
            scope: scope, memberships: try memberships(db, userId: userId),
            unread: try unreadNotificationCount(db, scope), version: version)
    }

    /// The organization's data version now (tests; the pages read it with the tenant).
    public func dataVersion(orgId: Int64) async throws -> Int64 {
        try await writer.read { db in
            try Int64.fetchOne(
                db, sql: "SELECT \(db.dataVersion(of: "o")) FROM organization o WHERE o.id = ?", arguments: [orgId]
            ) ?? 0
        }
    }

    static func resolveTenant(_ db: StoreConnection, slug: String, userId: Int64) throws -> TenantScope? {
        try resolveTenantAndVersion(db, slug: slug, userId: userId)?.0
    }

    static func resolveTenantAndVersion(
        _ db: StoreConnection, slug: String, userId: Int64
    ) throws -> (TenantScope, Int64)? {
        let row = try db.row(
            sql: """
                SELECT o.*, m.role AS member_role, \(db.dataVersion(of: "o")) AS current_version FROM organization o
                JOIN membership m ON m.org_id = o.id AND m.user_id = ?
                WHERE o.slug = ?
                """, arguments: [userId, slug])
        guard let row, let role = Role(rawValue: row["member_role"] ?? ""),
            let user = try db.user(id: userId)
        else { return nil }
        return (
            TenantScope(organization: try Organization(row: row), user: user, role: role),
            row["current_version"] ?? 0
        )
    }

    func audit(
        _ db: StoreConnection, scope: TenantScope?, userId: Int64?, action: String, detail: String, now: Date
    ) throws {
        let record = AuditRecord(
            orgId: scope?.orgId, userId: userId ?? scope?.user.id, action: action, detail: detail, at: now)
        try record.insert(db)
    }

    /// The latest audit entries of an organization, newest first.
    public func auditLog(_ scope: TenantScope, limit: Int = 50) async throws -> [AuditEntry] {
        try await writer.read { db in
            try db.rows(
                """
                SELECT a.action, a.detail, a.at, u.name AS user_name FROM audit_log a
                LEFT JOIN user u ON u.id = a.user_id
                WHERE \(scope.owns("a")) ORDER BY a.at DESC, a.id DESC LIMIT \(limit)
                """
            ).map { AuditEntry(action: $0["action"], detail: $0["detail"], at: $0["at"], userName: $0["user_name"]) }
        }
    }
}

/// A member's organization as a page of it needs it: the scope, the member's organizations (the
/// switcher), their unread notifications (the bell) and the organization's data version.
public struct ResolvedTenant: Sendable {
    public let scope: TenantScope
    public let memberships: [MembershipSummary]
    public let unread: Int
    public let version: Int64
}

public struct AuditEntry: Sendable, Hashable {
    public let action: String
    public let detail: String
    public let at: Date
    public let userName: String?
}

/// Tenant tables that hold one athlete's data.
protocol AthleteRecord: TenantRecord {}
extension ActivityRecord: AthleteRecord {}
extension ActivityFileRecord: AthleteRecord {}
extension WellnessRecord: AthleteRecord {}
extension WeatherRecord: AthleteRecord {}
extension PlanInstanceRecord: AthleteRecord {}
extension AdaptationRowRecord: AthleteRecord {}
extension UnavailableDayRecord: AthleteRecord {}

extension DerivableRequest where RowDecoder: AthleteRecord {
    /// One athlete's rows (the athlete's own organization is the `scoped(to:)` filter).
    func forAthlete(_ athleteId: Int64) -> Self {
        filter(Column("athlete_id") == athleteId)
    }
}

/// Tenant tables with a calendar day (`date`, stored as YYYY-MM-DD text, which sorts as days do).
protocol DatedRecord: TableRecord {}
extension ActivityRecord: DatedRecord {}
extension WellnessRecord: DatedRecord {}
extension WeatherRecord: DatedRecord {}
extension ScheduledWorkoutRecord: DatedRecord {}
extension UnavailableDayRecord: DatedRecord {}

extension DerivableRequest where RowDecoder: DatedRecord {
    /// Rows dated from `from` to `to`, both included.
    func between(_ from: CalendarDate, _ to: CalendarDate) -> Self {
        filter(Column("date") >= from.description && Column("date") <= to.description)
    }
}

extension AppDatabase {
    /// Every tenant table, by its record type: a test checks that these are exactly the tables
    /// with an `org_id` column, so a new tenant table cannot be added without its record.
    static let tenantRecords: [any TenantRecord.Type] = [
        MembershipRecord.self, InvitationRecord.self, AthleteProfileRecord.self, GroupRecord.self,
        GroupMemberRecord.self,
        AuditRecord.self, WorkoutRecord.self, PlanTemplateRecord.self, PlanWeekRecord.self, PlanDayRecord.self,
        PlanAssignmentRecord.self, PlanInstanceRecord.self, ScheduledWorkoutRecord.self, InstanceEventRecord.self,
        ActivityFileRecord.self, ActivityRecord.self, WellnessRecord.self, AdaptationRowRecord.self,
        OrganizationModelRecord.self, WeatherRecord.self, CoachAssignmentRecord.self, UnavailableDayRecord.self,
        ThresholdRecord.self,
        CommentRecord.self, CommentReadRecord.self, NotificationRecord.self, NotificationPrefRecord.self,
        MailScheduleRecord.self,
    ]
}

extension StoreConnection {
    /// The data version of the organization aliased `alias`, as an SQL expression: SQLite's
    /// `data_version` column, which its triggers raise; on PostgreSQL that column plus the organization's
    /// slots (`PostgresSchema.versionSlots`), so that concurrent writes of one organization do not all
    /// raise one row.
    func dataVersion(of alias: String) -> String {
        guard isPostgres else { return "\(alias).data_version" }
        return "(\(alias).data_version + COALESCE((SELECT SUM(s.changes) FROM data_version_slot s "
            + "WHERE s.org_id = \(alias).id), 0))::BIGINT"
    }

    /// Sets an organization's data version (a copy keeps the source's), slots emptied.
    func setDataVersion(_ version: Int64, orgId: Int64) throws {
        try execute(sql: "UPDATE organization SET data_version = ? WHERE id = ?", arguments: [version, orgId])
        if isPostgres { try execute(sql: "DELETE FROM data_version_slot WHERE org_id = ?", arguments: [orgId]) }
    }
}
