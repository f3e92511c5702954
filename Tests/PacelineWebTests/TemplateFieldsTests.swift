import Foundation
import Testing
@testable import PacelineCore
@testable import PacelineWeb

/// Hand-written template fields must name every stored property (an optional may be absent
/// when nil); otherwise a template would silently print nothing.
struct TemplateFieldsTests {
    func check(_ value: some TemplateFields) {
        let stored = Set(Mirror(reflecting: value).children.compactMap(\.label))
        let listed = Set(value.templateFields.keys)
        #expect(listed.isSubset(of: stored), "\(type(of: value)) lists unknown fields \(listed.subtracting(stored))")
        #expect(stored == listed, "\(type(of: value)) misses fields \(stored.subtracting(listed))")
    }

    @Test func everyHandWrittenTypeListsAllItsFields() {
        let link = Chrome.Link(label: "Home", href: "/", current: true)
        let chrome = Chrome(
            title: "T", csrf: "c", flash: .init(message: "m", kind: "info", isError: false), signedIn: true,
            userName: "U",
            org: .init(
                name: "O", slug: "o", role: "Coach", home: "/o/o", notificationsHref: "/n", unread: 1,
                hasUnread: true, bellLabel: "B"), nav: [link], organizations: [link],
            hasOrganizationSwitch: false, requestId: "r")
        check(chrome)
        check(link)
        check(Chrome.OrgView(
                name: "O", slug: "o", role: "Coach", home: "/o/o", notificationsHref: "/n", unread: 1,
                hasUnread: true, bellLabel: "B"))
        check(Chrome.FlashView(message: "m", kind: "info", isError: false))
        let workout = WorkoutView(
            id: 1, name: "W", date: "2027-01-01", weekday: "Friday", href: "/", steps: ["a"], totals: "5 km",
            notesHTML: SafeHTML(html: "<p>x</p>"), hasNotes: true, completed: false, doneAction: "/d",
            planName: "P", kind: "easy", logHref: "/l", doneText: "10 km", heat: "Hot day")
        check(workout)
        let status = PlanStatus(name: "P", status: "Active", statusClass: "active", dates: "x")
        check(status)
        let upcoming = AthleteHomePage.Upcoming(weekday: "Mon", date: "2027-01-01", name: "E", href: "/", isRest: false)
        check(upcoming)
        check(
            AthleteHomePage(
                name: "N", today: workout, todayText: "t", upcoming: [upcoming], plans: [status], hasPlans: true,
                noPlanText: "n", pausedNotice: "p", calendarHref: "/c", sendToWatchHref: "/w",
                profileHref: "/p", hasVDOT: true,
                vdotHref: "/v",
                checkInHref: "/ci", logListHref: "/ll"))
        check(View(page: status, app: chrome))
    }
}
