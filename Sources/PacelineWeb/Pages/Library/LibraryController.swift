import Foundation
import Hummingbird
import PacelineCore
import PacelineStore

/// The workout library: coaches browse and read; admins (and coaches, when the admin allows it) create,
/// edit, duplicate and delete.
struct LibraryController {
    let deps: AppDependencies

    func addRoutes(to routes: GuardedRoutes<TenantContext>) {
        routes.get("library", use: index)
        routes.get("library/:id", use: show)
    }

    func addEditorRoutes(to routes: GuardedRoutes<TenantContext>) {
        routes.get("library/new", use: newForm)
        routes.post("library", use: create)
        routes.post("library/starter", use: addStarter)
        routes.get("library/:id/edit", use: editForm)
        routes.post("library/:id", use: update)
        routes.post("library/:id/duplicate", use: duplicate)
        routes.post("library/:id/delete", use: delete)
    }

    // MARK: Browse

    struct IndexPage {
        struct Row {
            let name: String
            let href: String
            let sport: String
            let subtype: String
            let summary: String
        }
        let rows: [Row]
        let hasRows: Bool
        let sports: [SelectOption]
        let subtypes: [SelectOption]
        let query: String
        let action: String
        let isAdmin: Bool
        let newHref: String
        let starterAction: String
        let isFiltered: Bool
    }

    @Sendable func index(_ request: Request, context: TenantContext) async throws -> Response {
        let sport = Sport(rawValue: request.query("sport"))
        let subtype = WorkoutSubtype(rawValue: request.query("subtype"))
        let text = String(request.query("q").prefix(100))
        let urls = SiteURL.org(context.slug)
        let units = context.scope.organization.units
        let workouts = try await deps.database.workouts(
            context.scope, filter: WorkoutFilter(sport: sport, subtype: subtype, text: text))
        let page = IndexPage(
            rows: workouts.map {
                .init(
                    name: $0.workout.name, href: urls.workout($0.id), sport: $0.workout.sport.label,
                    subtype: $0.workout.subtype.label, summary: WorkoutView.summary($0.workout, units: units))
            },
            hasRows: !workouts.isEmpty,
            sports: [SelectOption(value: "", label: "All sports", selected: sport == nil)]
                + Sport.allCases.map { .init(value: $0.rawValue, label: $0.label, selected: $0 == sport) },
            subtypes: [SelectOption(value: "", label: "All kinds", selected: subtype == nil)]
                + WorkoutSubtype.allCases.map {
                    .init(value: $0.rawValue, label: "\($0.sport.label): \($0.label)", selected: $0 == subtype)
                },
            query: text, action: urls.library, isAdmin: LibraryEditorGuard.allows(context), newHref: urls.workoutNew,
            starterAction: urls.libraryStarter, isFiltered: sport != nil || subtype != nil || !text.isEmpty)
        return try await deps.pages.render(
            .libraryIndex, page, title: "Workout library", request: request, context: context)
    }

    struct ShowPage {
        let name: String
        let sport: String
        let subtype: String
        let summary: String
        let steps: [String]
        let totals: String
        let notesHTML: SafeHTML
        let hasNotes: Bool
        let isAdmin: Bool
        let editHref: String
        let duplicateAction: String
        let deleteAction: String
        let json: String
        let previewAction: String
        let previewVDOT: String
        let previewError: String?
        let isPreview: Bool
        /// The workout as a FIT or Zwift file, at the previewed VDOT (else the reference one).
        let fitHref: String
        let zwoHref: String?
    }

