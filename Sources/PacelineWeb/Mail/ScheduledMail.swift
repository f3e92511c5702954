import Foundation
import PacelineCore
import PacelineStore

/// The two emails that come at a member's chosen time: an athlete's workout for tomorrow, with
/// their own paces, and a coach's digest of what needs them. Each is looked at once per member per
/// local day (the outbox's event key), sent or marked skipped when there is nothing to say.
struct ScheduledMail: Sendable {
    let deps: AppDependencies
    let composer: MailComposer

    /// How late a scheduled email may still go out (a restart, a busy relay); later, that day's is dropped:
    /// a morning digest at night, or a first start of the server, should not send yesterday's news.
    static let catchUpMinutes = 180

    /// The event key, or nil unless the member's chosen time came in the last three hours, today in their zone.
    static func dueKey(_ member: ScheduledMailMember, now: Date) -> (key: String, today: CalendarDate)? {
        let zone = TimeZones.zone(member.timeZone)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let parts = calendar.dateComponents([.hour, .minute], from: now)
        let minute = (parts.hour ?? 0) * 60 + (parts.minute ?? 0)
        let chosen = member.schedule.minuteOfDay
        guard minute >= chosen, minute < chosen + catchUpMinutes else { return nil }
        let today = CalendarDate(now, timeZone: zone)
        let scope = member.scope
        return ("\(member.schedule.kind.rawValue):\(scope.organization.id):\(scope.user.id):\(today)", today)
    }

    /// Queues (or marks skipped) every scheduled email that is due and not yet looked at. Returns how many
    /// were queued, and what failed: one member's failure is reported and the others still get theirs.
    func run(now: Date) async throws -> (queued: Int, failures: [String]) {
        let members = try await deps.database.scheduledMailMembers()
        let due = members.compactMap { member in Self.dueKey(member, now: now).map { (member, $0.key, $0.today) } }
        let seen = try await deps.database.mailSeen(due.map(\.1))
        var queued = 0
        var failures: [String] = []
        for (member, key, today) in due where !seen.contains(key) {
            do {
                let mail: OutgoingMail?
                switch member.schedule.kind {
                case .tomorrow: mail = try await tomorrow(member, key: key, today: today, now: now)
                case .digest: mail = try await digest(member, key: key, today: today, now: now)
                }
                let kind: MailKind = member.schedule.kind == .tomorrow ? .tomorrow : .digest
                if let mail {
                    if try await deps.database.enqueueMail(mail, now: now) { queued += 1 }
                } else {
                    try await deps.database.markMailSkipped(
                        dedupe: key, kind: kind, orgId: member.scope.organization.id, userId: member.scope.user.id,
                        now: now)
                }
            } catch {
                failures.append("\(key): \(error)")
            }
        }
        return (queued, failures)
    }

    func recipient(_ scope: TenantScope) -> MailComposer.Recipient {
        .init(userId: scope.user.id, name: scope.user.name, email: scope.user.email)
    }

