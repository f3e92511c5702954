import Foundation
import PacelineCore

/// The sign-up form: a new organization and its first admin.
struct SignupForm: Sendable {
    struct Valid: Sendable {
        let organizationName: String
        let slug: String
        let name: String
        let email: String
        let password: String
    }

    let form: FormData

    init(_ form: FormData) { self.form = form }

    /// The sign-up, or the errors by field. The address is derived from the name when left empty.
    func validate() -> (Valid?, FieldErrors) {
        var errors = FieldErrors()
        let orgName = errors.check("organization_name") {
            try FieldRules.name(form["organization_name"], field: "Organization name")
        }
        let slugInput = form["slug"].isEmpty ? FieldRules.suggestSlug(from: form["organization_name"]) : form["slug"]
        let slug = errors.check("slug") { try FieldRules.slug(slugInput) }
        let name = errors.check("name") { try FieldRules.name(form["name"], field: "Your name") }
        let email = errors.check("email") { try FieldRules.email(form["email"]) }
        let password = errors.check("password") {
            try FieldRules.password(
                form["password"], context: [form["email"], form["name"], form["organization_name"]])
        }
        guard errors.isEmpty, let orgName, let slug, let name, let email, let password else { return (nil, errors) }
        return (Valid(organizationName: orgName, slug: slug, name: name, email: email, password: password), errors)
    }

    /// The form again with what was typed (never the password) and the errors beside the fields.
    func page(_ errors: FieldErrors) -> AuthController.SignupPage {
        func field(_ key: String, _ limit: Int = 200) -> Field {
            Field(String(form[key].prefix(limit)), error: errors[key])
        }
        return AuthController.SignupPage(
            organizationName: field("organization_name"), slug: field("slug"), name: field("name"),
            email: field("email"), password: Field("", error: errors["password"]), summary: errors.summary)
    }
}
