import Foundation
import PacelineCore

/// Every link the site builds, in one place, so no URL string is scattered through handlers
/// and templates. Route patterns live beside the handlers in `buildRouter`.
enum SiteURL {
    static let home = "/"
    static let signup = "/signup"
    static let logout = "/logout"
    static let account = "/account"
    static let accountName = "/account/name"
    static let accountPassword = "/account/password"
    static let accountOrganizations = "/account/organizations"

    static func login(next: String?) -> String {
        guard let next, isSafeRedirect(next), next != "/" else { return "/login" }
        let allowed = CharacterSet.alphanumerics.union(.init(charactersIn: "/-_"))
        return "/login?next=" + (next.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")
    }

    static func invitation(token: String) -> String { "/invite/\(token)" }
    static let passwordForgot = "/password/forgot"
    static func passwordReset(token: String) -> String { "/password/reset/\(token)" }
    static func unsubscribe(token: String) -> String { "/unsubscribe/\(token)" }
    static func calendarFeed(token: String) -> String { "/cal/\(token).ics" }

    /// Only same-site paths: "/o/demo", never "//evil.example", "/\\evil", "https://…" — checked
    /// as a browser reads it, after percent-decoding: browsers drop tabs and newlines from a URL
    /// ("/\t/evil.example" is "//evil.example") and read "\\" as "/", so a target with any control
    /// or white-space character, or whose second character is "/" or "\\", is refused.
    static func isSafeRedirect(_ target: String) -> Bool {
        guard target.utf8.count <= 500 else { return false }
        for form in [target, target.removingPercentEncoding ?? ""] {
            let scalars = Array(form.unicodeScalars)
            guard scalars.first == "/" else { return false }
            if scalars.count > 1, scalars[1] == "/" || scalars[1] == "\\" { return false }
            if scalars.contains(where: {
                $0.properties.generalCategory == .control || $0.properties.isWhitespace
                    || $0.properties.generalCategory == .format || $0 == "\\"
            }) {
                return false
            }
        }
        return true
    }

    /// Links inside one organization.
    struct Org {
        let slug: String
        var home: String { "/o/\(slug)" }
        var me: String { "/o/\(slug)/me" }
        var members: String { "/o/\(slug)/members" }
        func memberRole(_ id: Int64) -> String { "/o/\(slug)/members/\(id)/role" }
        func memberRemove(_ id: Int64) -> String { "/o/\(slug)/members/\(id)/remove" }
        var invitations: String { "/o/\(slug)/invitations" }
        func invitationRevoke(_ id: Int64) -> String { "/o/\(slug)/invitations/\(id)/revoke" }
        func invitationLink(_ id: Int64) -> String { "/o/\(slug)/invitations/\(id)/link" }
        var settings: String { "/o/\(slug)/settings" }
        var athletes: String { "/o/\(slug)/athletes" }
        func athlete(_ id: Int64) -> String { "/o/\(slug)/athletes/\(id)" }
        var groups: String { "/o/\(slug)/groups" }
        func group(_ id: Int64) -> String { "/o/\(slug)/groups/\(id)" }
        func coachAssignmentRemove(_ id: Int64) -> String { "/o/\(slug)/coach-assignments/\(id)/remove" }
        func groupRename(_ id: Int64) -> String { "/o/\(slug)/groups/\(id)/rename" }
        func groupDelete(_ id: Int64) -> String { "/o/\(slug)/groups/\(id)/delete" }
        func groupMembers(_ id: Int64) -> String { "/o/\(slug)/groups/\(id)/members" }
        func groupMemberRemove(_ id: Int64, athlete: Int64) -> String {
            "/o/\(slug)/groups/\(id)/members/\(athlete)/remove"
        }
        var library: String { "/o/\(slug)/library" }
        var libraryStarter: String { "/o/\(slug)/library/starter" }
        var workoutNew: String { "/o/\(slug)/library/new" }
        func workout(_ id: Int64) -> String { "/o/\(slug)/library/\(id)" }
        func workoutEdit(_ id: Int64) -> String { "/o/\(slug)/library/\(id)/edit" }
        func workoutDuplicate(_ id: Int64) -> String { "/o/\(slug)/library/\(id)/duplicate" }
        func workoutDelete(_ id: Int64) -> String { "/o/\(slug)/library/\(id)/delete" }
        var plans: String { "/o/\(slug)/plans" }
        var planGenerate: String { "/o/\(slug)/plans/generate" }
        func planEdit(_ id: Int64) -> String { "/o/\(slug)/plans/\(id)/edit" }
        func planOp(_ id: Int64, _ op: String) -> String { "/o/\(slug)/plans/\(id)/\(op)" }
        func planDay(_ id: Int64, week: Int, day: Int) -> String { "/o/\(slug)/plans/\(id)/days/\(week)/\(day)" }
        func planAssign(_ id: Int64) -> String { "/o/\(slug)/plans/\(id)/assign" }
        func instance(_ id: Int64) -> String { "/o/\(slug)/instances/\(id)" }
        func instanceOp(_ id: Int64, _ op: String) -> String { "/o/\(slug)/instances/\(id)/\(op)" }
        func instanceDay(_ id: Int64, date: CalendarDate) -> String { "/o/\(slug)/instances/\(id)/days/\(date)" }
        func groupAssignment(_ group: Int64, _ assignment: Int64, _ action: String) -> String {
            "/o/\(slug)/groups/\(group)/assignments/\(assignment)/\(action)"
        }
        var calendar: String { "/o/\(slug)/calendar" }
        func calendarMonth(_ month: String) -> String { "/o/\(slug)/calendar?month=\(month)" }
        func scheduled(_ id: Int64) -> String { "/o/\(slug)/workouts/\(id)" }
        func scheduledDone(_ id: Int64) -> String { "/o/\(slug)/workouts/\(id)/done" }
        func scheduledFile(_ id: Int64, _ format: String) -> String { "/o/\(slug)/workouts/\(id)/workout.\(format)" }
        func libraryFile(_ id: Int64, _ format: String) -> String { "/o/\(slug)/library/\(id)/workout.\(format)" }
        var sendToWatch: String { "/o/\(slug)/send-to-watch" }
        var exportMine: String { "/o/\(slug)/export/mine" }
        var exportOrganization: String { "/o/\(slug)/export/organization" }
        var settingsDelete: String { "/o/\(slug)/settings/delete" }
        var meCalendarToken: String { "/o/\(slug)/me/calendar" }
        var vdotTool: String { "/o/\(slug)/tools/vdot" }
        var vdotApply: String { "/o/\(slug)/tools/vdot/apply" }
    }

    static func org(_ slug: String) -> Org { Org(slug: slug) }
}

extension SiteURL.Org {
    /// Where an athlete's log lives: their own (`/o/{org}`) or, for a coach, under the athlete.
    func log(athlete: Int64?) -> SiteURL.Log { SiteURL.Log(base: athlete.map { self.athlete($0) } ?? home, org: self) }
    func activity(_ id: Int64) -> String { "/o/\(slug)/activities/\(id)" }
    func comment(_ id: Int64, _ op: String) -> String { "/o/\(slug)/comments/\(id)/\(op)" }
    var notifications: String { "/o/\(slug)/notifications" }
    func notification(_ id: Int64) -> String { "/o/\(slug)/notifications/\(id)" }
    func activityOp(_ id: Int64, _ op: String) -> String { "/o/\(slug)/activities/\(id)/\(op)" }
}

extension SiteURL {
    /// The log pages of one athlete: the same pages for the athlete and for their coach.
    struct Log {
        let base: String
        let org: Org
        var activities: String { base + "/activities" }
        var upload: String { base + "/activities/upload" }
        var newActivity: String { base + "/activities/new" }
        func newActivity(scheduled: Int64) -> String { base + "/activities/new?scheduled=\(scheduled)" }
        var importCSV: String { base + "/import" }
        var importConfirm: String { base + "/import/confirm" }
        var checkIn: String { base + "/checkin" }
        func checkIn(date: CalendarDate) -> String { base + "/checkin?date=\(date)" }
        var weather: String { base + "/weather" }
        /// Days the athlete cannot train.
        var away: String { base + "/away" }
        /// FTP, threshold heart rates and CSS, with their history.
        var thresholds: String { base + "/thresholds" }
        /// The engine's predictions beside what happened.
        var validation: String { base + "/form/validation" }
        /// The engine's page: readiness, fitness and form, proposals.
        var form: String { base + "/form" }
    }
}
extension SiteURL.Org {
    var form: String { "/o/\(slug)/form" }
    func athleteForm(_ id: Int64) -> String { "/o/\(slug)/athletes/\(id)/form" }
    func athleteEngine(_ id: Int64) -> String { "/o/\(slug)/athletes/\(id)/engine" }
    /// Every athlete's engine predictions beside what happened.
    var engineValidation: String { "/o/\(slug)/engine/validation" }
    func adaptation(_ id: Int64, _ action: String) -> String { "/o/\(slug)/adaptations/\(id)/\(action)" }
}
