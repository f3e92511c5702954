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

/// Tables holding tenant data; their requests are filtered through `scoped(to:)`.
protocol TenantRecord: TableRecord {}
extension MembershipRecord: TenantRecord {}
extension InvitationRecord: TenantRecord {}
extension AthleteProfileRecord: TenantRecord {}
extension GroupRecord: TenantRecord {}
extension GroupMemberRecord: TenantRecord {}

extension QueryInterfaceRequest where RowDecoder: TenantRecord {
    /// The organization filter, written once.
    func scoped(to scope: TenantScope) -> Self {
        filter(Column("org_id") == scope.orgId)
    }
}

extension TenantRecord {
    /// All rows of this organization.
    static func scoped(to scope: TenantScope) -> QueryInterfaceRequest<Self> {
        all().scoped(to: scope)
    }
}

extension AppDatabase {
    /// Resolves an organization by slug and the user's membership in it, or nil: an organization
    /// that does not exist and one the user does not belong to look the same (404).
    public func resolveTenant(slug: String, userId: Int64) async throws -> TenantScope? {
        try await writer.read { db in try Self.resolveTenant(db, slug: slug, userId: userId) }
    }

    /// The tenant and the user's organizations (for the switcher), in one read.
    public func resolveTenantWithMemberships(slug: String, userId: Int64) async throws -> (TenantScope, [MembershipSummary])? {
        try await writer.read { db in
            guard let scope = try Self.resolveTenant(db, slug: slug, userId: userId) else { return nil }
            return (scope, try Self.memberships(db, userId: userId))
        }
    }

    static func resolveTenant(_ db: Database, slug: String, userId: Int64) throws -> TenantScope? {
        let row = try db.row(sql: """
            SELECT o.*, m.role AS member_role FROM organization o
            JOIN membership m ON m.org_id = o.id AND m.user_id = ?
            WHERE o.slug = ?
            """, arguments: [userId, slug])
        guard let row, let role = Role(rawValue: row["member_role"] ?? ""),
              let user = try db.user(id: userId)
        else { return nil }
        return TenantScope(organization: try Organization(row: row), user: user, role: role)
    }

    func audit(_ db: Database, scope: TenantScope?, userId: Int64?, action: String, detail: String, now: Date) throws {
        let record = AuditRecord(orgId: scope?.orgId, userId: userId ?? scope?.user.id, action: action, detail: detail, at: now)
        try record.insert(db)
    }

    /// The latest audit entries of an organization, newest first.
    public func auditLog(_ scope: TenantScope, limit: Int = 50) async throws -> [AuditEntry] {
        try await writer.read { db in
            try db.rows(sql: """
                SELECT a.action, a.detail, a.at, u.name AS user_name FROM audit_log a
                LEFT JOIN user u ON u.id = a.user_id
                WHERE a.org_id = ? ORDER BY a.at DESC, a.id DESC LIMIT ?
                """, arguments: [scope.orgId, limit]
            ).map { AuditEntry(action: $0["action"], detail: $0["detail"], at: $0["at"], userName: $0["user_name"]) }
        }
    }
}

public struct AuditEntry: Sendable, Hashable {
    public let action: String
    public let detail: String
    public let at: Date
    public let userName: String?
}