    /// Tomorrow's workouts with the athlete's own paces; nil on a rest day or without a plan.
    func tomorrow(_ member: ScheduledMailMember, key: String, today: CalendarDate, now: Date) async throws
        -> OutgoingMail?
    {
        let scope = member.scope
        guard let athlete = try await deps.database.ownAthleteProfile(scope) else { return nil }
        let day = today.adding(days: 1)
        let items = try await deps.database.schedule(scope, athleteId: athlete.id, from: day, to: day)
            .map(\.0).filter { !$0.completed }
        guard !items.isEmpty else { return nil }
        let viewer = Viewer(athlete, organization: scope.organization, now: now)
        let urls = SiteURL.org(scope.organization.slug)
        let views = items.map { WorkoutView($0, viewer: viewer, urls: urls) }
        let when = "\(Weekday(day).label) \(day.components.day) \(Self.monthName(day.components.month))"
        var body = EmailBody(
            heading: "Tomorrow, \(when): \(views.map(\.name).joined(separator: " and "))",
            reason: "You get this email the day before each workout, at the time you chose in "
                + "\(scope.organization.name). Paces are yours, from your current fitness.",
            settingsHref: composer.siteURL + urls.notifications + "#settings")
        for (view, item) in zip(views, items) {
            if views.count > 1 { body.items.append(.init(text: view.name, detail: view.totals)) }
            body.items += view.steps.map { EmailBody.Item(text: $0) }
            if views.count == 1, !view.totals.isEmpty { body.paragraphs.append(view.totals) }
            if !item.workout.notes.isEmpty { body.paragraphs.append(String(item.workout.notes.prefix(1000))) }
        }
        body.action = .init(label: "Open the workout", href: composer.siteURL + urls.scheduled(items[0].id))
        let subject = "Tomorrow: \(views.map(\.name).joined(separator: " + "))"
        return try composer.compose(
            .tomorrow, to: recipient(scope), orgId: scope.organization.id, dedupe: key, subject: subject, body: body,
            now: now)
    }

    /// What needs the coach: proposals, ill or red athletes, missed key sessions, unanswered comments.
    /// Their own athletes when they have assignments, else everyone's. nil when all is quiet.
    func digest(_ member: ScheduledMailMember, key: String, today: CalendarDate, now: Date) async throws
        -> OutgoingMail?
    {
        let scope = member.scope
        let urls = SiteURL.org(scope.organization.slug)
        let everyone = try await deps.database.triage(scope, today: today)
        let mine = everyone.filter { $0.coachUserIds.contains(scope.user.id) }
        let athletes = mine.isEmpty ? everyone : mine
        let ids = Set(athletes.map(\.id))
        var items: [EmailBody.Item] = []
        for a in athletes {
            let href = composer.siteURL + urls.athlete(a.id)
            if a.ill { items.append(.init(text: "\(a.name) reports being ill", href: href)) }
            if a.readiness == .red {
                items.append(.init(text: "\(a.name): readiness red", detail: a.readinessReason ?? "", href: href))
            }
            for missed in a.missedKeySessions {
                items.append(.init(text: "\(a.name) missed \(missed)", href: href))
            }
            if a.pendingProposals > 0 {
                let n = a.pendingProposals
                items.append(
                    .init(
                        text: "\(a.name): \(n) proposed plan change\(n == 1 ? "" : "s") to decide",
                        href: composer.siteURL + urls.athleteForm(a.id)))
            }
        }
        let threads = try await deps.database.unansweredThreads(scope, since: now.addingTimeInterval(-14 * 86_400))
            .filter { ids.contains($0.athleteId) }
        for thread in threads.prefix(20) {
            let href: String
            switch thread.target {
            case .workout(let id): href = urls.scheduled(id) + "#comments"
            case .activity(let id): href = urls.activity(id) + "#comments"
            }
            items.append(
                .init(text: "\(thread.athleteName) is waiting for an answer", detail: "“\(thread.excerpt)”",
                    href: composer.siteURL + href))
        }
        guard !items.isEmpty else { return nil }
        let body = EmailBody(
            heading: "Today in \(scope.organization.name)",
            paragraphs: ["\(items.count) thing\(items.count == 1 ? "" : "s") for you to look at."],
            items: Array(items.prefix(60)),
            action: .init(label: "Open the athletes board", href: composer.siteURL + urls.athletes),
            reason: "You get this digest each morning you coach in \(scope.organization.name), "
                + "when something needs you.",
            settingsHref: composer.siteURL + urls.notifications + "#settings")
        return try composer.compose(
            .digest, to: recipient(scope), orgId: scope.organization.id, dedupe: key,
            subject: "\(scope.organization.name): \(items.count) thing\(items.count == 1 ? "" : "s") need you today",
            body: body, now: now)
    }

    static func monthName(_ month: Int) -> String {
        let names = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
            "October", "November", "December"]
        return names.indices.contains(month - 1) ? names[month - 1] : ""
    }
}
