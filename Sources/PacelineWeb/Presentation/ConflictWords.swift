/// What a page says when someone else saved first (`StoreError.versionConflict`): the words
/// live here, the store only says which version is now current.
enum ConflictWords {
    static let workout =
        "Someone else saved this workout while you were editing it. Your changes were not saved; "
        + "the page now shows the latest version."
    static let plan =
        "Someone else changed this plan while you were editing it. Your change was not made; "
        + "the page now shows the latest version."
    static let planStale =
        "Someone else changed this plan while you were editing it. Your change was not made; "
        + "this is the latest version."
}
