import Foundation
import PacelineCore
import PacelineStore

/// One athlete for their coach: profile form, plans with their controls, compliance, log links.
struct AthleteShowPage: Sendable {
    struct PlanRow: Sendable {
        let name: String
        let href: String
        let status: String
        let statusClass: String
        let dates: String
        let canPause: Bool
        let canResume: Bool
        let canCancel: Bool
        let pauseAction: String
        let resumeAction: String
        let cancelAction: String
    }
    let name: String
    let email: String
    let groups: [Chrome.Link]
    let hasGroups: Bool
    let notesHTML: SafeHTML
    let hasNotes: Bool
    let vdot: String?
    let vdotSource: String?
    let action: String
    var phone: Field
    var notes: Field
    var units: [SelectOption]
    var timeZone: Field
    var maxHR: Field
    var restingHR: Field
    var summary: String?
    var plans: [PlanRow] = []
    var hasPlans = false
    var compliance: [ComplianceView] = []
    var coaches: CoachesView?
    var activitiesHref = ""
    var checkInHref = ""
    var importHref = ""
    var formHref = ""

    /// The profile with `form`'s values and errors after a failed save (then without plans and log).
    init(_ subject: AthleteSubject, urls: SiteURL.Org, form: FormData? = nil, errors: FieldErrors = FieldErrors()) {
        let athlete = subject.athlete
        func field(_ key: String, _ current: String) -> Field {
            Field(form.map { String($0[key].prefix(FieldRules.maxNoteLength + 10)) } ?? current, error: errors[key])
        }
        name = athlete.name
        email = athlete.email
        groups = athlete.groups.map { Chrome.Link(label: $0.name, href: urls.group($0.id), current: false) }
        hasGroups = !athlete.groups.isEmpty
        notesHTML = Markdown.html(athlete.notes)
        hasNotes = !athlete.notes.isEmpty
        vdot = athlete.vdot.map { String(format: "%.1f", $0) }
        vdotSource = athlete.vdotSource
        action = urls.athlete(athlete.id)
        phone = field("phone", athlete.phone)
        notes = field("notes", athlete.notes)
        units = SelectOption.units(selected: form.map { UnitSystem(rawValue: $0["units"]) } ?? athlete.units)
        timeZone = field("time_zone", athlete.timeZone ?? "")
        maxHR = field("max_hr", athlete.maxHR.map(String.init) ?? "")
        restingHR = field("resting_hr", athlete.restingHR.map(String.init) ?? "")
        summary = errors.summary
    }

    static func load(_ database: AppDatabase, _ context: AthleteContext) async throws -> AthleteShowPage {
        let subject = context.subject
        let urls = SiteURL.org(context.slug)
        var page = AthleteShowPage(subject, urls: urls)
        page.plans = try await database.instances(context.scope, athleteId: subject.athlete.id).map {
            let status = $0.state.status
            return PlanRow(
                name: $0.name, href: urls.instance($0.id), status: status.label, statusClass: status.rawValue,
                dates: PlanStatus($0).dates, canPause: status == .active, canResume: status == .paused,
                canCancel: !status.isFinal, pauseAction: urls.instanceOp($0.id, "pause"),
                resumeAction: urls.instanceOp($0.id, "resume"), cancelAction: urls.instanceOp($0.id, "cancel"))
        }
        page.hasPlans = !page.plans.isEmpty
        let groups = subject.athlete.groups
        page.coaches = try await CoachesView.load(
            database, context.tenant, athleteId: subject.athlete.id, groupIds: Set(groups.map(\.id)),
            groupNames: Dictionary(groups.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a }))
        page.compliance = try await ComplianceView.load(database, context.scope, subject)
        page.activitiesHref = subject.log.activities
        page.checkInHref = subject.log.checkIn
        page.importHref = subject.log.importCSV
        page.formHref = urls.athleteForm(subject.athlete.id)
        return page
    }
}
