import Foundation
import PacelineCore
import PacelineStore

/// The coach's edit of an athlete's profile: contact, notes, units, time zone, heart rates.
struct AthleteProfileForm: Sendable {
    let form: FormData

    init(_ form: FormData) { self.form = form }

    /// The update the form describes, or the errors by field.
    func validate() -> (AthleteProfileUpdate?, FieldErrors) {
        var errors = FieldErrors()
        let phone = form["phone"].trimmingCharacters(in: .whitespaces)
        if phone.count > 40 { errors.add("phone", "Phone must be at most 40 characters.") }
        let notes = errors.check("notes") { try FieldRules.note(form["notes"]) }
        let units = form["units"].isEmpty ? nil : errors.check("units") { try FieldRules.units(form["units"]) }
        let timeZone =
            form["time_zone"].isEmpty ? nil : errors.check("time_zone") { try FieldRules.timeZone(form["time_zone"]) }
        let maxHR = Self.whole(
            form["max_hr"], in: 100...240, field: "max_hr", label: "Maximum heart rate", errors: &errors)
        let restingHR = Self.whole(
            form["resting_hr"], in: 25...120, field: "resting_hr", label: "Resting heart rate",
            errors: &errors)
        if let maxHR, let restingHR, maxHR <= restingHR + 20 {
            errors.add("max_hr", "Maximum heart rate must be well above resting heart rate.")
        }
        guard errors.isEmpty, let notes else { return (nil, errors) }
        return (
            AthleteProfileUpdate(
                phone: phone, notes: notes, units: units, timeZone: timeZone, maxHR: maxHR,
                restingHR: restingHR), errors
        )
    }

    static func whole(
        _ raw: String, in range: ClosedRange<Int>, field: String, label: String, errors: inout FieldErrors
    ) -> Int? {
        let text = raw.trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty else { return nil }
        guard text.count <= 6, let value = NumberInput.whole(text), range.contains(value) else {
            errors.add(field, "\(label) must be a whole number from \(range.lowerBound) to \(range.upperBound).")
            return nil
        }
        return value
    }
}
