/// A member's role in one organization (DESIGN.md "Tenancy and roles").
public enum Role: String, Sendable, CaseIterable, Codable, Comparable {
    /// Runs the organization: members, invitations, the workout library; and all a coach can do.
    case admin
    /// Manages athletes, groups, plans, assignments and adaptations.
    case coach
    /// Their own plan, logs and check-ins.
    case athlete

    private var rank: Int {
        switch self {
        case .athlete: 0
        case .coach: 1
        case .admin: 2
        }
    }

    public static func < (lhs: Role, rhs: Role) -> Bool { lhs.rank < rhs.rank }

    /// Whether this role may do what `required` may do.
    public func includes(_ required: Role) -> Bool { self >= required }

    public var label: String {
        switch self {
        case .admin: "Admin"
        case .coach: "Coach"
        case .athlete: "Athlete"
        }
    }
}
