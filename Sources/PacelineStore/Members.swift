import Foundation
import GRDB
import PacelineCore

/// A member of an organization as the admin pages list them.
public struct Member: Sendable, Hashable, Identifiable {
    public let id: Int64  // membership id
    public let userId: Int64
    public let name: String
    public let email: String
    public let role: Role
    public let joinedAt: Date
}

/// An invitation as the admin sees it (the token itself is shown once, at creation).
public struct Invitation: Sendable, Hashable, Identifiable {
    public let id: Int64
    public let email: String
    public let role: Role
    public let createdAt: Date
    public let expiresAt: Date
    public let acceptedAt: Date?
    public let revokedAt: Date?

    public enum State: String, Sendable { case pending, accepted, revoked, expired }

    public func state(now: Date) -> State {
        if acceptedAt != nil { return .accepted }
        if revokedAt != nil { return .revoked }
        if expiresAt <= now { return .expired }
        return .pending
    }
}

/// What an invitation link shows before it is accepted.
public struct InvitationPreview: Sendable, Hashable {
    public let organization: Organization
    public let email: String
    public let role: Role
    public let accountExists: Bool
}

extension AppDatabase {
    public static let invitationLifetime: TimeInterval = 7 * 86_400

    // MARK: Members

    public func members(_ scope: TenantScope) async throws -> [Member] {
        try await writer.read { db in
            try db.rows(Self.memberSQL(scope, where: "TRUE") + " ORDER BY u.name COLLATE NOCASE, u.id").compactMap(
                Self.member)
        }
    }

    /// Members of the organization with their name and email, where `condition`.
    static func memberSQL(_ scope: TenantScope, where condition: SQL) -> SQL {
        """
        SELECT m.id, m.user_id, m.role, m.created_at, u.name, u.email FROM membership m
        JOIN user u ON u.id = m.user_id WHERE \(scope.owns("m")) AND \(condition)
        """
    }

    static func member(_ row: Row) -> Member? {
        guard let role = Role(rawValue: row["role"] ?? "") else { return nil }
        return Member(
            id: row["id"], userId: row["user_id"], name: row["name"], email: row["email"], role: role,
            joinedAt: row["created_at"])
    }

    public func member(_ scope: TenantScope, id: Int64) async throws -> Member {
        try await writer.read { db in try Self.member(db, scope, id: id) }
    }

    static func member(_ db: StoreConnection, _ scope: TenantScope, id: Int64) throws -> Member {
        let row = try db.row(memberSQL(scope, where: "m.id = \(id)"))
        guard let row, let member = member(row) else { throw StoreError.notFound }
        return member
    }

    /// Changes a member's role. The organization always keeps at least one admin.
    public func changeRole(_ scope: TenantScope, memberId: Int64, to role: Role, now: Date) async throws {
        try await writer.write { db in
            let member = try Self.member(db, scope, id: memberId)
            guard member.role != role else { return }
            if member.role == .admin { try Self.requireAnotherAdmin(db, scope, besides: memberId) }
            try MembershipRecord.scoped(to: scope).filter(key: memberId).updateAll(db, Column("role").set(to: role))
            if role == .athlete {
                try Self.ensureAthleteProfile(db, orgId: scope.orgId, userId: member.userId, now: now)
            }
            try self.audit(
                db, scope: scope, userId: nil, action: "member.role_changed",
                detail: "\(member.email): \(member.role.rawValue) → \(role.rawValue)", now: now)
        }
    }

    /// Removes a member (and their athlete profile in this organization). Not the last admin.
    public func removeMember(_ scope: TenantScope, memberId: Int64, now: Date) async throws {
        try await writer.write { db in
            let member = try Self.member(db, scope, id: memberId)
            if member.role == .admin { try Self.requireAnotherAdmin(db, scope, besides: memberId) }
            try MembershipRecord.scoped(to: scope).filter(key: memberId).deleteAll(db)
            try AthleteProfileRecord.scoped(to: scope).filter(Column("user_id") == member.userId).deleteAll(db)
            try self.audit(db, scope: scope, userId: nil, action: "member.removed", detail: member.email, now: now)
        }
    }

