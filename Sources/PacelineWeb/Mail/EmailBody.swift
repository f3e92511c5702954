import Foundation

/// What an email says, once: the HTML part renders it through `Templates/email/message.mustache`,
/// the plain-text part is written from the same fields here, so the two never disagree.
struct EmailBody: Sendable {
    struct Item: Sendable {
        let text: String
        var detail = ""
        var href: String?
    }

    struct Action: Sendable {
        let label: String
        let href: String
    }

    var heading: String
    var paragraphs: [String] = []
    var items: [Item] = []
    var action: Action?
    /// Why the recipient gets this email.
    var reason: String
    var unsubscribeHref: String?
    var settingsHref: String?

    var text: String {
        var out = [heading, String(repeating: "=", count: min(heading.count, 72)), ""]
        for paragraph in paragraphs { out += [paragraph, ""] }
        for item in items {
            out.append("- " + item.text + (item.detail.isEmpty ? "" : " — " + item.detail))
            if let href = item.href { out.append("  " + href) }
        }
        if !items.isEmpty { out.append("") }
        if let action { out += ["\(action.label): \(action.href)", ""] }
        out += ["-- ", reason]
        if let settingsHref { out.append("Choose what you get: \(settingsHref)") }
        if let unsubscribeHref { out.append("Stop these emails: \(unsubscribeHref)") }
        return out.joined(separator: "\n") + "\n"
    }
}
