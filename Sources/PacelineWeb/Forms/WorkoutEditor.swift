import Foundation
import Hummingbird
import PacelineCore

/// The structured-workout editor page, shared by the library and the plan editor's day editing.
enum WorkoutEditor {
    struct EditorPage {
        struct BlockView {
            let path: String
            let label: String
            let isInterval: Bool
            let isChild: Bool
            let types: [SelectOption]
            let distance: String
            let duration: String
            let paces: [SelectOption]
            let lengths: [SelectOption]
            let intensities: [SelectOption]
            let repeatCount: String
            let errors: [String]
            let hasErrors: Bool
            let children: [BlockView]
            let canMoveUp: Bool
            let canMoveDown: Bool
        }
        let title: String
        let action: String
        let cancelHref: String
        let name: Field
        let sports: [SelectOption]
        let subtypes: [SelectOption]
        let sportError: String?
        let subtypeError: String?
        let targetDistance: Field
        let targetDuration: Field
        let notes: Field
        let version: String
        let blocks: [BlockView]
        let hasBlocks: Bool
        let blocksError: String?
        let summary: String?
        let conflict: String?
    }

    static func page(
        _ form: WorkoutForm, errors: [String: String], title: String, action: String, cancel: String,
        conflict: String? = nil
    ) -> EditorPage {
        func options<T: RawRepresentable & CaseIterable>(
            _ type: T.Type, _ selected: String, label: (T) -> String
        ) -> [SelectOption] where T.RawValue == String {
            T.allCases.map { .init(value: $0.rawValue, label: label($0), selected: $0.rawValue == selected) }
        }
        func view(_ block: WorkoutForm.Block, path: [Int], count: Int) -> EditorPage.BlockView {
            let key = "b." + path.map(String.init).joined(separator: ".")
            let fieldErrors = ["type", "distance", "duration", "pace", "length", "intensity", "repeat", "children"]
                .compactMap { errors["\(key).\($0)"] }
            let isInterval = block.type == BlockType.interval.rawValue
            return EditorPage.BlockView(
                path: path.map(String.init).joined(separator: "."),
                label: path.count == 1 ? "Block \(path[0] + 1)" : "Step \(path[0] + 1).\(path[1] + 1)",
                isInterval: isInterval, isChild: path.count == 2,
                types: options(BlockType.self, block.type) { $0.label },
                distance: block.distance, duration: block.duration,
                paces: options(PaceZone.self, block.pace) { "\($0.rawValue) \($0.name)" },
                lengths: options(LengthTarget.self, block.length) { $0 == .distance ? "Distance" : "Duration" },
                intensities: options(IntensityTarget.self, block.intensity) {
                    $0 == .heartrate ? "Heart rate" : $0.rawValue.capitalized
                },
                repeatCount: block.repeatCount, errors: fieldErrors, hasErrors: !fieldErrors.isEmpty,
                children: path.count == 1
                    ? block.children.enumerated().map {
                        view($0.element, path: path + [$0.offset], count: block.children.count)
                    } : [],
                canMoveUp: (path.last ?? 0) > 0, canMoveDown: (path.last ?? 0) < count - 1)
        }
        let blockErrorCount = errors.keys.filter { $0.hasPrefix("b.") }.count
        let total = errors.count
        return EditorPage(
            title: title, action: action, cancelHref: cancel,
            name: Field(form.name, error: errors["name"]),
            sports: options(Sport.self, form.sport) { $0.label },
            subtypes: WorkoutSubtype.allCases.map {
                .init(
                    value: $0.rawValue, label: "\($0.sport.label): \($0.label)", selected: $0.rawValue == form.subtype)
            },
            sportError: errors["sport"], subtypeError: errors["subtype"],
            targetDistance: Field(form.targetDistance, error: errors["target_distance"]),
            targetDuration: Field(form.targetDuration, error: errors["target_duration"]),
            notes: Field(String(form.notes.prefix(WorkoutRules.maxNotesLength + 100)), error: errors["notes"]),
            version: form.version,
            blocks: form.blocks.enumerated().map { view($0.element, path: [$0.offset], count: form.blocks.count) },
            hasBlocks: !form.blocks.isEmpty, blocksError: errors["blocks"],
            summary: total == 0
                ? nil
                : "Please correct \(total == 1 ? "the problem" : "the \(total) problems") marked below"
                    + (blockErrorCount > 0 ? " (some are in the blocks)." : "."),
            conflict: conflict)
    }

    /// Reads the editor form and applies its button; returns the form and what to do.
    static func read(
        _ request: inout Request, context: TenantContext
    ) async throws -> (WorkoutForm, WorkoutForm.Operation, [String: String]) {
        let posted = try await request.form(context: context)
        do {
            var form = try WorkoutForm(form: posted)
            guard let operation = WorkoutForm.Operation(posted["op"].isEmpty ? "save" : posted["op"]) else {
                return (form, .save, ["blocks": "That editor button is not known."])
            }
            form.apply(operation)
            return (form, operation, [:])
        } catch {
            var form = WorkoutForm()
            form.name = String(posted["name"].prefix(200))
            return (form, .save, ["blocks": error.message])
        }
    }

}

/// Where an edited workout goes: the page's heading and links, and what saving does.
struct EditorTarget {
    let title: String
    let action: String
    let cancel: String
    /// What the page says when someone else saved first.
    var conflict = ConflictWords.workout
    /// Saves a valid workout edited at `version` (nil when the form carried none) and returns the
    /// redirect; throws `StoreError.versionConflict` when someone saved in between.
    let save: (Workout, Int?) async throws -> Response
    /// The form to show after a conflict: the latest saved state (or the user's, re-versioned).
    let latest: (WorkoutForm) async throws -> WorkoutForm
}

extension WorkoutEditor {
    /// The editor's submit, the same wherever a workout is edited (library, plan day, athlete's day):
    /// editing buttons re-render (200), invalid input re-renders with messages (422), a stale
    /// version re-renders the latest state with the reason (409), success redirects.
    static func submit(
        _ request: Request, context: TenantContext, pages: TenantPages, target: EditorTarget
    ) async throws -> Response {
        var request = request
        let (form, operation, readErrors) = try await read(&request, context: context)
        func editor(
            _ form: WorkoutForm, _ errors: [String: String], _ status: HTTPResponse.Status, conflict: String? = nil
        ) async throws -> Response {
            let model = page(
                form, errors: errors, title: target.title, action: target.action, cancel: target.cancel,
                conflict: conflict)
            return try await pages.render(
                .libraryEdit, model, title: target.title, request: request, context: context, status: status)
        }
        if !readErrors.isEmpty { return try await editor(form, readErrors, .unprocessableContent) }
        guard operation == .save else { return try await editor(form, [:], .ok) }
        let (workout, errors) = form.workout()
        guard let workout else { return try await editor(form, errors, .unprocessableContent) }
        do {
            return try await target.save(workout, Int(form.version))
        } catch StoreError.versionConflict {
            return try await editor(try await target.latest(form), [:], .conflict, conflict: target.conflict)
        } catch StoreError.invalid(let message) {
            return try await editor(try await target.latest(form), [:], .conflict, conflict: message)
        }
    }
}

import PacelineStore
