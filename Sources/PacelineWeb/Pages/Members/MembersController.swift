import Foundation
import Hummingbird
import PacelineCore
import PacelineStore

/// Admin pages: members and their roles, invitations, organization settings.
struct MembersController {
    let deps: AppDependencies

    func addRoutes(to routes: GuardedRoutes<TenantContext>) {
        routes.get("members", use: index)
        routes.post("members/:id/role", use: changeRole)
        routes.post("members/:id/remove", use: remove)
        routes.post("invitations", use: invite)
        routes.post("invitations/:id/revoke", use: revoke)
        routes.post("invitations/:id/link", use: renew)
        routes.get("settings", use: settings)
        routes.post("settings", use: updateSettings)
    }

    struct MembersPage {
        struct Row {
            let id: Int64
            let name: String
            let email: String
            let role: String
            let roleAction: String
            let removeAction: String
            let isSelf: Bool
            let roles: [SelectOption]
        }
        struct InvitationRow {
            let email: String
            let role: String
            let state: String
            let expires: String
            let revokeAction: String
            let linkAction: String
            let isPending: Bool
        }
        /// A link just made: shown on the page (with a copy button), since it is stored hashed.
        struct NewLink {
            let email: String
            let link: String
        }
        let members: [Row]
        let invitations: [InvitationRow]
        let hasInvitations: Bool
        let inviteAction: String
        var inviteEmail = Field()
        var inviteRole: [SelectOption]
        var error: String?
        var newLink: NewLink?
    }

    private func render(
        _ request: Request, _ context: TenantContext, status: HTTPResponse.Status = .ok,
        adjust: (inout MembersPage) -> Void = { _ in }
    ) async throws -> Response {
        let scope = context.scope
        let urls = SiteURL.org(context.slug)
        let now = deps.clock.now()
        let members = try await deps.database.members(scope)
        let invitations = try await deps.database.invitations(scope)
        let formatter = deps.instantFormatter(zone: scope.organization.timeZone, withTime: false)
        var page = MembersPage(
            members: members.map {
                .init(
                    id: $0.id, name: $0.name, email: $0.email, role: $0.role.label, roleAction: urls.memberRole($0.id),
                    removeAction: urls.memberRemove($0.id), isSelf: $0.userId == scope.user.id,
                    roles: SelectOption.roles(selected: $0.role))
            },
            invitations: invitations.prefix(50).map {
                let state = $0.state(now: now)
                return .init(
                    email: $0.email, role: $0.role.label, state: state.rawValue,
                    expires: formatter.string(from: $0.expiresAt),
                    revokeAction: urls.invitationRevoke($0.id), linkAction: urls.invitationLink($0.id),
                    isPending: state == .pending)
            },
            hasInvitations: !invitations.isEmpty, inviteAction: urls.invitations,
            inviteRole: SelectOption.roles(selected: .athlete))
        adjust(&page)
        return try await deps.pages.render(
            .membersIndex, page, title: "Members", request: request, context: context, status: status)
    }

    @Sendable func index(_ request: Request, context: TenantContext) async throws -> Response {
        try await render(request, context)
    }

    @Sendable func changeRole(_ request: Request, context: TenantContext) async throws -> Response {
        var request = request
        let id = try request.id(context)
        let form = try await request.form(context: context)
        guard let role = Role(rawValue: form["role"]) else {
            return try await render(request, context, status: .unprocessableContent) {
                $0.error = "Choose admin, coach or athlete."
            }
        }
        do {
            try await deps.database.changeRole(context.scope, memberId: id, to: role, now: deps.clock.now())
        } catch StoreError.invalid(let message) {
            return try await render(request, context, status: .unprocessableContent) { $0.error = message }
        }
        return .redirect(to: SiteURL.org(context.slug).members, flash: .success("Role changed."))
    }

    @Sendable func remove(_ request: Request, context: TenantContext) async throws -> Response {
        var request = request
        let id = try request.id(context)
        do {
            let member = try await deps.database.member(context.scope, id: id)
            let isSelf = member.userId == context.scope.user.id
            if let ask = try await ConfirmPage.ask(
                deps, request, context, form: try await request.form(context: context),
                question: isSelf
                    ? "Leave \(context.scope.organization.name)?" : "Remove \(member.name) from the organization?",
                consequence: isSelf
                    ? "You lose access to its pages until someone invites you again."
                    : "\(member.name) can no longer sign in to this organization. Their training data stays.",
                button: isSelf ? "Yes, leave" : "Yes, remove", back: SiteURL.org(context.slug).members)
            {
                return ask
            }
            try await deps.database.removeMember(context.scope, memberId: id, now: deps.clock.now())
            if member.userId == context.scope.user.id {
                return .redirect(to: SiteURL.account, flash: .info("You have left \(context.scope.organization.name)."))
            }
            return .redirect(to: SiteURL.org(context.slug).members, flash: .success("\(member.name) was removed."))
        } catch StoreError.invalid(let message) {
            return try await render(request, context, status: .unprocessableContent) { $0.error = message }
        }
    }

