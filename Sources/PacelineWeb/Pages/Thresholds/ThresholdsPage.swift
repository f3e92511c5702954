import Foundation
import PacelineCore
import PacelineStore

/// An athlete's thresholds for every sport: what is valid today with the zones it gives (watts,
/// Friel's heart rates, swim paces), the history, and a form to add a value from a day on.
struct ThresholdsPage: Sendable {
    struct Current: Sendable {
        let label: String
        let value: String
        let zones: [String]
    }
    struct Row: Sendable {
        let label: String
        let value: String
        let validFrom: String
        let source: String
        let removeAction: String
    }
    let name: String
    let isOwn: Bool
    let action: String
    let kinds: [SelectOption]
    let sources: [SelectOption]
    let value: Field
    let test400: Field
    let test200: Field
    let validFrom: Field
    let summary: String?
    let current: [Current]
    let history: [Row]
    let formHref: String

    static func load(
        _ database: AppDatabase, _ context: AthleteContext, typed: ThresholdForm?, errors: FieldErrors
    ) async throws -> ThresholdsPage {
        let subject = context.subject
        let stored = try await database.thresholds(context.scope, athleteId: context.athleteId)
        let now = SportThresholds(history: stored.map(\.entry), on: subject.today)
        let base = subject.log.thresholds
        var current: [Current] = []
        func zones(_ range: (PaceZone) -> String) -> [String] {
            PaceZone.allCases.map { "\($0.rawValue) \(range($0))" }
        }
        if let ftp = now.ftp, let power = now.power {
            current.append(
                Current(label: ThresholdKind.ftp.label, value: ThresholdKind.ftp.text(ftp), zones: zones {
                    "\(power.range($0).lowerBound)–\(power.range($0).upperBound) W"
                }))
        }
        for (kind, sport) in [(ThresholdKind.lthrRun, Sport.run), (.lthrBike, .bike)] {
            if let hr = now.heartRate(for: sport) {
                current.append(
                    Current(label: kind.label, value: kind.text(hr.lthr), zones: zones {
                        "\(hr.range($0).lowerBound)–\(hr.range($0).upperBound) bpm"
                    }))
            }
        }
        if let swim = now.swim {
            current.append(
                Current(
                    label: ThresholdKind.css.label, value: ThresholdKind.css.text(swim.cssPer100m),
                    zones: zones {
                    "\(TimeFormat.clock(swim.range($0).fast))–\(TimeFormat.clock(swim.range($0).slow))/100 m"
                }))
        }
        let kind = typed?.kind ?? ThresholdKind.ftp.rawValue
        return ThresholdsPage(
            name: subject.athlete.name, isOwn: subject.isOwn, action: base,
            kinds: ThresholdKind.allCases.map {
                SelectOption(value: $0.rawValue, label: $0.label, selected: $0.rawValue == kind)
            },
            sources: [
                SelectOption(value: "entered", label: "Entered", selected: typed?.source != "test"),
                SelectOption(value: "test", label: "From a test", selected: typed?.source == "test"),
            ],
            value: Field(typed?.value ?? "", error: errors["value"]),
            test400: Field(typed?.test400 ?? "", error: errors["test_400"]),
            test200: Field(typed?.test200 ?? "", error: errors["test_200"]),
            validFrom: Field(typed?.validFrom ?? subject.today.description, error: errors["valid_from"]),
            summary: errors.summary, current: current,
            history: stored.map {
                Row(
                    label: $0.entry.kind.label, value: $0.entry.kind.text($0.entry.value),
                    validFrom: $0.entry.validFrom.description, source: $0.entry.source.rawValue,
                    removeAction: base + "/\($0.id)/delete")
            }, formHref: subject.log.form)
    }
}

/// The form: a kind, its value (watts, bpm, or CSS as M:SS per 100 m — or a 400 m and a 200 m time
/// trial for CSS), the first day it holds, where it came from.
struct ThresholdForm: Sendable {
    let kind: String
    let value: String
    let test400: String
    let test200: String
    let validFrom: String
    let source: String

    init(_ form: FormData) {
        func trimmed(_ name: String) -> String { form[name].trimmingCharacters(in: .whitespaces) }
        kind = form["kind"]
        value = trimmed("value")
        test400 = trimmed("test_400")
        test200 = trimmed("test_200")
        validFrom = trimmed("valid_from")
        source = form["source"]
    }

    func validate(today: CalendarDate) -> (ThresholdEntry?, FieldErrors) {
        var errors = FieldErrors()
        guard let kind = ThresholdKind(rawValue: kind) else {
            errors.add("kind", "Choose what the value is from the list.")
            return (nil, errors)
        }
        let day = CalendarDate(validFrom)
        if day == nil { errors.add("valid_from", "Give the first day it holds as YYYY-MM-DD.") }
        if let day, day > today.adding(days: 1) { errors.add("valid_from", "A threshold holds from today or earlier.") }
        var number: Double?
        var source = ThresholdSource(rawValue: source) ?? .entered
        if kind == .css, value.isEmpty, !test400.isEmpty || !test200.isEmpty {
            let a = TimeFormat.parseClock(test400), b = TimeFormat.parseClock(test200)
            if a == nil { errors.add("test_400", "Write the 400 m time as M:SS.") }
            if b == nil { errors.add("test_200", "Write the 200 m time as M:SS.") }
            if let a, let b {
                number = SwimZones.fromTest(seconds400: a, seconds200: b)
                if number == nil { errors.add("test_200", "The 200 m must be faster per 100 m than the 400 m.") }
                source = .test
            }
        } else if kind == .css {
            number = TimeFormat.parseClock(value)
            if number == nil { errors.add("value", "Write CSS as minutes and seconds per 100 m, e.g. 1:45.") }
        } else {
            number = NumberInput.decimal(value)
            if number == nil {
                errors.add("value", "Write \(kind == .ftp ? "watts" : "beats per minute") as a number.")
            }
        }
        if let number, !kind.plausible.contains(number) {
            errors.add(
                kind == .css && value.isEmpty ? "test_200" : "value",
                "\(kind.label) is \(kind.text(kind.plausible.lowerBound))–\(kind.text(kind.plausible.upperBound)).")
        }
        guard errors.isEmpty, let day, let number else { return (nil, errors) }
        return (ThresholdEntry(kind: kind, value: number, validFrom: day, source: source), errors)
    }
}
