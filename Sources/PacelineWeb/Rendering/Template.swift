/// Every page template, named `<area>/<page>` after its file under `Templates/` (partials live in
/// `Templates/partials/` and are included by the pages). The renderer checks at start that each
/// exists, so a renamed file fails start-up, not a page.
enum Template: String, CaseIterable, Sendable {
    case accountDelete = "account/delete"
    case accountShow = "account/show"
    case accountTokens = "account/tokens"
    case adaptationForm = "adaptation/form"
    case athletesIndex = "athletes/index"
    case athletesShow = "athletes/show"
    case authForgot = "auth/forgot"
    case authLogin = "auth/login"
    case authReset = "auth/reset"
    case authUnsubscribe = "auth/unsubscribe"
    case authSignup = "auth/signup"
    case checkInForm = "checkin/form"
    case confirmAsk = "confirm/ask"
    case errorsError = "errors/error"
    case fitnessCalculator = "fitness/calculator"
    case groupsIndex = "groups/index"
    case groupsShow = "groups/show"
    case homeCoach = "home/coach"
    case homeLanding = "home/landing"
    case importsForm = "imports/form"
    case importsPreview = "imports/preview"
    case instancesShow = "instances/show"
    case invitationsShow = "invitations/show"
    case libraryEdit = "library/edit"
    case libraryIndex = "library/index"
    case libraryShow = "library/show"
    case logForm = "log/form"
    case logIndex = "log/index"
    case logShow = "log/show"
    case logUploaded = "log/uploaded"
    case membersDelete = "members/delete"
    case membersIndex = "members/index"
    case membersSettings = "members/settings"
    case plansAssign = "plans/assign"
    case plansEdit = "plans/edit"
    case plansGenerate = "plans/generate"
    case plansIndex = "plans/index"
    case profileShow = "profile/show"
    case trainingCalendar = "training/calendar"
    case trainingHome = "training/home"
    case trainingWorkout = "training/workout"
    case weatherForm = "weather/form"
    case availability = "availability/form"
    case thresholds = "thresholds/show"
    case validation = "adaptation/validation"
    case notifications = "notifications/list"

    /// The layout every page extends and the partials pages include.
    static let shared = [
        "layouts/base", "email/message", "partials/calendar", "partials/coaches", "partials/fitness-tables",
        "partials/workout-block",
    ]
}