    @Sendable func show(_ request: Request, context: TenantContext) async throws -> Response {
        let id = try request.id(context)
        let item = try await deps.database.workout(context.scope, id: id)
        let urls = SiteURL.org(context.slug)
        let units = context.scope.organization.units
        let workout = item.workout
        // `?vdot=` previews the steps with the paces of an athlete of that VDOT.
        let vdotText = String(request.query("vdot").prefix(10))
        var previewError: String?
        var zones: PaceZones?
        if !vdotText.isEmpty {
            if let value = NumberInput.decimal(vdotText), let vdot = try? VDOT(value) {
                zones = PaceZones(vdot: vdot)
            } else {
                previewError = "Enter a VDOT between 15 and 90."
            }
        }
        let encodedVDOT = vdotText.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        let vdotQuery = zones == nil ? "" : "?vdot=\(encodedVDOT)"
        let totals = WorkoutTotals(workout.blocks, zones: zones)
        var totalsText = [String]()
        if totals.distanceMeters > 0 { totalsText.append(WorkoutWords.distance(totals.distanceMeters, units: units)) }
        if totals.durationSeconds > 0 { totalsText.append(WorkoutWords.duration(totals.durationSeconds)) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let json = (try? encoder.encode(workout)).map { String(decoding: $0, as: UTF8.self) } ?? ""
        let page = ShowPage(
            name: workout.name, sport: workout.sport.label, subtype: workout.subtype.label,
            summary: WorkoutView.summary(workout, units: units),
            steps: WorkoutWords(units: units, zones: zones).steps(workout.blocks),
            totals: totals.isComplete
                ? totalsText.joined(separator: " · ")
                : (totalsText.joined(separator: " + ") + " (the rest depends on the athlete's paces)"),
            notesHTML: Markdown.html(workout.notes), hasNotes: !workout.notes.isEmpty,
            isAdmin: LibraryEditorGuard.allows(context),
            editHref: urls.workoutEdit(id), duplicateAction: urls.workoutDuplicate(id),
            deleteAction: urls.workoutDelete(id), json: json,
            previewAction: urls.workout(id), previewVDOT: vdotText, previewError: previewError, isPreview: zones != nil,
            fitHref: urls.libraryFile(id, "fit") + vdotQuery,
            zwoHref: WorkoutZWO.supports(workout.sport) ? urls.libraryFile(id, "zwo") + vdotQuery : nil)
        return try await deps.pages.render(
            .libraryShow, page, title: workout.name, request: request, context: context,
            status: previewError == nil ? .ok : .unprocessableContent)
    }

    // MARK: Edit

    @Sendable func newForm(_ request: Request, context: TenantContext) async throws -> Response {
        var form = WorkoutForm()
        form.blocks = [.fresh(.warmUp), .fresh(.run), .fresh(.coolDown)]
        let urls = SiteURL.org(context.slug)
        let page = WorkoutEditor.page(
            form, errors: [:], title: "New workout", action: urls.library, cancel: urls.library)
        return try await deps.pages.render(.libraryEdit, page, title: "New workout", request: request, context: context)
    }

    @Sendable func editForm(_ request: Request, context: TenantContext) async throws -> Response {
        let id = try request.id(context)
        let item = try await deps.database.workout(context.scope, id: id)
        let urls = SiteURL.org(context.slug)
        let page = WorkoutEditor.page(
            WorkoutForm(item.workout, version: item.version), errors: [:], title: "Edit \(item.workout.name)",
            action: urls.workout(id), cancel: urls.workout(id))
        return try await deps.pages.render(
            .libraryEdit, page, title: "Edit workout", request: request, context: context)
    }

    @Sendable func create(_ request: Request, context: TenantContext) async throws -> Response {
        let urls = SiteURL.org(context.slug)
        return try await WorkoutEditor.submit(
            request, context: context, pages: deps.pages,
            target: EditorTarget(
                title: "New workout", action: urls.library, cancel: urls.library,
                save: { workout, _ in
                    let id = try await deps.database.createWorkout(context.scope, workout, now: deps.clock.now())
                    return .redirect(
                        to: urls.workout(id),
                        flash: .success(
                            "“\(workout.name)” added to the "
                                + "library."))
                },
                latest: { $0 }))
    }

    @Sendable func update(_ request: Request, context: TenantContext) async throws -> Response {
        let id = try request.id(context)
        let current = try await deps.database.workout(context.scope, id: id)
        let urls = SiteURL.org(context.slug)
        return try await WorkoutEditor.submit(
            request, context: context, pages: deps.pages,
            target: EditorTarget(
                title: "Edit \(current.workout.name)", action: urls.workout(id), cancel: urls.workout(id),
                save: { workout, version in
                    guard let version else {
                        throw StoreError.invalid(
                            "The form did not say which version it edits; here is the latest version.")
                    }
                    try await deps.database.updateWorkout(
                        context.scope, id: id, workout, expectedVersion: version, now: deps.clock.now())
                    return .redirect(
                        to: urls.workout(id),
                        flash: .success("Workout saved. Plans that already use it keep their own copy."))
                },
                latest: { _ in
                    let latest = try await deps.database.workout(context.scope, id: id)
                    return WorkoutForm(latest.workout, version: latest.version)
                }))
    }

    @Sendable func duplicate(_ request: Request, context: TenantContext) async throws -> Response {
        let newId = try await deps.database.duplicateWorkout(
            context.scope, id: try request.id(context), now: deps.clock.now())
        return .redirect(
            to: SiteURL.org(context.slug).workoutEdit(newId), flash: .success("Copy made; rename and adjust it."))
    }

    @Sendable func delete(_ request: Request, context: TenantContext) async throws -> Response {
        var request = request
        let id = try request.id(context)
        let item = try await deps.database.workout(context.scope, id: id)
        if let ask = try await ConfirmPage.ask(
            deps, request, context, form: try await request.form(context: context),
            question: "Delete “\(item.workout.name)” from the library?",
            consequence: "Plans and athletes that already use it keep their own copy.",
            button: "Yes, delete it", back: SiteURL.org(context.slug).workout(id))
        {
            return ask
        }
        try await deps.database.deleteWorkout(context.scope, id: id, now: deps.clock.now())
        return .redirect(
            to: SiteURL.org(context.slug).library,
            flash: .success("“\(item.workout.name)” deleted from the library. Plans that used it keep their copy."))
    }

    @Sendable func addStarter(_ request: Request, context: TenantContext) async throws -> Response {
        let added = try await deps.database.addStarterWorkouts(context.scope, now: deps.clock.now())
        return .redirect(
            to: SiteURL.org(context.slug).library,
            flash: .success(
                added == 0 ? "The library already has every starter workout." : "\(added) starter workouts added."))
    }
}
