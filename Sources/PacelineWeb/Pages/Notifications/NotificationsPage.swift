import Foundation
import PacelineCore
import PacelineStore

/// The member's notifications in this organization (newest first, read and unread) and their switches.
struct NotificationsPage: Sendable {
    struct Item: Sendable {
        let title: String
        let kind: String
        let when: String
        let href: String
        let isUnread: Bool
    }
    struct Switch: Sendable {
        let kind: String
        let label: String
        let inAppId: String
        let emailId: String
        let inApp: Bool
        let email: Bool
    }
    let items: [Item]
    let hasUnread: Bool
    let readAllAction: String
    let settingsAction: String
    let switches: [Switch]

    static func load(_ deps: AppDependencies, _ context: TenantContext) async throws -> NotificationsPage {
        let urls = SiteURL.org(context.slug)
        let list = try await deps.database.notifications(context.scope)
        let formatter = deps.instantFormatter(zone: context.scope.organization.timeZone)
        let preferences = try await deps.database.notificationPreferences(context.scope)
        return NotificationsPage(
            items: list.map {
                Item(
                    title: $0.title, kind: $0.kind.label, when: formatter.string(from: $0.createdAt),
                    href: urls.notification($0.id), isUnread: !$0.isRead)
            }, hasUnread: list.contains { !$0.isRead }, readAllAction: urls.notifications + "/read",
            settingsAction: urls.notifications + "/settings",
            switches: preferences.map {
                Switch(
                    kind: $0.kind.rawValue, label: $0.kind.label, inAppId: "app-\($0.kind.rawValue)",
                    emailId: "email-\($0.kind.rawValue)", inApp: $0.inApp, email: $0.email)
            })
    }

    /// Where a notification leads, for this viewer: an athlete's form page is their own `/form`.
    static func href(_ link: NotificationLink, context: TenantContext, ownAthleteId: Int64?) -> String {
        let urls = SiteURL.org(context.slug)
        switch link {
        case .workout(let id): return urls.scheduled(id) + "#comments"
        case .activity(let id): return urls.activity(id) + "#comments"
        case .athleteForm(let id): return id == ownAthleteId ? urls.form : urls.athleteForm(id)
        case .calendar: return urls.calendar
        }
    }
}
