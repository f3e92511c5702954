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
    /// The scheduled email: tomorrow's workout (athletes) or the daily digest (coaches).
    let scheduleLabel: String
    var scheduleOn: Bool
    var scheduleTime: Field
    let scheduleZone: String

    /// "18:30" → minutes after midnight; anything else is an error for the field.
    static func minuteOfDay(_ text: String) throws(FieldRules.Invalid) -> Int {
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: ":")
        guard parts.count == 2 || parts.count == 3, parts[0].count <= 2, parts[1].count == 2,
            let hour = Int(parts[0]), let minute = Int(parts[1]), (0..<24).contains(hour), (0..<60).contains(minute)
        else { throw FieldRules.Invalid("Give a time of day like 18:30.") }
        return hour * 60 + minute
    }

    static func timeText(_ minuteOfDay: Int) -> String {
        let h = minuteOfDay / 60, m = minuteOfDay % 60
        return (h < 10 ? "0" : "") + "\(h):" + (m < 10 ? "0" : "") + "\(m)"
    }

    static func load(_ deps: AppDependencies, _ context: TenantContext) async throws -> NotificationsPage {
        let urls = SiteURL.org(context.slug)
        let list = try await deps.database.notifications(context.scope)
        let formatter = deps.instantFormatter(zone: context.scope.organization.timeZone)
        let preferences = try await deps.database.notificationPreferences(context.scope)
        let schedule = try await deps.database.mailSchedule(context.scope)
        let zone = try await deps.database.ownAthleteProfile(context.scope)?.timeZone
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
            },
            scheduleLabel: schedule.kind == .tomorrow
                ? "Email me tomorrow's workout, the day before" : "Email me a daily digest of what needs me",
            scheduleOn: schedule.enabled, scheduleTime: Field(timeText(schedule.minuteOfDay)),
            scheduleZone: context.scope.organization.timeZone(of: zone))
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