    static func requireAnotherAdmin(_ db: StoreConnection, _ scope: TenantScope, besides memberId: Int64) throws {
        let others = try MembershipRecord.scoped(to: scope)
            .filter(Column("role") == Role.admin.rawValue && Column("id") != memberId).fetchCount(db)
        guard others > 0 else {
            throw StoreError.invalid("An organization needs at least one admin: make someone else an admin first.")
        }
    }

    // MARK: Settings

    public func updateOrganization(
        _ scope: TenantScope, name: String, units: UnitSystem, timeZone: String, coachesEditLibrary: Bool? = nil,
        now: Date
    ) async throws -> Organization {
        try await writer.write { db in
            // The organization row is the tenant itself: its key is the scope's organization.
            try Organization.filter(key: scope.orgId).updateAll(
                db, Column("name").set(to: name), Column("units").set(to: units), Column("time_zone").set(to: timeZone),
                Column("coaches_edit_library").set(to: coachesEditLibrary ?? scope.organization.coachesEditLibrary))
            try self.audit(db, scope: scope, userId: nil, action: "organization.updated", detail: name, now: now)
            guard let org = try Organization.fetchOne(db, key: scope.orgId) else { throw StoreError.notFound }
            return org
        }
    }

    // MARK: Invitations

    public func invitations(_ scope: TenantScope) async throws -> [Invitation] {
        try await writer.read { db in
            try InvitationRecord.scoped(to: scope).order(Column("created_at").desc, Column("id").desc).fetchAll(db).map(
                Self.invitation)
        }
    }

    static func invitation(_ r: InvitationRecord) -> Invitation {
        Invitation(
            id: r.id ?? 0, email: r.email, role: r.role, createdAt: r.createdAt, expiresAt: r.expiresAt,
            acceptedAt: r.acceptedAt, revokedAt: r.revokedAt)
    }

    /// Creates an invitation; returns it and the secret token for the link (shown once).
    public func invite(
        _ scope: TenantScope, email: String, role: Role, now: Date
    ) async throws -> (Invitation, token: String) {
        let token = SecretToken.generate()
        let invitation = try await writer.write { db -> Invitation in
            let alreadyMember = try db.row(Self.memberSQL(scope, where: "u.email = \(email)")) != nil
            if alreadyMember { throw StoreError.invalid("\(email) is already a member.") }
            // A new invitation replaces any pending one for the same email.
            try InvitationRecord.scoped(to: scope)
                .filter(Column("email") == email && Column("accepted_at") == nil && Column("revoked_at") == nil)
                .updateAll(db, Column("revoked_at").set(to: now))
            let record = InvitationRecord(
                orgId: scope.orgId, email: email, role: role, tokenHash: SecretToken.hash(token),
                invitedBy: scope.user.id, createdAt: now,
                expiresAt: now.addingTimeInterval(Self.invitationLifetime))
            try record.insert(db)
            var inserted = record
            inserted.id = db.lastInsertedRowID
            try self.audit(
                db, scope: scope, userId: nil, action: "invitation.created", detail: "\(email) as \(role.rawValue)",
                now: now)
            return Self.invitation(inserted)
        }
        return (invitation, token)
    }

    /// A fresh link for a pending invitation (the old one stops working; valid 7 days from now). Links are
    /// stored hashed, so a lost link is replaced, never shown again.
    public func renewInvitation(
        _ scope: TenantScope, id: Int64, now: Date
    ) async throws -> (Invitation, token: String) {
        let token = SecretToken.generate()
        let invitation = try await writer.write { db -> Invitation in
            guard var record = try InvitationRecord.scoped(to: scope).filter(Column("id") == id).fetchOne(db) else {
                throw StoreError.notFound
            }
            guard record.acceptedAt == nil, record.revokedAt == nil else {
                throw StoreError.invalid(
                    "This invitation was already \(record.acceptedAt != nil ? "accepted" : "revoked"): invite again.")
            }
            record.tokenHash = SecretToken.hash(token)
            record.expiresAt = now.addingTimeInterval(Self.invitationLifetime)
            try InvitationRecord.scoped(to: scope).filter(key: id).updateAll(
                db, Column("token_hash").set(to: record.tokenHash), Column("expires_at").set(to: record.expiresAt))
            try self.audit(db, scope: scope, userId: nil, action: "invitation.renewed", detail: record.email, now: now)
            return Self.invitation(record)
        }
        return (invitation, token)
    }

