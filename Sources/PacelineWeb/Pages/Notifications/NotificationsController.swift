import Foundation
import Hummingbird
import PacelineCore
import PacelineStore

/// The bell's list: opening one marks it read and goes to its page; "Mark all read"; the member's
/// switches per kind (in the app, by email).
struct NotificationsController {
    let deps: AppDependencies

    func addRoutes(to routes: GuardedRoutes<TenantContext>) {
        routes.get("notifications", use: list)
        routes.get("notifications/:id", use: open)
        routes.post("notifications/read", use: readAll)
        routes.post("notifications/settings", use: settings)
    }

    @Sendable func list(_ request: Request, context: TenantContext) async throws -> Response {
        let page = try await NotificationsPage.load(deps, context)
        return try await deps.pages.render(
            .notifications, page, title: "Notifications", request: request, context: context)
    }

    @Sendable func open(_ request: Request, context: TenantContext) async throws -> Response {
        let link = try await deps.database.openNotification(
            context.scope, id: try request.id(context), now: deps.clock.now())
        let own = try await deps.database.ownAthleteProfile(context.scope)?.id
        return .redirect(to: NotificationsPage.href(link, context: context, ownAthleteId: own))
    }

    @Sendable func readAll(_ request: Request, context: TenantContext) async throws -> Response {
        try await deps.database.markAllNotificationsRead(context.scope, now: deps.clock.now())
        return .redirect(to: SiteURL.org(context.slug).notifications, flash: .success("All marked read."))
    }

    @Sendable func settings(_ request: Request, context: TenantContext) async throws -> Response {
        var request = request
        let form = try await request.form(context: context)
        var minute = try await deps.database.mailSchedule(context.scope).minuteOfDay
        do {
            if !form["schedule_time"].isEmpty {
                minute = try NotificationsPage.minuteOfDay(String(form["schedule_time"].prefix(10)))
            }
        } catch {
            var page = try await NotificationsPage.load(deps, context)
            page.scheduleOn = form["schedule_on"] == "1"
            page.scheduleTime = Field(String(form["schedule_time"].prefix(10)), error: error.message)
            return try await deps.pages.render(
                .notifications, page, title: "Notifications", request: request, context: context,
                status: .unprocessableContent)
        }
        let kind = MailSchedule.kind(for: context.scope.role)
        try await deps.database.setMailSchedule(
            context.scope, MailSchedule(kind: kind, enabled: form["schedule_on"] == "1", minuteOfDay: minute))
        let current = try await deps.database.notificationPreferences(context.scope)
        let chosen = current.map {
            NotificationPreference(
                kind: $0.kind, inApp: form["app-\($0.kind.rawValue)"] == "1",
                email: form["email-\($0.kind.rawValue)"] == "1")
        }
        try await deps.database.setNotificationPreferences(context.scope, chosen)
        return .redirect(to: SiteURL.org(context.slug).notifications, flash: .success("Preferences saved."))
    }
}