    @Sendable func invite(_ request: Request, context: TenantContext) async throws -> Response {
        var request = request
        let form = try await request.form(context: context)
        var errors = FieldErrors()
        let email = errors.check("email") { try FieldRules.email(form["email"]) }
        let role = errors.check("role") { try FieldRules.role(form["role"]) }
        var storeError: String?
        if errors.isEmpty, let email, let role {
            do {
                let (invitation, token) = try await deps.database.invite(
                    context.scope, email: email, role: role, now: deps.clock.now())
                try await emailInvitation(invitation, token: token, context)
                return try await showLink(request, context, email: email, token: token)
            } catch StoreError.invalid(let message) {
                storeError = message
            }
        }
        return try await render(request, context, status: .unprocessableContent) {
            $0.inviteEmail = Field(String(form["email"].prefix(300)), error: errors["email"] ?? storeError)
            $0.inviteRole = SelectOption.roles(selected: Role(rawValue: form["role"]) ?? .athlete)
            $0.error = errors["role"]
        }
    }

    /// The members page with a link just made, ready to copy (the page, not a flash: the link must be
    /// readable and copyable, and it is never shown again).
    func showLink(_ request: Request, _ context: TenantContext, email: String, token: String) async throws -> Response {
        let link = request.absoluteURL(path: SiteURL.invitation(token: token), secure: deps.config.secureCookies)
        return try await render(request, context) { $0.newLink = .init(email: email, link: link) }
    }

    /// The invitation by email too (queued; the mail worker sends it).
    func emailInvitation(_ invitation: Invitation, token: String, _ context: TenantContext) async throws {
        let org = context.scope.organization, now = deps.clock.now()
        let expires = deps.instantFormatter(zone: org.timeZone).string(from: invitation.expiresAt)
        if let mail = try deps.mail.invitation(
            id: invitation.id, orgId: org.id, organization: org.name, email: invitation.email, role: invitation.role,
            inviter: context.scope.user.name, token: token, expires: expires, now: now)
        {
            try await deps.database.enqueueMail(mail, now: now)
        }
    }

    @Sendable func renew(_ request: Request, context: TenantContext) async throws -> Response {
        let id = try request.id(context)
        do {
            let (invitation, token) = try await deps.database.renewInvitation(
                context.scope, id: id, now: deps.clock.now())
            try await emailInvitation(invitation, token: token, context)
            return try await showLink(request, context, email: invitation.email, token: token)
        } catch StoreError.invalid(let message) {
            return try await render(request, context, status: .unprocessableContent) { $0.error = message }
        }
    }

    @Sendable func revoke(_ request: Request, context: TenantContext) async throws -> Response {
        let id = try request.id(context)
        do {
            try await deps.database.revokeInvitation(context.scope, id: id, now: deps.clock.now())
        } catch StoreError.invalid(let message) {
            return try await render(request, context, status: .unprocessableContent) { $0.error = message }
        }
        return .redirect(to: SiteURL.org(context.slug).members, flash: .success("Invitation revoked."))
    }

    // MARK: Settings

    struct SettingsPage {
        var name: Field
        var units: [SelectOption]
        var timeZone: Field
        var coachesEditLibrary: Bool
        var action: String
        var summary: String?
        /// The whole organization's data as a zip, and the page that deletes it.
        var exportHref: String
        var deleteHref: String
    }

    @Sendable func settings(_ request: Request, context: TenantContext) async throws -> Response {
        let org = context.scope.organization, urls = SiteURL.org(context.slug)
        let page = SettingsPage(
            name: Field(org.name), units: SelectOption.units(selected: org.units), timeZone: Field(org.timeZone),
            coachesEditLibrary: org.coachesEditLibrary, action: urls.settings,
            exportHref: urls.exportOrganization, deleteHref: urls.settingsDelete)
        return try await deps.pages.render(
            .membersSettings, page, title: "Settings", request: request, context: context)
    }

    @Sendable func updateSettings(_ request: Request, context: TenantContext) async throws -> Response {
        var request = request
        let form = try await request.form(context: context)
        var errors = FieldErrors()
        let name = errors.check("name") { try FieldRules.name(form["name"], field: "Organization name") }
        let units = errors.check("units") { try FieldRules.units(form["units"]) }
        let timeZone = errors.check("time_zone") { try FieldRules.timeZone(form["time_zone"]) }
        guard errors.isEmpty, let name, let units, let timeZone else {
            let page = SettingsPage(
                name: Field(String(form["name"].prefix(200)), error: errors["name"]),
                units: SelectOption.units(selected: UnitSystem(rawValue: form["units"])),
                timeZone: Field(String(form["time_zone"].prefix(100)), error: errors["time_zone"] ?? errors["units"]),
                coachesEditLibrary: form["coaches_edit_library"] == "1", action: SiteURL.org(context.slug).settings,
                summary: errors.summary, exportHref: SiteURL.org(context.slug).exportOrganization,
                deleteHref: SiteURL.org(context.slug).settingsDelete)
            return try await deps.pages.render(
                .membersSettings, page, title: "Settings", request: request, context: context,
                status: .unprocessableContent)
        }
        _ = try await deps.database.updateOrganization(
            context.scope, name: name, units: units, timeZone: timeZone,
            coachesEditLibrary: form["coaches_edit_library"] == "1", now: deps.clock.now())
        return .redirect(to: SiteURL.org(context.slug).settings, flash: .success("Settings saved."))
    }
}
