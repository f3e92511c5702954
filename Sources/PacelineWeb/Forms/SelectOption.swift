import Foundation
import PacelineCore

/// One `<option>` of a select, as every form's template shows it.
struct SelectOption {
    let value: String
    let label: String
    let selected: Bool

    static func roles(selected: Role) -> [SelectOption] {
        Role.allCases.map { SelectOption(value: $0.rawValue, label: $0.label, selected: $0 == selected) }
    }

    static func units(selected: UnitSystem?) -> [SelectOption] {
        [
            SelectOption(value: "km", label: "Kilometers", selected: selected == .km),
            SelectOption(value: "mi", label: "Miles", selected: selected == .mi),
        ]
    }
}
