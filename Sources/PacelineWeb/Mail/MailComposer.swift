import Foundation
import PacelineCore
import PacelineMail
import PacelineStore

/// Writes Paceline's emails: the words, both parts, the headers, the unsubscribe link. Links start
/// with the configured site address (`AppConfig.siteURL`), never with a request's Host header.
struct MailComposer: Sendable {
    let renderer: Renderer
    let siteURL: String
    let from: MailAddress

    init(deps: AppDependencies) {
        renderer = deps.renderer
        siteURL = deps.config.siteURL
        from = MailAddress(parsing: deps.config.mailFrom) ?? .fallbackSender
    }

    struct Recipient: Sendable {
        let userId: Int64?
        let name: String
        let email: String
    }

    /// One email as an outbox row. nil when the address cannot carry mail (nothing is queued).
    func compose(
        _ kind: MailKind, to recipient: Recipient, orgId: Int64?, dedupe: String, subject: String, body: EmailBody,
        now: Date
    ) throws -> OutgoingMail? {
        guard let to = MailAddress(name: recipient.name, address: recipient.email) else { return nil }
        var body = body
        var unsubscribeHash: String?
        var unsubscribeURL: String?
        if kind.canUnsubscribe {
            let token = SecretToken.generate()
            unsubscribeHash = SecretToken.hash(token)
            unsubscribeURL = siteURL + SiteURL.unsubscribe(token: token)
            body.unsubscribeHref = unsubscribeURL
        }
        let view = EmailView(body: body)
        var message = MailMessage(
            from: from, to: to, subject: subject, text: body.text, html: try renderer.html("email/message", view),
            messageID: messageID(dedupe), date: now, unsubscribeURL: unsubscribeURL)
        message.extraHeaders = [("X-Paceline-Kind", kind.rawValue)]
        return OutgoingMail(
            orgId: orgId, userId: recipient.userId, kind: kind, dedupe: dedupe, sender: from.address,
            recipient: to.address, subject: subject, message: try message.rendered(), unsubscribeHash: unsubscribeHash)
    }

    /// Stable per event: the same event written twice has the same Message-ID.
    func messageID(_ dedupe: String) -> String {
        let host = URLComponents(string: siteURL)?.host ?? "paceline.localdomain"
        return "\(SecretToken.hash(dedupe).prefix(32))@\(host.isEmpty ? "paceline.localdomain" : host)"
    }

    // MARK: The emails

    func invitation(
        id: Int64, orgId: Int64, organization: String, email: String, role: Role, inviter: String, token: String,
        expires: String, now: Date
    ) throws -> OutgoingMail? {
        let link = siteURL + SiteURL.invitation(token: token)
        let body = EmailBody(
            heading: "Join \(organization) on Paceline",
            paragraphs: [
                "\(inviter) invites you to \(organization) as \(role == .athlete ? "an" : "a") \(role.rawValue).",
                "The link works until \(expires). You choose a password when you accept.",
            ],
            action: .init(label: "Accept the invitation", href: link),
            reason: "You get this email because \(inviter) entered your address in Paceline. "
                + "If you do not know them, ignore it: nothing happens unless you accept.")
        return try compose(
            .invitation, to: Recipient(userId: nil, name: "", email: email), orgId: orgId,
            dedupe: "invitation:\(id):\(SecretToken.hash(token).prefix(16))",
            subject: "\(inviter) invites you to \(organization) on Paceline", body: body, now: now)
    }

    func passwordReset(user: User, token: String, now: Date) throws -> OutgoingMail? {
        let body = EmailBody(
            heading: "Choose a new password",
            paragraphs: [
                "Someone — we hope you — asked to reset the password of \(user.email) on Paceline.",
                "The link works once, for one hour. Choosing a new password signs you out everywhere else.",
            ],
            action: .init(label: "Choose a new password", href: siteURL + SiteURL.passwordReset(token: token)),
            reason: "If you did not ask, ignore this email: your password stays as it is.")
        return try compose(
            .passwordReset, to: Recipient(userId: user.id, name: user.name, email: user.email), orgId: nil,
            dedupe: "reset:\(SecretToken.hash(token).prefix(32))", subject: "Reset your Paceline password",
            body: body, now: now)
    }

    func notification(_ pending: PendingNotificationEmail, now: Date) throws -> OutgoingMail? {
        let urls = SiteURL.org(pending.organization.slug)
        let body = EmailBody(
            heading: pending.title,
            paragraphs: ["In \(pending.organization.name)."],
            action: .init(label: "Open in Paceline", href: siteURL + urls.notification(pending.id)),
            reason: "You get this email because you follow \(pending.kind.label.lowercased()) in "
                + "\(pending.organization.name).",
            settingsHref: siteURL + urls.notifications + "#settings")
        return try compose(
            .notification(pending.kind),
            to: Recipient(userId: pending.user.id, name: pending.user.name, email: pending.user.email),
            orgId: pending.organization.id, dedupe: "notification:\(pending.id)", subject: pending.title, body: body,
            now: now)
    }
}

/// The template's view of a body: Mustache reads stored properties, so `hasItems` is one here.
struct EmailView: Sendable {
    let heading: String
    let paragraphs: [String]
    let items: [EmailBody.Item]
    let hasItems: Bool
    let action: EmailBody.Action?
    let reason: String
    let unsubscribeHref: String?
    let settingsHref: String?

    init(body: EmailBody) {
        heading = body.heading
        paragraphs = body.paragraphs
        items = body.items
        hasItems = !body.items.isEmpty
        action = body.action
        reason = body.reason
        unsubscribeHref = body.unsubscribeHref
        settingsHref = body.settingsHref
    }
}