    public func revokeInvitation(_ scope: TenantScope, id: Int64, now: Date) async throws {
        try await writer.write { db in
            guard let record = try InvitationRecord.scoped(to: scope).filter(Column("id") == id).fetchOne(db) else {
                throw StoreError.notFound
            }
            guard record.acceptedAt == nil, record.revokedAt == nil else {
                throw StoreError.invalid(
                    "This invitation was already \(record.acceptedAt != nil ? "accepted" : "revoked").")
            }
            try InvitationRecord.scoped(to: scope).filter(key: id).updateAll(db, Column("revoked_at").set(to: now))
            try self.audit(db, scope: scope, userId: nil, action: "invitation.revoked", detail: record.email, now: now)
        }
    }

    /// What a pending invitation offers, or nil when the link is unknown, used, revoked or expired.
    public func invitationPreview(token: String, now: Date) async throws -> InvitationPreview? {
        try await writer.read { db in try Self.pendingInvitation(db, token: token, now: now)?.preview }
    }

    static func pendingInvitation(
        _ db: StoreConnection, token: String, now: Date
    ) throws -> (record: InvitationRecord, preview: InvitationPreview)? {
        guard let record = try InvitationRecord.filter(Column("token_hash") == SecretToken.hash(token)).fetchOne(db),
            record.acceptedAt == nil, record.revokedAt == nil, record.expiresAt > now,
            let org = try Organization.fetchOne(db, key: record.orgId)
        else { return nil }
        let exists = try Int.fetchOne(db, sql: "SELECT 1 FROM user WHERE email = ?", arguments: [record.email]) != nil
        return (
            record, InvitationPreview(organization: org, email: record.email, role: record.role, accountExists: exists)
        )
    }

    /// Accepts an invitation: for a new person `newAccount` gives name and password hash; for a
    /// signed-in user `userId` is theirs and their email must match the invitation's.
    public func acceptInvitation(
        token: String, userId: Int64?, newAccount: (name: String, passwordHash: String)?, now: Date
    ) async throws -> (Organization, User) {
        try await writer.write { db in
            guard let (record, preview) = try Self.pendingInvitation(db, token: token, now: now) else {
                throw StoreError.invalid(
                    "This invitation link is no longer valid: ask the organization's admin for a new one.")
            }
            let user: User
            if let userId {
                guard let existing = try db.user(id: userId) else { throw StoreError.notFound }
                guard existing.email.lowercased() == record.email.lowercased() else {
                    throw StoreError.invalid(
                        "This invitation is for \(record.email); you are signed in as \(existing.email).")
                }
                user = existing
            } else if let newAccount {
                if preview.accountExists {
                    throw StoreError.invalid(
                        "An account with \(record.email) exists: sign in to accept the invitation.")
                }
                user = try Self.insertUser(
                    db, email: record.email, name: newAccount.name, passwordHash: newAccount.passwordHash, now: now)
            } else {
                throw StoreError.invalid("Sign in or create an account to accept the invitation.")
            }
            // The invitation names its organization: from here on, that is the scope.
            let scope = TenantScope(organization: preview.organization, user: user, role: record.role)
            let isMember =
                try MembershipRecord.scoped(to: scope).filter(Column("user_id") == user.id).fetchCount(db) > 0
            if !isMember {
                try Self.addMembership(db, orgId: record.orgId, userId: user.id, role: record.role, now: now)
            }
            try InvitationRecord.scoped(to: scope).filter(key: record.id).updateAll(
                db, Column("accepted_at").set(to: now))
            try self.audit(
                db, scope: scope, userId: user.id, action: "invitation.accepted", detail: record.email, now: now)
            return (preview.organization, user)
        }
    }
}
