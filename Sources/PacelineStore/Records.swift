import Foundation
import GRDB
import PacelineCore

/// Columns are snake_case in SQL, camelCase in Swift.
public protocol SnakeCaseRecord: Codable, FetchableRecord, PersistableRecord {}
extension SnakeCaseRecord {
    public static var databaseColumnDecodingStrategy: DatabaseColumnDecodingStrategy { .convertFromSnakeCase }
    public static var databaseColumnEncodingStrategy: DatabaseColumnEncodingStrategy { .convertToSnakeCase }
}

public struct Organization: SnakeCaseRecord, Sendable, Hashable, Identifiable {
    public static let databaseTableName = "organization"
    public var id: Int64
    public var slug: String
    public var name: String
    public var units: UnitSystem
    public var timeZone: String
    public var createdAt: Date
    /// Whether coaches may create, edit and delete library workouts (admins always may).
    public var coachesEditLibrary: Bool
}

extension Organization {
    /// The one fallback rule for an athlete's settings: their own where they set one, else the
    /// organization's (units, and the time zone their "today" is in).
    public func units(of athleteUnits: UnitSystem?) -> UnitSystem { athleteUnits ?? units }
    public func timeZone(of athleteZone: String?) -> String { athleteZone ?? timeZone }
}

public struct User: SnakeCaseRecord, Sendable, Hashable, Identifiable {
    public static let databaseTableName = "user"
    public var id: Int64
    public var email: String
    public var name: String
    var passwordHash: String
    public var createdAt: Date
}

struct MembershipRecord: SnakeCaseRecord, Sendable {
    static let databaseTableName = "membership"
    var id: Int64?
    var orgId: Int64
    var userId: Int64
    var role: Role
    var createdAt: Date
}

struct InvitationRecord: SnakeCaseRecord, Sendable {
    static let databaseTableName = "invitation"
    var id: Int64?
    var orgId: Int64
    var email: String
    var role: Role
    var tokenHash: String
    var invitedBy: Int64?
    var createdAt: Date
    var expiresAt: Date
    var acceptedAt: Date?
    var revokedAt: Date?
}

struct SessionRecord: SnakeCaseRecord, Sendable {
    static let databaseTableName = "session"
    var id: Int64?
    var tokenHash: String
    var userId: Int64
    var csrfToken: String
    var createdAt: Date
    var expiresAt: Date
}

struct LoginAttemptRecord: SnakeCaseRecord, Sendable {
    static let databaseTableName = "login_attempt"
    var id: Int64?
    var email: String
    var address: String
    var succeeded: Bool
    var attemptedAt: Date
    /// The hash of the known-device cookie the attempt came with (v8), else nil.
    var deviceHash: String?
}

struct AthleteProfileRecord: SnakeCaseRecord, Sendable {
    static let databaseTableName = "athlete_profile"
    var id: Int64?
    var orgId: Int64
    var userId: Int64
    var phone: String
    var notes: String
    var units: UnitSystem?
    var timeZone: String?
    var maxHr: Int?
    var restingHr: Int?
    var vdot: Double?
    var vdotSource: String?
    var vdotDate: String?
    var createdAt: Date
    var calendarToken: String?
    var sex: String?
    var autoApply: Bool
    var birthYear: Int?
}

struct GroupRecord: SnakeCaseRecord, Sendable {
    static let databaseTableName = "athlete_group"
    var id: Int64?
    var orgId: Int64
    var name: String
    var createdAt: Date
}

struct GroupMemberRecord: SnakeCaseRecord, Sendable {
    static let databaseTableName = "group_member"
    var orgId: Int64
    var groupId: Int64
    var athleteId: Int64
    var addedAt: Date
}

struct CoachAssignmentRecord: SnakeCaseRecord, Sendable {
    static let databaseTableName = "coach_assignment"
    var id: Int64?
    var orgId: Int64
    var coachUserId: Int64
    var athleteId: Int64?
    var groupId: Int64?
    var createdAt: Date
}

struct AuditRecord: SnakeCaseRecord, Sendable {
    static let databaseTableName = "audit_log"
    var id: Int64?
    var orgId: Int64?
    var userId: Int64?
    var action: String
    var detail: String
    var at: Date
}

extension UnitSystem: DatabaseValueConvertible {}
extension Role: DatabaseValueConvertible {}

// Rows read on every request decode by column name rather than through Codable, which costs
// several dynamic casts per field (measured: 7 % of the athlete home page).

extension Organization {
    public init(row: Row) throws {
        id = row["id"]
        slug = row["slug"]
        name = row["name"]
        units = UnitSystem(rawValue: row["units"] ?? "") ?? .km
        timeZone = row["time_zone"]
        createdAt = row["created_at"]
        coachesEditLibrary = row["coaches_edit_library"] ?? false
    }
}

extension User {
    public init(row: Row) throws {
        id = row["id"]
        email = row["email"]
        name = row["name"]
        passwordHash = row["password_hash"]
        createdAt = row["created_at"]
    }
}

extension SessionRecord {
    init(row: Row) throws {
        id = row["id"]
        tokenHash = row["token_hash"]
        userId = row["user_id"]
        csrfToken = row["csrf_token"]
        createdAt = row["created_at"]
        expiresAt = row["expires_at"]
    }
}

extension AthleteProfileRecord {
    init(row: Row) throws {
        id = row["id"]
        orgId = row["org_id"]
        userId = row["user_id"]
        phone = row["phone"]
        notes = row["notes"]
        units = (row["units"] as String?).flatMap(UnitSystem.init(rawValue:))
        timeZone = row["time_zone"]
        maxHr = row["max_hr"]
        restingHr = row["resting_hr"]
        vdot = row["vdot"]
        vdotSource = row["vdot_source"]
        vdotDate = row["vdot_date"]
        createdAt = row["created_at"]
        calendarToken = row["calendar_token"]
        sex = row["sex"]
        autoApply = row["auto_apply"] ?? false
        birthYear = row["birth_year"]
    }
}

extension AuditRecord: TenantRecord {}
