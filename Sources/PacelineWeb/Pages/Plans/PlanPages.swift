import Foundation
import PacelineCore
import PacelineStore

/// The plan pages' view models: the list and the week-by-week editor.
extension PlansController {
    struct IndexPage {
        struct Row {
            let name: String
            let href: String
            let weeks: Int
            let level: String
            let source: String
        }
        let rows: [Row]
        let hasRows: Bool
        let action: String
        let generateHref: String
        var name = Field()
        var weeks = Field("12")
    }

    struct EditorPage {
        struct Cell {
            let week: Int
            let day: Int
            let dayName: String
            let hasWorkout: Bool
            let name: String
            let kind: String
            let detail: String
            let editHref: String
        }
        struct WeekRow {
            let index: Int
            let number: Int
            let phase: String?
            let isRecovery: Bool
            let cells: [Cell]
            let distance: String
            let time: String
            let quality: Int
            let canMoveUp: Bool
            let canMoveDown: Bool
        }
        struct LibraryItem {
            let id: Int64
            let name: String
            let kind: String
            let summary: String
        }
        let planId: Int64
        let name: Field
        let description: Field
        let levels: [SelectOption]
        let version: Int
        let weekRows: [WeekRow]
        let dayHeaders: [String]
        let library: [LibraryItem]
        let hasLibrary: Bool
        let libraryQuery: String
        let editHref: String
        let weekOptions: [SelectOption]
        let dayOptions: [SelectOption]
        let occupied: [SelectOption]
        let hasOccupied: Bool
        let placeAction: String
        let moveAction: String
        let restAction: String
        let weeksAction: String
        let detailsAction: String
        let deleteAction: String
        let totalsBasis: String
        let descriptionHTML: SafeHTML
        let hasDescription: Bool
        let error: String?
        let conflict: String?
        let assignHref: String
    }

    func editorPage(
        _ stored: StoredPlan, context: TenantContext, query: String, error: String? = nil, conflict: String? = nil
    ) async throws -> EditorPage {
        let urls = SiteURL.org(context.slug)
        let template = stored.template
        let units = context.scope.organization.units
        let basisVDOT = template.referenceVDOT ?? PaceZones.referenceVDOT
        let zones = (try? VDOT(basisVDOT)).map { PaceZones(vdot: $0) }
        let library = try await deps.database.workouts(context.scope, filter: WorkoutFilter(text: query))
        let rows = template.weeks.enumerated().map { index, week in
            let totals = week.totals(zones: zones)
            return EditorPage.WeekRow(
                index: index, number: index + 1, phase: week.phase?.rawValue.capitalized, isRecovery: week.isRecovery,
                cells: Weekday.allCases.map { day in
                    let workout = week[day]
                    return EditorPage.Cell(
                        week: index, day: day.rawValue, dayName: day.label, hasWorkout: workout != nil,
                        name: workout?.name ?? "Rest",
                        kind: workout?.kind.rawValue ?? "rest",
                        detail: workout.map { WorkoutView.summary($0, units: units, zones: zones) } ?? "",
                        editHref: urls.planDay(stored.id, week: index, day: day.rawValue))
                },
                distance: totals.distanceMeters > 0
                    ? WorkoutWords.distance(totals.distanceMeters, units: units) : "–",
                time: totals.durationSeconds > 0 ? WorkoutWords.duration(totals.durationSeconds) : "–",
                quality: week.qualityCount, canMoveUp: index > 0, canMoveDown: index < template.weeks.count - 1)
        }
        var occupied: [SelectOption] = []
        for (w, week) in template.weeks.enumerated() {
            for day in Weekday.allCases {
                if let workout = week[day] {
                    occupied.append(
                        .init(
                            value: "\(w):\(day.rawValue)", label: "Week \(w + 1) \(day.short): \(workout.name)",
                            selected: false))
                }
            }
        }
        return EditorPage(
            planId: stored.id, name: Field(template.name), description: Field(template.description),
            levels: TrainingLevel.allCases.map {
                .init(value: $0.rawValue, label: $0.rawValue.capitalized, selected: $0 == template.level)
            },
            version: stored.version, weekRows: rows, dayHeaders: Weekday.allCases.map(\.short),
            library: library.map {
                .init(
                    id: $0.id, name: $0.workout.name, kind: $0.workout.subtype.label,
                    summary: WorkoutView.summary($0.workout, units: units))
            },
            hasLibrary: !library.isEmpty, libraryQuery: query, editHref: urls.planEdit(stored.id),
            weekOptions: template.weeks.indices.map {
                .init(value: String($0), label: "Week \($0 + 1)", selected: false)
            },
            dayOptions: Weekday.allCases.map { .init(value: String($0.rawValue), label: $0.label, selected: false) },
            occupied: occupied, hasOccupied: !occupied.isEmpty,
            placeAction: urls.planOp(stored.id, "place"), moveAction: urls.planOp(stored.id, "move"),
            restAction: urls.planOp(stored.id, "rest"),
            weeksAction: urls.planOp(stored.id, "weeks"), detailsAction: urls.planOp(stored.id, "details"),
            deleteAction: urls.planOp(stored.id, "delete"),
            totalsBasis: template.referenceVDOT == nil
                ? String(format: "Week totals estimated at the paces of VDOT %.0f (the plan names no VDOT).", basisVDOT)
                : String(format: "Week totals at the paces of VDOT %.1f.", basisVDOT),
            descriptionHTML: Markdown.html(template.description), hasDescription: !template.description.isEmpty,
            error: error, conflict: conflict, assignHref: urls.planAssign(stored.id))
    }
}
