import Mustache

/// Empty text is false in a section, as in every other Mustache: `{{#doneText}}…{{/doneText}}` shows
/// nothing, and `{{^doneText}}` shows its content, when there is nothing to say. swift-mustache treats
/// any present value as true, so a page model's "" used to open the section ("Done — Edit the log" on
/// a workout nobody had logged). One rule here instead of a `hasX` flag beside every string.
extension String: @retroactive MustacheCustomRenderable {
    public var renderText: String { self }
    public var isNull: Bool { isEmpty }
}
