import Foundation
import GRDB
import PacelineCore

extension AppDatabase {
    /// The organizations where this user is the only admin: they must hand over or delete those first.
    public func organizationsOnlyAdministeredBy(userId: Int64) async throws -> [Organization] {
        try await writer.read { db in try Self.soleAdminOrganizations(db, userId: userId) }
    }

    static func soleAdminOrganizations(_ db: StoreConnection, userId: Int64) throws -> [Organization] {
        try Self.memberships(db, userId: userId).filter { $0.role == .admin }.map(\.organization).filter { org in
            try MembershipRecord.scoped(toOrganization: org.id)
                .filter(Column("role") == Role.admin.rawValue && Column("user_id") != userId).fetchCount(db) == 0
        }
    }

    /// Deletes an account and everything of theirs: their memberships, athlete profiles (with their
    /// activities, files, check-ins, plans, proposals, days away), the comments they wrote, their
    /// notifications, settings, sessions, devices, reset links, queued mail, sign-in attempts, the
    /// invitations to their address and the log lines about them. Refused (`.invalid`, nothing
    /// changed) while they are an organization's only admin.
    public func deleteAccount(userId: Int64) async throws {
        try await writer.write { db in
            guard let user = try User.fetchOne(db, key: userId) else { throw StoreError.notFound }
            let sole = try Self.soleAdminOrganizations(db, userId: userId)
            guard sole.isEmpty else {
                let names = sole.map(\.name).joined(separator: ", ")
                throw StoreError.invalid(
                    "You are the only admin of \(names): make someone else an admin there, or delete the "
                        + "organization, before you delete your account.")
            }
            // Tenant rows that keep no foreign key to the user, organization by organization: the comments
            // they wrote, invitations to them, log lines about them, and others' notifications that quote
            // them or lead to their workouts, activities or form page.
            for org in try Organization.fetchAll(db) {
                for profile in try AthleteProfileRecord.scoped(toOrganization: org.id)
                    .filter(Column("user_id") == userId).fetchAll(db)
                {
                    guard let athleteId = profile.id else { continue }
                    let activities = try Int64.fetchAll(
                        db, ActivityRecord.scoped(toOrganization: org.id).filter(Column("athlete_id") == athleteId)
                            .select(Column("id")))
                    let instances = PlanInstanceRecord.scoped(toOrganization: org.id)
                        .filter(Column("athlete_id") == athleteId).select(Column("id"))
                    let workouts = try Int64.fetchAll(
                        db, ScheduledWorkoutRecord.scoped(toOrganization: org.id)
                            .filter(instances.contains(Column("instance_id"))).select(Column("id")))
                    _ = try NotificationRecord.scoped(toOrganization: org.id)
                        .filter(
                            (Column("link_kind") == "activity" && activities.contains(Column("link_id")))
                                || (Column("link_kind") == "workout" && workouts.contains(Column("link_id")))
                                || (Column("link_kind") == "form" && Column("link_id") == athleteId))
                        .deleteAll(db)
                }
                _ = try CommentRecord.scoped(toOrganization: org.id).filter(Column("author_id") == userId).deleteAll(db)
                _ = try InvitationRecord.scoped(toOrganization: org.id).filter(Column("email") == user.email)
                    .deleteAll(db)
                _ = try AuditRecord.scoped(toOrganization: org.id)
                    .filter(Column("user_id") == userId || Column("detail").like("%\(user.email)%")).deleteAll(db)
            }
            _ = try AuditRecord.filter(Column("org_id") == nil)
                .filter(Column("user_id") == userId || Column("detail").like("%\(user.email)%")).deleteAll(db)
            try db.execute(sql: "DELETE FROM login_attempt WHERE email = ?", arguments: [user.email])
            try db.execute(sql: "DELETE FROM mail_outbox WHERE recipient = ? COLLATE NOCASE", arguments: [user.email])
            // The rest goes with the user row (ON DELETE CASCADE: memberships, athlete profiles and all
            // that hangs on them, notifications, preferences, sessions, devices, reset links, mail).
            _ = try User.deleteOne(db, key: userId)
        }
    }

    /// Deletes an organization and every row of it (each tenant table cascades from `organization`).
    /// Its members' accounts stay: people may belong to other organizations, and can sign up again.
    public func deleteOrganization(_ scope: TenantScope, confirmName: String, now: Date) async throws {
        guard confirmName.trimmingCharacters(in: .whitespaces) == scope.organization.name else {
            throw StoreError.invalid("Type the organization's name exactly as it is shown to delete it.")
        }
        try await writer.write { db in
            // The organization row is the tenant itself: its key is the scope's organization.
            _ = try Organization.deleteOne(db, key: scope.orgId)
            try self.audit(
                db, scope: nil, userId: scope.user.id, action: "organization.deleted", detail: scope.organization.slug,
                now: now)
        }
    }
}
